// The columns of a DraftView and how to read them, shared by the store's queries.
#pragma once

#include "db/records.h"
#include "db/sqlite.h"

namespace sambat::db {

// Select list over `drafts d JOIN posts p ON p.id = d.post_id`; 20 columns.
inline constexpr const char* kDraftViewColumns =
    "d.id, d.status, d.kanal, p.platform, p.platform_id, d.nama, d.alamat, d.pesan, d.opd_candidates_json,"
    " d.opd, d.kategori, d.kecamatan, d.desa, d.url, d.missing_fields_json, d.created_at, d.sla_due_at,"
    " d.duplicate_group, d.version, d.returned_by_opd";
inline constexpr int kDraftViewColumnCount = 20;

inline DraftView ReadDraftView(const Statement& s, int c = 0) {
  DraftView v;
  v.id = s.Int(c + 0);
  v.status = s.Text(c + 1);
  v.kanal = s.Text(c + 2);
  v.platform = s.Text(c + 3);
  v.platform_id = s.Text(c + 4);
  v.nama = s.OptText(c + 5);
  v.alamat = s.OptText(c + 6);
  v.pesan = s.Text(c + 7);
  v.opd_candidates_json = s.Text(c + 8);
  v.opd = s.OptText(c + 9);
  v.kategori = s.OptText(c + 10);
  v.kecamatan = s.OptText(c + 11);
  v.desa = s.OptText(c + 12);
  v.url = s.OptText(c + 13);
  v.missing_fields_json = s.Text(c + 14);
  v.created_at = s.Int(c + 15);
  v.sla_due_at = s.Int(c + 16);
  if (!s.IsNull(c + 17)) v.duplicate_group = s.Int(c + 17);
  v.version = s.Int(c + 18);
  v.returned_by_opd = s.Int(c + 19) != 0;
  return v;
}

}  // namespace sambat::db
