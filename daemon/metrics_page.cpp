#include "daemon/metrics_page.h"

#include <map>

#include <unistd.h>

#include <fstream>

namespace sambat::daemon {

uint64_t ResidentBytes() {
  std::ifstream in("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

std::string RenderMetrics(const MetricsSources& m) {
  std::string out = m.registry ? m.registry->Render() : "";
  auto gauge = [&](const std::string& name, const std::string& help) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n";
  };
  auto sample = [&](const std::string& name, const Labels& labels, double v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", v);
    out += name + FormatLabels(labels) + " " + buf + "\n";
  };
  const int64_t now = ToUnixMillis(m.clock->Now());
  gauge("sambatd_drafts", "Drafts by status.");
  for (const char* status : {"pending", "confirmed", "returned", "rejected", "duplicate"}) {
    auto n = m.store->CountDrafts(status);
    if (n.ok()) sample("sambatd_drafts", {{"status", status}}, static_cast<double>(*n));
  }
  if (auto c = m.store->Counters(now, now); c.ok()) {
    gauge("sambatd_drafts_overdue", "Pending drafts past Admin Utama's SLA.");
    sample("sambatd_drafts_overdue", {}, static_cast<double>(c->overdue));
  }
  if (auto o = m.store->CountOutbox("handoff"); o.ok()) {
    gauge("sambatd_outbox_backlog", "Hand-off deliveries waiting or being sent.");
    sample("sambatd_outbox_backlog", {}, static_cast<double>(o->backlog));
    gauge("sambatd_outbox_dead_letters", "Hand-off deliveries the pipeline refused, waiting for a person.");
    sample("sambatd_outbox_dead_letters", {}, static_cast<double>(o->dead));
  }
  if (auto o = m.store->CountOutbox("reply"); o.ok()) {
    gauge("sambatd_replies", "Replies to citizens by state.");
    sample("sambatd_replies", {{"state", "review"}}, static_cast<double>(o->review));
    sample("sambatd_replies", {{"state", "queued"}}, static_cast<double>(o->backlog - o->review));
    sample("sambatd_replies", {{"state", "delivered"}}, static_cast<double>(o->delivered));
    sample("sambatd_replies", {{"state", "dead"}}, static_cast<double>(o->dead));
    sample("sambatd_replies", {{"state", "discarded"}}, static_cast<double>(o->discarded));
  }
  if (auto open = m.store->OpenDispositions(); open.ok()) {
    // The SOP's clock: which step each unfinished complaint is late at, and the 2h15m in all.
    std::map<std::string, int64_t> late = {{"konfirmasi", 0}, {"diterima_opd", 0}, {"koordinasi", 0},
                                           {"ditindaklanjuti", 0}, {"selesai", 0}};
    int64_t total_late = 0;
    for (const auto& d : *open) {
      const SopTimeline t = ComputeSopTimeline(d.created_at, d.confirmed_at, d.reports, m.sop_limits, now);
      if (t.overdue_stage) ++late[*t.overdue_stage];
      total_late += t.total_late;
    }
    gauge("sambatd_dispositions_open", "Confirmed complaints the pipeline has not reported finished.");
    sample("sambatd_dispositions_open", {}, static_cast<double>(open->size()));
    gauge("sambatd_dispositions_overdue", "Open complaints past the SOP's limit for the step they wait at.");
    for (const auto& [stage, n] : late) sample("sambatd_dispositions_overdue", {{"step", stage}}, static_cast<double>(n));
    gauge("sambatd_dispositions_over_limit", "Open complaints past the SOP's 2h15m in all.");
    sample("sambatd_dispositions_over_limit", {}, static_cast<double>(total_late));
  }
  if (auto cursors = m.store->ListCursors(); cursors.ok()) {
    gauge("sambatd_source_paused", "1 when a source endpoint is paused (rate limit, expired token, permission).");
    for (const auto& c : *cursors) {
      const bool paused = c.pause_reason && (!c.paused_until || *c.paused_until > now);
      sample("sambatd_source_paused", {{"source", c.source}, {"endpoint", c.endpoint}}, paused ? 1 : 0);
    }
    gauge("sambatd_rate_limit_remaining", "Requests left in the platform's current rate-limit window.");
    for (const auto& c : *cursors) {
      if (c.rate_limit_remaining) {
        sample("sambatd_rate_limit_remaining", {{"source", c.source}, {"endpoint", c.endpoint}},
               static_cast<double>(*c.rate_limit_remaining));
      }
    }
    gauge("sambatd_last_success_timestamp_seconds", "When the endpoint was last polled successfully.");
    for (const auto& c : *cursors) {
      if (c.last_success_at) {
        sample("sambatd_last_success_timestamp_seconds", {{"source", c.source}, {"endpoint", c.endpoint}},
               static_cast<double>(*c.last_success_at) / 1000.0);
      }
    }
  }
  out += "# HELP sambatd_webhook_bad_signatures_total Webhook POSTs refused for a bad or missing signature.\n"
         "# TYPE sambatd_webhook_bad_signatures_total counter\n";
  sample("sambatd_webhook_bad_signatures_total", {}, static_cast<double>(m.webhook_bad_signatures));
  gauge("process_resident_memory_bytes", "Resident memory size in bytes.");
  sample("process_resident_memory_bytes", {}, static_cast<double>(ResidentBytes()));
  return out;
}

}  // namespace sambat::daemon
