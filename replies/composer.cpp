#include "replies/composer.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/text_template.h"
#include "replies/privacy.h"
#include "replies/reply_target.h"

namespace sambat::replies {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// "nama, alamat" from ["nama","alamat"], in the words a citizen understands.
std::string MissingFieldsText(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  std::string out;
  if (d.HasParseError() || !d.IsArray()) return out;
  for (const auto& v : d.GetArray()) {
    if (!v.IsString()) continue;
    const std::string f = v.GetString();
    const std::string word = f == "nama"     ? "nama lengkap"
                             : f == "alamat" ? "alamat atau lokasi kejadian"
                             : f == "pesan"  ? "isi aduan"
                                             : f;
    out += (out.empty() ? "" : ", ") + word;
  }
  return out;
}

std::string Payload(const db::ReplyEvent& e, const std::string& text, const ReplyTarget* target) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("platform"); Str(w, e.platform);
  w.Key("template"); Str(w, e.template_name);
  w.Key("text"); Str(w, text);
  w.Key("post_id"); Str(w, e.post_id);
  if (e.post_url) { w.Key("post_url"); Str(w, *e.post_url); }
  if (target) {
    w.Key("target");
    w.StartObject();
    w.Key("kind"); Str(w, target->kind);
    w.Key("id"); Str(w, target->id);
    if (target->media_id) { w.Key("media_id"); Str(w, *target->media_id); }
    if (target->comment_id) { w.Key("comment_id"); Str(w, *target->comment_id); }
    w.EndObject();
  }
  w.EndObject();
  return b.GetString();
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

size_t MaxReplyLength(const std::string& platform) {
  if (platform == "x") return 280;
  if (platform == "instagram") return 2200;
  return 8000;
}

std::string FitLength(const std::string& text, size_t max) {
  if (CodePoints(text) <= max || max < 2) return text;
  // The byte offset of code point max-1 (room for the ellipsis).
  size_t cps = 0, cut = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (cps == max - 1) {
        cut = i;
        break;
      }
      ++cps;
    }
  }
  const size_t space = text.rfind(' ', cut);
  if (space != std::string::npos && space > cut / 2) cut = space;
  return text.substr(0, cut) + "…";
}

db::NewReply ComposeReply(const db::ReplyEvent& e, const config::RepliesConfig& config,
                          const std::function<std::string(const std::string&)>& opd_name) {
  db::NewReply r{.key = e.key, .draft_id = e.draft_id, .status = config.mode == "auto" ? "pending" : "review"};
  auto dead = [&](const std::string& why, const std::string& text) {
    r.status = "dead";
    r.error = why;
    r.payload_json = Payload(e, text, nullptr);
    return r;
  };
  auto target = TargetFor(e.platform, e.post_kind, e.post_id, e.parent_id);

  std::vector<std::string> known;  // the complainant's own data: masked wherever it turns up
  if (e.alamat) known.push_back(*e.alamat);
  if (e.nama) known.push_back(*e.nama);
  const std::string opd = e.opd ? opd_name(*e.opd) : std::string("OPD terkait");
  std::map<std::string, std::string> vars = {
      // A GeoReport "token:" is not a number the citizen can quote; our own draft number is.
      {"tiket", e.ticket && e.ticket->rfind("token:", 0) != 0 ? *e.ticket : "SMB-" + std::to_string(e.draft_id)},
      {"opd", opd.empty() ? *e.opd : opd},
      {"whatsapp", config.whatsapp},
      {"situs", config.situs},
      {"jawaban", RedactPersonalData(e.jawaban.value_or(""), known)},
  };
  std::string kolom = MissingFieldsText(e.missing_fields_json);
  if (kolom.empty() && e.reason) {
    // Admin Utama's reason, without the list's "Data belum lengkap:" lead-in the template says already.
    std::string why = *e.reason;
    for (const std::string lead : {"Data belum lengkap:", "Data belum lengkap"}) {
      if (why.rfind(lead, 0) == 0) why = why.substr(lead.size());
    }
    while (!why.empty() && why.front() == ' ') why.erase(0, 1);
    kolom = RedactPersonalData(why, known);
  }
  if (kolom.empty()) kolom = "keterangan aduan yang lebih lengkap";
  vars["kolom"] = kolom;

  const std::string& tmpl = e.template_name == "tanda_terima"  ? config.templates.tanda_terima
                            : e.template_name == "kelengkapan" ? config.templates.kelengkapan
                                                               : config.templates.jawaban_akhir;
  auto text = RenderTemplate(tmpl, vars);
  if (!text.ok()) return dead("Templat balasan " + e.template_name + " tidak bisa diisi: " + text.status().message(), "");
  const std::string fitted = FitLength(*text, MaxReplyLength(e.platform));
  if (!target.ok()) return dead(target.status().message(), fitted);
  auto found = PersonalDataFound(fitted, known, {config.whatsapp});
  if (!found.empty()) {
    std::string what;
    for (const auto& f : found) what += (what.empty() ? "" : ", ") + f;
    return dead("Balasan tidak dikirim karena memuat data pribadi (" + what + "); periksa templat balasan.", fitted);
  }
  r.payload_json = Payload(e, fitted, &*target);
  return r;
}

}  // namespace sambat::replies
