#include "handoff/dispatcher.h"

#include <spdlog/spdlog.h>

namespace sambat::handoff {

Dispatcher::Dispatcher(db::OutboxStore* store, Sink* sink, const Clock* clock, RetryPolicy policy,
                       std::function<double()> random_unit, DispatchOptions options)
    : store_(store),
      sink_(sink),
      clock_(clock),
      policy_(policy),
      random_unit_(std::move(random_unit)),
      o_(std::move(options)) {}

Dispatcher::~Dispatcher() { Stop(); }

Result<DispatchStats> Dispatcher::RunOnce() {
  DispatchStats stats;
  const int64_t now = ToUnixMillis(clock_->Now());
  if (o_.before_pass) o_.before_pass(now);
  auto due = store_->DueOutbox(o_.kind, now, 50);
  if (!due.ok()) return due.status();
  const char* kind = o_.kind.c_str();
  for (const auto& item : *due) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    if (o_.hold) {
      if (auto later = o_.hold(item, now)) {
        SAMBAT_RETURN_IF_ERROR(store_->MarkRetry(item.id, *later, item.last_error.value_or("")));
        continue;
      }
    }
    SAMBAT_RETURN_IF_ERROR(store_->MarkSending(item.id, now));
    const Verdict v = sink_->Deliver(item, ToUnixMillis(clock_->Now()));
    const int attempts = item.attempts + 1;
    const int64_t after = ToUnixMillis(clock_->Now());
    switch (v.kind) {
      case Verdict::Kind::kDelivered:
        SAMBAT_RETURN_IF_ERROR(store_->MarkDelivered(item.id, v.external_ref, after));
        spdlog::info("{}: draft {} delivered{} after {} attempt(s)", kind, item.draft_id,
                     v.external_ref ? " as " + *v.external_ref : "", attempts);
        ++stats.delivered;
        break;
      case Verdict::Kind::kRetry: {
        const int64_t delay = RetryDelayMs(attempts, random_unit_(), policy_, v.retry_after_ms);
        SAMBAT_RETURN_IF_ERROR(store_->MarkRetry(item.id, after + delay, v.message));
        spdlog::warn("{}: draft {} not delivered ({}); attempt {} in {} s", kind, item.draft_id, v.message,
                     attempts + 1, delay / 1000);
        ++stats.retried;
        break;
      }
      case Verdict::Kind::kDead:
        SAMBAT_RETURN_IF_ERROR(store_->MarkDead(item.id, v.message));
        spdlog::error("{}: draft {} refused ({}); kept as a dead letter for Admin Utama", kind, item.draft_id,
                      v.message);
        ++stats.dead;
        break;
    }
  }
  return stats;
}

void Dispatcher::Start() { thread_ = std::thread([this] { Loop(); }); }

void Dispatcher::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Dispatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Dispatcher::Loop() {
  while (true) {
    auto stats = RunOnce();
    if (!stats.ok()) spdlog::error("{}: {}", o_.kind, stats.status().message());
    std::unique_lock lock(mu_);
    // Busy: come back at once for the rest; idle: the next due row is at most idle_poll_ away.
    const bool busy = stats.ok() && (stats->delivered + stats->retried + stats->dead) >= 50;
    if (!busy) cv_.wait_for(lock, o_.idle_poll, [this] { return woken_ || stopping_; });
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace sambat::handoff
