// /api/v1/replies: the answers to citizens that wait for Admin Utama (review), went out,
// or could not go (dead); approving (with an edited text), discarding, sending again.
#include <rapidjson/document.h>

#include "web/api_json.h"
#include "web/queue_api.h"

namespace sambat::web {
namespace {

constexpr size_t kMaxReplyText = 8000, kMaxReason = 500;
constexpr const char* kReplyStatuses[] = {"review", "pending", "sending", "delivered", "dead", "discarded"};

std::string Field(const rapidjson::Document& d, const char* key) {
  return d.IsObject() && d.HasMember(key) && d[key].IsString() ? std::string(d[key].GetString(), d[key].GetStringLength())
                                                               : "";
}

void WriteReply(JsonOut& j, const db::OutboxItem& o) {
  rapidjson::Document d;
  d.Parse(o.payload_json.c_str(), o.payload_json.size());
  j.BeginObject().Key("id").Int(o.id).Key("draft_id").Int(o.draft_id).Key("status").Str(o.status);
  j.Key("template").Str(Field(d, "template")).Key("platform").Str(Field(d, "platform"));
  j.Key("text").Str(Field(d, "text"));
  const std::string url = Field(d, "post_url");
  j.Key("post_url").Opt(url.empty() ? std::nullopt : std::optional<std::string>(url));
  j.Key("attempts").Int(o.attempts).Key("last_error").Opt(o.last_error).Key("reply_id").Opt(o.external_ref);
  j.Key("created").Time(o.created_at).Key("next_attempt").Time(o.next_attempt_at);
  j.Key("delivered_at").OptTime(o.delivered_at);
  // A reply refused before it had a target (a photo tag, personal data) cannot be sent again.
  j.Key("can_resend").Bool(o.status == "dead" && d.IsObject() && d.HasMember("target"));
  j.EndObject();
}

}  // namespace

Response QueueApi::Replies(const Request& req, const Principal& who, std::string_view rest) {
  if (!d_.replies || !d_.outbox) {
    return ErrorResponse(req, {http::status::not_found, "not_found", "Balasan ke warga tidak diaktifkan."});
  }
  if (rest.empty()) {
    if (!IsGet(req)) return ErrorResponse(req, MethodNotAllowed());
    auto q = ParseQuery(std::string_view(req.target().data(), req.target().size()));
    const std::string status = q.count("status") ? q["status"] : "review";
    if (std::none_of(std::begin(kReplyStatuses), std::end(kReplyStatuses), [&](const char* s) { return status == s; })) {
      return ErrorResponse(req, {http::status::bad_request, "bad_parameter", QueryError("status")});
    }
    auto items = d_.outbox->ListOutbox("reply", status, 200);
    if (!items.ok()) return ErrorResponse(req, FromStatus(items.status()));
    auto counts = d_.outbox->CountOutbox("reply");
    if (!counts.ok()) return ErrorResponse(req, FromStatus(counts.status()));
    JsonOut j;
    j.BeginObject().Key("mode").Str(d_.replies_mode);
    j.Key("counts").BeginObject().Key("review").Int(counts->review).Key("backlog").Int(counts->backlog);
    j.Key("delivered").Int(counts->delivered).Key("dead").Int(counts->dead).Key("discarded").Int(counts->discarded);
    j.EndObject().Key("items").BeginArray();
    for (const auto& o : *items) WriteReply(j, o);
    j.EndArray().EndObject();
    return JsonResponse(req, http::status::ok, j.Take());
  }

  auto slash = rest.find('/', 1);
  auto id = ParseInt(rest.substr(1, slash == std::string_view::npos ? std::string_view::npos : slash - 1));
  const std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (!id || (action != "approve" && action != "discard" && action != "resend")) {
    return ErrorResponse(req, {http::status::not_found, "not_found", "Alamat API tidak dikenal."});
  }
  if (req.method() != http::verb::post) return ErrorResponse(req, MethodNotAllowed());
  if (!who.CanDecide()) return ErrorResponse(req, Forbidden(who));
  if (auto e = CheckBody(req)) return ErrorResponse(req, *e);
  const int64_t now = ToUnixMillis(d_.clock->Now());
  JsonIn in;
  if (action == "approve") {
    if (auto e = JsonIn::Parse(req.body(), {"text"}, &in)) return ErrorResponse(req, *e);
    std::optional<std::optional<std::string>> text;
    if (auto e = in.Text("text", kMaxReplyText, true, &text)) return ErrorResponse(req, *e);
    std::optional<std::string> edited = text ? *text : std::nullopt;
    auto item = d_.outbox->GetOutbox(*id);
    if (!item.ok()) return ErrorResponse(req, FromStatus(item.status()));
    if (!*item || (*item)->kind != "reply" || (*item)->status != "review") {
      return ErrorResponse(req, {http::status::not_found, "not_found",
                                 "Balasan #" + std::to_string(*id) + " tidak sedang menunggu persetujuan."});
    }
    // Fails closed: an edit is sent only after the check has run.
    if (edited) {
      if (!d_.reply_text_problem) {
        return ErrorResponse(req, {http::status::service_unavailable, "unavailable", "Pemeriksa teks balasan tidak tersedia."});
      }
      if (auto problem = d_.reply_text_problem(**item, *edited)) {
        return ErrorResponse(req, {http::status::unprocessable_entity, "invalid", *problem});
      }
    }
    if (Status s = d_.replies->ApproveReply(*id, edited, who.name, now); !s.ok()) {
      return ErrorResponse(req, FromStatus(s));
    }
  } else if (action == "discard") {
    if (auto e = JsonIn::Parse(req.body(), {"reason"}, &in)) return ErrorResponse(req, *e);
    std::optional<std::optional<std::string>> reason;
    if (auto e = in.Text("reason", kMaxReason, false, &reason)) return ErrorResponse(req, *e);
    if (!reason || !*reason) {
      return ErrorResponse(req, {http::status::bad_request, "missing_field", "Tulis alasan pembatalan balasan."});
    }
    if (Status s = d_.replies->DiscardReply(*id, **reason, who.name, now); !s.ok()) {
      return ErrorResponse(req, FromStatus(s));
    }
  } else {
    if (auto e = JsonIn::Parse(req.body(), {}, &in)) return ErrorResponse(req, *e);
    if (Status s = d_.outbox->Resend(*id, "reply", who.name, now); !s.ok()) return ErrorResponse(req, FromStatus(s));
  }
  if (action != "discard" && d_.on_reply_approved) d_.on_reply_approved();
  JsonOut j;
  j.BeginObject().Key("ok").Bool(true).EndObject();
  return JsonResponse(req, http::status::ok, j.Take());
}

}  // namespace sambat::web
