#include "daemon/sources.h"

#include "base/secret.h"
#include "connectors/facebook/facebook_connector.h"
#include "connectors/x/x_connector.h"

namespace sambat::daemon {

Sources BuildSources(const config::Config& cfg, connectors::HttpTransport* http, const Clock* clock,
                     std::vector<std::string>* errors) {
  Sources out;
  auto secret = [&](const std::string& file, const char* what) -> std::optional<Secret> {
    std::vector<std::string> warnings;
    auto s = ReadSecretFile(file, &warnings);
    if (!s.ok()) {
      errors->push_back(std::string(what) + ": " + s.status().message());
      return std::nullopt;
    }
    return *s;
  };
  if (cfg.sources.x.enabled) {
    if (auto token = secret(cfg.sources.x.token_file, "sources.x.bearer_token_file")) {
      connectors::XOptions o;
      o.base_url = cfg.sources.x.base_url;
      o.user_id = cfg.sources.x.account_id;
      o.search_query = cfg.sources.x.search_query;
      o.bearer_token = *token;
      out.connectors.push_back(std::make_unique<connectors::XConnector>(o, http, clock));
      out.intervals_ms.push_back(cfg.sources.x.poll_interval.count());
    }
  }
  if (cfg.sources.facebook.enabled) {
    if (auto token = secret(cfg.sources.facebook.token_file, "sources.facebook.access_token_file")) {
      connectors::FacebookOptions o;
      o.base_url = cfg.sources.facebook.base_url;
      o.page_id = cfg.sources.facebook.account_id;
      o.access_token = *token;
      out.connectors.push_back(std::make_unique<connectors::FacebookConnector>(o, http, clock));
      out.intervals_ms.push_back(cfg.sources.facebook.poll_interval.count());
    }
  }
  if (cfg.sources.instagram.enabled) {
    if (auto token = secret(cfg.sources.instagram.token_file, "sources.instagram.access_token_file")) {
      connectors::InstagramOptions o;
      o.base_url = cfg.sources.instagram.base_url;
      o.user_id = cfg.sources.instagram.account_id;
      o.access_token = *token;
      auto ig = std::make_unique<connectors::InstagramConnector>(o, http, clock);
      out.instagram = ig.get();
      out.connectors.push_back(std::move(ig));
      out.intervals_ms.push_back(cfg.sources.instagram.poll_interval.count());
    }
  }
  return out;
}

}  // namespace sambat::daemon
