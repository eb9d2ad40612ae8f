#include "daemon/source_runner.h"

#include <chrono>

#include "daemon/classify_ahead.h"
#include "daemon/schedule.h"

namespace sambat::daemon {

using connectors::PollOutcome;

PollReport SourceRunner::Poll(const std::string& endpoint, bool dry_run) {
  PollReport rep;
  rep.source = connector_->platform();
  rep.endpoint = endpoint;
  auto stored = store_->GetCursor(rep.source, endpoint);
  if (!stored.ok()) {
    rep.kind = PollOutcome::Kind::kBackoff;
    rep.message = "cannot read the cursor: " + stored.status().message();
    return rep;
  }
  db::CursorState state = stored->value_or(db::CursorState{});
  state.source = rep.source;
  state.endpoint = endpoint;
  const std::optional<std::string> old_cursor = state.cursor;

  PollOutcome out = connector_->Poll(endpoint, old_cursor);
  const int64_t now = ToUnixMillis(clock_->Now());
  rep.kind = out.kind;
  rep.fetched = static_cast<int>(out.posts.size());
  rep.requests = out.requests;
  rep.skipped = out.skipped_items;
  rep.message = out.log_message;
  rep.operator_message = out.operator_message;
  rep.more = out.more;
  if (out.rate_remaining) state.rate_limit_remaining = out.rate_remaining;
  if (out.rate_reset_at) state.rate_limit_reset_at = out.rate_reset_at;

  switch (out.kind) {
    case PollOutcome::Kind::kOk:
      if (out.cursor) state.cursor = out.cursor;
      state.last_success_at = now;
      state.paused_until.reset();
      state.pause_reason.reset();
      state.last_error.reset();
      // A platform may answer and still say "slow down" (Graph usage at 100%).
      if (out.retry_at) state.paused_until = rep.retry_at = out.retry_at;
      break;
    case PollOutcome::Kind::kBackoff:
      state.paused_until = rep.retry_at = out.retry_at;
      state.last_error = out.log_message;
      state.pause_reason = out.operator_message;
      out.posts.clear();
      break;
    case PollOutcome::Kind::kPaused:
      state.paused_until = rep.retry_at = kPausedForever;
      state.last_error = out.log_message;
      state.pause_reason = out.operator_message;
      out.posts.clear();
      break;
  }
  if (dry_run) {
    rep.posts = std::move(out.posts);
    return rep;
  }
  auto classifier = classifier_->Get();
  const auto start = std::chrono::steady_clock::now();
  // The next posts are classified on another core while these are written: one transaction.
  ClassifyAhead items(std::move(out.posts), *classifier, now, options_);
  auto stats = store_->IngestStream([&] { return items.Next(); }, state);
  rep.store_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!stats.ok()) {
    rep.kind = PollOutcome::Kind::kBackoff;
    rep.message = "storing failed, the same window is fetched again: " + stats.status().message();
    return rep;
  }
  rep.new_posts = stats->posts_inserted;
  rep.drafts = stats->drafts_created;
  rep.erased_authors = stats->posts_of_erased_authors;
  return rep;
}

PollReport SourceRunner::Store(const std::string& endpoint, const std::vector<connectors::Post>& posts) {
  PollReport rep;
  rep.source = connector_->platform();
  rep.endpoint = endpoint;
  rep.fetched = static_cast<int>(posts.size());
  auto classifier = classifier_->Get();
  auto stats = store_->Ingest(BuildBatch(posts, *classifier, ToUnixMillis(clock_->Now()), options_, std::nullopt));
  if (!stats.ok()) {
    rep.kind = PollOutcome::Kind::kBackoff;
    rep.message = stats.status().message();
    return rep;
  }
  rep.new_posts = stats->posts_inserted;
  rep.drafts = stats->drafts_created;
  rep.erased_authors = stats->posts_of_erased_authors;
  return rep;
}

}  // namespace sambat::daemon
