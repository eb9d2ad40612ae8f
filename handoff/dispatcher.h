// The dispatcher: delivers the outbox's rows of one kind to a sink, on its own thread, with
// retries (exponential backoff, jitter, Retry-After) and dead letters. Hand-offs are at least
// once, made exactly once by the sink's idempotency key: a row is marked "sending" before the
// network call, so a process killed between sending and marking sends it again with the same
// key. Replies have no such key; their dispatcher turns rows left "sending" into dead letters
// before it starts (see ReplyStore::AbandonInterruptedReplies).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "base/clock.h"
#include "db/outbox_store.h"
#include "handoff/retry.h"
#include "handoff/sink.h"

namespace sambat::handoff {

struct DispatchStats {
  int delivered = 0, retried = 0, dead = 0;
};

struct DispatchOptions {
  std::string kind = "handoff";  // the outbox rows this dispatcher delivers
  std::chrono::milliseconds idle_poll{5000};
  // Called at the start of every pass: the reply planner adds rows here.
  std::function<void(int64_t now_ms)> before_pass = {};
  // A row that may not go yet (a platform's hourly write limit): when to look again.
  std::function<std::optional<int64_t>(const db::OutboxItem&, int64_t now_ms)> hold = {};
};

class Dispatcher {
 public:
  // `random_unit` returns uniform values in [0, 1) for the jitter.
  Dispatcher(db::OutboxStore* store, Sink* sink, const Clock* clock, RetryPolicy policy,
             std::function<double()> random_unit, DispatchOptions options = {});
  ~Dispatcher();

  // One pass over what is due now; returns what happened. Tests call it directly.
  Result<DispatchStats> RunOnce();

  void Start();
  // Confirmation happened: look now rather than at the next idle poll.
  void Wake();
  // Finishes the delivery in flight, then returns.
  void Stop();

 private:
  void Loop();

  db::OutboxStore* store_;
  Sink* sink_;
  const Clock* clock_;
  RetryPolicy policy_;
  std::function<double()> random_unit_;
  DispatchOptions o_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false, stopping_ = false;
  std::thread thread_;
};

}  // namespace sambat::handoff
