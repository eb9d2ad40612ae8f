// What the daemon answers over HTTP. A pure function of the request and the store, so it is
// tested without sockets.
#pragma once

#include <functional>

#include "db/store.h"
#include "web/http_server.h"

namespace sambat::web {

class QueueApi;
class WebhookReceiver;

struct AppContext {
  db::Store* store = nullptr;                 // REQUIRES: outlives the handler
  WebhookReceiver* webhook = nullptr;         // null: no webhook configured (404)
  QueueApi* api = nullptr;                    // /api/v1; null: 404
  std::function<bool()> rules_loaded;         // for /readyz
  std::function<std::string()> metrics = {};  // /metrics in Prometheus' text format; null: 404
  std::string version;
};

Handler MakeAppHandler(AppContext ctx);

}  // namespace sambat::web
