// /metrics: the registry's counters and histograms, plus gauges read from the store when
// scraped (drafts by status, overdue drafts, outbox, sources' limits and pauses) and the
// process's resident memory. Names follow Prometheus conventions (sambatd_…, _total, _seconds).
#pragma once

#include "base/sop_clock.h"

#include <string>

#include "base/metrics.h"
#include "db/sqlite_store.h"

namespace sambat::daemon {

struct MetricsSources {
  const MetricsRegistry* registry = nullptr;
  db::SqliteStore* store = nullptr;
  const Clock* clock = nullptr;
  uint64_t webhook_bad_signatures = 0;
  SopLimits sop_limits = {};  // sla.*: what counts as late at each SOP step
};

std::string RenderMetrics(const MetricsSources& m);

// The process's resident set size in bytes (/proc/self/statm), 0 when unreadable.
uint64_t ResidentBytes();

}  // namespace sambat::daemon
