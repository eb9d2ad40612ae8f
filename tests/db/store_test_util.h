// Builders for store records used by several db tests.
#pragma once

#include <string>

#include "db/records.h"

namespace sambat::db::testing {

inline IngestItem MakeItem(const std::string& platform_id, bool complaint) {
  IngestItem item;
  item.post.platform = "x";
  item.post.platform_id = platform_id;
  item.post.endpoint = "mentions";
  item.post.author_id = "42";
  item.post.author_handle = "warga_kroya";
  item.post.text = complaint ? "jalan depan pasar kroya rusak parah, tolong diperbaiki"
                             : "selamat hari jadi kabupaten cilacap";
  item.post.created_at = 1'764'000'000'000;
  ClassificationRecord c;
  c.rules_version = "test";
  c.is_complaint = complaint;
  c.score = complaint ? 5 : 0;
  c.threshold = 3;
  item.classification = c;
  if (complaint) {
    DraftRecord d;
    d.nama = "warga_kroya";
    d.nama_from_profile = true;
    d.pesan = item.post.text;
    d.kanal = "x";
    d.opd = "DPUPR";
    d.kecamatan = "Kroya";
    d.missing_fields_json = R"(["alamat"])";
    d.sla_due_at = 1'764'000'900'000;
    item.draft = d;
  }
  return item;
}

inline CursorState MakeCursor(const std::string& value) {
  CursorState c;
  c.source = "x";
  c.endpoint = "mentions";
  c.cursor = value;
  return c;
}

}  // namespace sambat::db::testing
