// The daily purge (UU 27/2022: personal data no longer than needed), on a thread of its own so
// a long purge never holds up the event loop. Timing is a pure function of clock values.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "base/clock.h"
#include "db/retention_store.h"

namespace sambat::daemon {

// The first `purge_minute` (minutes after midnight WIB, UTC+7) strictly after `now_ms`.
int64_t NextPurgeAt(int64_t now_ms, int purge_minute);

// When the daemon's first purge is due: now when the last purge is more than a day old or there
// was none (the daemon was stopped at purge time), else the next purge time.
int64_t FirstPurgeAt(int64_t now_ms, std::optional<int64_t> last_purge_ms, int purge_minute);

class RetentionRunner {
 public:
  struct Options {
    db::RetentionPolicy policy;
    int purge_minute = 150;
  };

  // `store` and `clock` outlive the runner.
  RetentionRunner(db::RetentionStore* store, const Clock* clock, Options options);
  ~RetentionRunner();  // Stop()

  // Reads the last purge from the store and schedules the first one.
  void Restore();
  // Runs the purge if it is due by the clock, then schedules the next; true when it ran.
  // The thread calls this; tests call it directly with a FakeClock.
  bool RunIfDue();
  int64_t next_at() const;
  // After a reload; the next purge time follows the new purge_minute.
  void SetOptions(Options options);

  void Start();
  // Cancels a purge in progress between two batches and joins the thread.
  void Stop();

 private:
  void Loop();

  db::RetentionStore* store_;
  const Clock* clock_;
  mutable std::mutex mu_;
  Options options_;
  int64_t next_at_ = 0;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace sambat::daemon
