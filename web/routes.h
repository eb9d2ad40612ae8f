// What the daemon answers over HTTP. A pure function of the request and the store, so it is
// tested without sockets.
#pragma once

#include <functional>

#include "db/store.h"
#include "web/http_server.h"

namespace sambat::web {

class WebhookReceiver;

struct AppContext {
  db::Store* store = nullptr;                 // REQUIRES: outlives the handler
  WebhookReceiver* webhook = nullptr;         // null: no webhook configured (404)
  std::function<bool()> rules_loaded;         // for /readyz
  std::string version;
};

Handler MakeAppHandler(AppContext ctx);

// Escapes text for HTML element content and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace sambat::web
