// RetentionStore: how long citizens' data is kept, and the data subject's rights to a copy of
// it and to its erasure (UU 27/2022 on personal data protection).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace sambat::db {

// Ages are counted from when sambatd stored a post (posts.fetched_at), decided a draft
// (drafts.decided_at) or processed a webhook event (webhook_events.processed_at).
struct RetentionPolicy {
  int64_t non_complaint_posts_ms = 0;  // posts without a draft, not classified as complaints
  int64_t rejected_drafts_ms = 0;      // drafts rejected or marked duplicate, with their posts
  int64_t webhook_events_ms = 0;       // processed webhook bodies
};

// What a purge deleted (or, dry, would delete). No personal data: these go in the audit log.
struct PurgeCounts {
  int64_t non_complaint_posts = 0;
  int64_t rejected_drafts = 0;
  int64_t duplicate_drafts = 0;
  int64_t draft_posts = 0;         // the posts of those drafts
  int64_t classifications = 0;     // of every deleted post
  int64_t outbox_rows = 0;         // delivered or dead deliveries of those drafts
  int64_t disposition_steps = 0;
  int64_t webhook_events = 0;
  int64_t audit_rows_redacted = 0;  // audit rows about those drafts whose content was removed
  int64_t total() const {
    return non_complaint_posts + rejected_drafts + duplicate_drafts + draft_posts + classifications + outbox_rows +
           disposition_steps + webhook_events;
  }
};

struct PurgeRequest {
  RetentionPolicy policy;
  int64_t now_ms = 0;
  bool dry_run = false;  // count only, change nothing
  std::string actor;     // in the audit row
  // Checked between batches: a purge stops early (what was deleted stays deleted, and the
  // audit row counts it) when the daemon is told to stop.
  const std::atomic<bool>* cancel = nullptr;
};

// One author on one platform, as the platform names them (posts.author_id).
struct Subject {
  std::string platform;
  std::string author_id;
};

struct EraseCounts {
  int64_t posts = 0, classifications = 0, drafts = 0, outbox_rows = 0, disposition_steps = 0, webhook_events = 0,
          audit_rows_redacted = 0;
  // The pipeline's ticket numbers of complaints already handed off: the operator asks the
  // pipeline to erase those too (sambatd cannot reach into it).
  std::vector<std::string> handed_off_tickets;
  bool wal_truncated = false;  // false: a reader held the WAL; its old frames go at a later checkpoint
};

class RetentionStore {
 public:
  virtual ~RetentionStore() = default;

  // Deletes what is older than the request's policy at its `now_ms`: posts that are not complaints (and their
  // classifications); drafts rejected or marked duplicate (with their posts, classifications,
  // full-text rows, delivered/dead outbox rows and disposition steps), except a draft another
  // kept draft names as its original and a draft with a delivery still pending; processed
  // webhook events. Never a confirmed, pending or returned draft. Audit rows about deleted
  // drafts are redacted. Works in small transactions so capture is never held up for long.
  // `dry_run`: counts only, changes nothing (one transaction, rolled back). Otherwise writes
  // one audit row (action "purge", counts only, no personal data) by `actor`.
  virtual Result<PurgeCounts> Purge(const PurgeRequest& request) = 0;
  // When the last real purge ran (from the audit log); nullopt when never.
  virtual Result<std::optional<int64_t>> LastPurgeAt() = 0;

  // The per-database random salt for SubjectRef hashes (created by the migration).
  virtual Result<std::string> SubjectSalt() = 0;

  // Everything stored about `subject` as one JSON object (posts with their classification and
  // draft, outbox payloads, disposition steps, audit entries about their drafts, webhook events
  // naming them). Audited as "subject_export" by `actor`, naming the subject only by
  // `subject_ref` (an irreversible hash).
  virtual Result<std::string> ExportSubject(const Subject& subject, const std::string& actor,
                                            const std::string& subject_ref) = 0;

  // Deletes everything about `subject` in one transaction (posts, classifications, drafts and
  // their full-text rows, outbox rows, disposition steps, webhook events naming the author or
  // their posts), redacts the audit rows about their drafts, and appends one "subject_erase"
  // row with counts and `subject_ref`, never the person's data. Then rewrites the full-text
  // index and checkpoints the WAL, with secure_delete on, so the deleted bytes do not linger
  // in the files. `vacuum`: also VACUUM (rewrites the whole file; best with the daemon stopped).
  virtual Result<EraseCounts> EraseSubject(const Subject& subject, const std::string& actor,
                                           const std::string& subject_ref, bool vacuum) = 0;
};

}  // namespace sambat::db
