// Runs every enabled source's endpoints on their own schedule, on one worker thread, so no
// HTTP call ever blocks the thread that serves the web queue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "daemon/source_runner.h"

namespace sambat::daemon {

class Scheduler {
 public:
  struct Task {
    SourceRunner* runner;
    std::string endpoint;
    int64_t interval_ms;
    int64_t next_at = 0;  // Unix ms; kPausedForever = until ResumePaused()
    int failures = 0;
  };
  using ReportFn = std::function<void(const PollReport&)>;

  // `idle_work` runs between polls (webhook events); `on_report` after every poll.
  Scheduler(std::vector<Task> tasks, const Clock* clock, ReportFn on_report, std::function<void()> idle_work);
  ~Scheduler();

  // Reads each task's stored pause so a restart does not hammer an API that said "wait".
  void RestoreFrom(db::Store* store);
  void Start();
  // Stops after the poll in progress (its HTTP call is cancelled by the transport's flag).
  void Stop();
  // After a reload: sources paused for a person's attention are tried again now.
  void ResumePaused();
  // Wakes the loop (a webhook event arrived).
  void Wake();

 private:
  void Loop();

  std::vector<Task> tasks_;
  const Clock* clock_;
  ReportFn on_report_;
  std::function<void()> idle_work_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
  std::mt19937 rng_{std::random_device{}()};
};

}  // namespace sambat::daemon
