#include "daemon/retention_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sambat::daemon {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kWibMs = 7 * 3'600'000;  // Cilacap's clock: UTC+7, no daylight saving

}  // namespace

int64_t NextPurgeAt(int64_t now_ms, int purge_minute) {
  const int64_t local = now_ms + kWibMs;
  const int64_t day_start = local - ((local % kDayMs) + kDayMs) % kDayMs;
  int64_t at = day_start + int64_t{purge_minute} * 60'000;
  if (at <= local) at += kDayMs;
  return at - kWibMs;
}

int64_t FirstPurgeAt(int64_t now_ms, std::optional<int64_t> last_purge_ms, int purge_minute) {
  if (!last_purge_ms || now_ms - *last_purge_ms >= kDayMs) return now_ms;
  return NextPurgeAt(now_ms, purge_minute);
}

RetentionRunner::RetentionRunner(db::RetentionStore* store, const Clock* clock, Options options)
    : store_(store), clock_(clock), options_(options) {}

RetentionRunner::~RetentionRunner() { Stop(); }

void RetentionRunner::Restore() {
  const int64_t now = ToUnixMillis(clock_->Now());
  auto last = store_->LastPurgeAt();
  std::lock_guard lock(mu_);
  // Unreadable: as if there was none (a purge of nothing old is harmless).
  next_at_ = FirstPurgeAt(now, last.ok() ? *last : std::nullopt, options_.purge_minute);
}

int64_t RetentionRunner::next_at() const {
  std::lock_guard lock(mu_);
  return next_at_;
}

void RetentionRunner::SetOptions(Options options) {
  std::lock_guard lock(mu_);
  const bool time_changed = options.purge_minute != options_.purge_minute;
  options_ = options;
  if (time_changed) next_at_ = NextPurgeAt(ToUnixMillis(clock_->Now()), options_.purge_minute);
}

bool RetentionRunner::RunIfDue() {
  Options options;
  {
    std::lock_guard lock(mu_);
    if (ToUnixMillis(clock_->Now()) < next_at_) return false;
    options = options_;
  }
  const int64_t now = ToUnixMillis(clock_->Now());
  auto counts = store_->Purge(
      {.policy = options.policy, .now_ms = now, .dry_run = false, .actor = "sambatd", .cancel = &cancel_});
  if (!counts.ok()) {
    spdlog::error("retention purge failed: {}", counts.status().message());
  } else {
    spdlog::info(
        "retention purge: {} non-complaint posts, {} rejected and {} duplicate drafts ({} posts), {} classifications, "
        "{} outbox rows, {} disposition steps, {} webhook events deleted; {} audit rows redacted",
        counts->non_complaint_posts, counts->rejected_drafts, counts->duplicate_drafts, counts->draft_posts,
        counts->classifications, counts->outbox_rows, counts->disposition_steps, counts->webhook_events,
        counts->audit_rows_redacted);
  }
  std::lock_guard lock(mu_);
  // A failure is tried again at the next purge time, not in a loop.
  next_at_ = NextPurgeAt(ToUnixMillis(clock_->Now()), options_.purge_minute);
  return true;
}

void RetentionRunner::Start() { thread_ = std::thread([this] { Loop(); }); }

void RetentionRunner::Stop() {
  cancel_ = true;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionRunner::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      // Waits in real time, a minute at most, and looks at the clock again: the decision
      // (RunIfDue) is what tests check, with a fake clock.
      const int64_t wait = std::clamp<int64_t>(next_at_ - ToUnixMillis(clock_->Now()), 1, 60'000);
      cv_.wait_for(lock, std::chrono::milliseconds(wait), [this] { return stop_; });
      if (stop_) return;
    }
    RunIfDue();
  }
}

}  // namespace sambat::daemon
