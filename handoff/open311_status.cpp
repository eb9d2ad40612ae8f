#include "handoff/open311_status.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace sambat::handoff {
namespace {

std::optional<std::string> Text(const rapidjson::Value& v, const char* key) {
  if (!v.HasMember(key) || !v[key].IsString() || v[key].GetStringLength() == 0) return std::nullopt;
  return std::string(v[key].GetString(), v[key].GetStringLength());
}

std::string Normalised(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return c == ' ' ? '_' : std::tolower(c); });
  return s;
}

}  // namespace

Result<Open311Request> ParseOpen311Request(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str(), body.size());
  if (d.HasParseError() || !d.IsArray() || d.Empty() || !d[0].IsObject()) {
    return Status::InvalidArgument("not a GeoReport v2 request list");
  }
  const auto& r = d[0];
  auto status = Text(r, "status");
  if (!status) return Status::InvalidArgument("the request has no status");
  return Open311Request{Normalised(*status), Text(r, "status_notes"), Text(r, "agency_responsible")};
}

std::vector<std::pair<std::string, std::optional<std::string>>> StepsForOpen311(
    const Open311Request& request, const std::vector<std::string>& reported) {
  std::vector<std::pair<std::string, std::optional<std::string>>> steps;
  auto missing = [&](const char* step) {
    return std::find(reported.begin(), reported.end(), step) == reported.end() &&
           std::none_of(steps.begin(), steps.end(), [&](const auto& s) { return s.first == step; });
  };
  const std::string& s = request.status;
  const bool closed = s == "closed" || s == "fixed" || s == "resolved";
  const bool working = s == "in_progress" || s == "action_scheduled" || s == "investigating";
  // Plain "open" is also what a request is before anyone looked at it: only an agency named,
  // or work begun, says the OPD took it.
  if ((request.agency_responsible || working || closed) && missing("diterima_opd")) {
    steps.emplace_back("diterima_opd", request.agency_responsible);
  }
  if (working && missing("ditindaklanjuti")) steps.emplace_back("ditindaklanjuti", request.status_notes);
  if (closed && missing("selesai")) {
    steps.emplace_back("selesai", request.status_notes ? request.status_notes
                                                       : std::optional<std::string>("Aduan telah ditutup oleh OPD."));
  }
  return steps;
}

Result<int> Open311StatusPoller::PollIfDue(int64_t now_ms) {
  if (last_round_ != 0 && now_ms - last_round_ < interval_.count()) return 0;
  last_round_ = now_ms;
  auto open = store_->OpenDispositions();
  if (!open.ok()) return open.status();
  int recorded = 0;
  for (const auto& d : *open) {
    // A "token:" ref means the server has not named the request yet; GeoReport's /tokens
    // lookup is not used, so these wait for a person.
    if (!d.ticket || d.ticket->rfind("token:", 0) == 0) continue;
    connectors::HttpRequest req;
    req.url = base_url_ + (base_url_.ends_with("/") ? "" : "/") + "requests/" + connectors::PercentEncode(*d.ticket) +
              ".json";
    if (!api_key_.empty()) connectors::AddQuery(&req.url, "api_key", api_key_.Reveal());
    auto res = http_->Send(req);
    if (!res.ok()) {
      // The server is down or slow: the rest waits for the next round rather than holding up
      // the deliveries of new complaints on this thread for one timeout each.
      spdlog::warn("open311: status reads stopped for this round at draft {}: {}", d.draft_id, res.status().message());
      break;
    }
    if (res->status != 200) {
      spdlog::warn("open311: status of draft {} ({}) not read: HTTP {}", d.draft_id, *d.ticket, res->status);
      continue;
    }
    auto request = ParseOpen311Request(res->body);
    if (!request.ok()) {
      spdlog::warn("open311: status of draft {} ({}) unreadable: {}", d.draft_id, *d.ticket, request.status().message());
      continue;
    }
    std::vector<std::string> reported;
    for (const auto& [step, at] : d.reports) reported.push_back(step);
    for (const auto& [step, note] : StepsForOpen311(*request, reported)) {
      Status s = store_->RecordDispositionStep(
          {.draft_id = d.draft_id, .step = step, .at = now_ms, .note = note, .actor = "open311"});
      if (!s.ok()) {
        spdlog::warn("open311: draft {} step {} not recorded: {}", d.draft_id, step, s.message());
        break;
      }
      ++recorded;
    }
  }
  return recorded;
}

}  // namespace sambat::handoff
