#include "daemon/scheduler.h"

#include "daemon/schedule.h"

namespace sambat::daemon {

Scheduler::Scheduler(std::vector<Task> tasks, const Clock* clock, ReportFn on_report, std::function<void()> idle_work)
    : tasks_(std::move(tasks)), clock_(clock), on_report_(std::move(on_report)), idle_work_(std::move(idle_work)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::RestoreFrom(db::Store* store) {
  const int64_t now = ToUnixMillis(clock_->Now());
  std::lock_guard lock(mu_);
  for (auto& t : tasks_) {
    t.next_at = now;
    auto c = store->GetCursor(t.runner->connector()->platform(), t.endpoint);
    if (c.ok() && c->has_value() && (*c)->paused_until && *(*c)->paused_until > now) t.next_at = *(*c)->paused_until;
  }
}

void Scheduler::Start() { thread_ = std::thread([this] { Loop(); }); }

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::ResumePaused() {
  const int64_t now = ToUnixMillis(clock_->Now());
  {
    std::lock_guard lock(mu_);
    for (auto& t : tasks_) {
      if (t.next_at == kPausedForever) {
        t.next_at = now;
        t.failures = 0;
      }
    }
    woken_ = true;
  }
  cv_.notify_all();
}

void Scheduler::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Scheduler::Loop() {
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  while (true) {
    Task* due = nullptr;
    {
      std::unique_lock lock(mu_);
      if (stop_) return;
      const int64_t now = ToUnixMillis(clock_->Now());
      int64_t next = kPausedForever;
      for (auto& t : tasks_) {
        if (t.next_at <= now && (!due || t.next_at < due->next_at)) due = &t;
        next = std::min(next, t.next_at);
      }
      if (!due) {
        if (woken_) {
          woken_ = false;
        } else {
          // Waits in real time: the decisions above are what tests check, with a fake clock.
          const int64_t wait = std::min<int64_t>(next - now, 1000);
          cv_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(wait, 1)), [this] { return stop_ || woken_; });
          if (stop_) return;
          if (!woken_) continue;
          woken_ = false;
        }
      }
    }
    if (idle_work_) idle_work_();
    if (!due) continue;
    PollReport rep = due->runner->Poll(due->endpoint, false);
    const int64_t now = ToUnixMillis(clock_->Now());
    {
      std::lock_guard lock(mu_);
      if (rep.kind == connectors::PollOutcome::Kind::kPaused) {
        due->next_at = kPausedForever;
      } else {
        due->failures = rep.kind == connectors::PollOutcome::Kind::kOk ? 0 : due->failures + 1;
        due->next_at = NextPollAt(now, due->interval_ms, due->failures, jitter(rng_), rep.retry_at);
        if (rep.more && !rep.retry_at) due->next_at = now;  // a backlog: keep reading
      }
    }
    if (on_report_) on_report_(rep);
  }
}

}  // namespace sambat::daemon
