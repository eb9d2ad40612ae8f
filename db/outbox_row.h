// The columns of an OutboxItem and how to read them, shared by the store's queries.
#pragma once

#include "db/outbox_store.h"
#include "db/sqlite.h"

namespace sambat::db {

inline constexpr const char* kOutboxColumns =
    "id, draft_id, kind, idempotency_key, payload_json, status, attempts, next_attempt_at, created_at, last_error,"
    " external_ref, delivered_at";

inline OutboxItem ReadOutbox(const Statement& s) {
  OutboxItem o;
  o.id = s.Int(0);
  o.draft_id = s.Int(1);
  o.kind = s.Text(2);
  o.idempotency_key = s.Text(3);
  o.payload_json = s.Text(4);
  o.status = s.Text(5);
  o.attempts = static_cast<int>(s.Int(6));
  o.next_attempt_at = s.Int(7);
  o.created_at = s.Int(8);
  o.last_error = s.OptText(9);
  o.external_ref = s.OptText(10);
  if (!s.IsNull(11)) o.delivered_at = s.Int(11);
  return o;
}

}  // namespace sambat::db
