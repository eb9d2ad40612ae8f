// Builds the enabled connectors from the configuration (reading their secrets).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "connectors/connector.h"
#include "connectors/http/http_transport.h"
#include "connectors/instagram/instagram_connector.h"

namespace sambat::daemon {

struct Sources {
  std::vector<std::unique_ptr<connectors::Connector>> connectors;
  connectors::InstagramConnector* instagram = nullptr;  // also fetches webhook mentions
  std::vector<int64_t> intervals_ms;                    // per connector
};

// Problems (a secret that cannot be read) go to `errors` in English; the source is left out.
Sources BuildSources(const config::Config& cfg, connectors::HttpTransport* http, const Clock* clock,
                     std::vector<std::string>* errors);

}  // namespace sambat::daemon
