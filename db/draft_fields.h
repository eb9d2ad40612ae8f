// The SOP's completeness rule for a complaint entry, shared by capture (daemon/ingest) and
// Admin Utama's edits (the store): one place decides what counts as missing.
#pragma once

#include <optional>
#include <string>

namespace sambat::db {

inline bool IsBlank(const std::optional<std::string>& s) {
  return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

// ["nama","alamat","pesan"]: those of the SOP's required fields that are blank.
inline std::string MissingFieldsJson(const std::optional<std::string>& nama, const std::optional<std::string>& alamat,
                                     const std::optional<std::string>& pesan) {
  std::string out = "[";
  auto add = [&](const char* name, const std::optional<std::string>& v) {
    if (!IsBlank(v)) return;
    if (out.size() > 1) out += ',';
    out += std::string("\"") + name + "\"";
  };
  add("nama", nama);
  add("alamat", alamat);
  add("pesan", pesan);
  return out + "]";
}

}  // namespace sambat::db
