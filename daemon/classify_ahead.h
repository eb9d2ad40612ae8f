// Classifies a poll's posts on a thread of its own, in order and a bounded number ahead of
// the caller, who stores them meanwhile (Store::IngestStream): classification and the SQLite
// writes then run on two cores instead of one after the other.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "classifier/classifier.h"
#include "connectors/connector.h"
#include "daemon/ingest.h"
#include "db/records.h"

namespace sambat::daemon {

class ClassifyAhead {
 public:
  // Starts classifying at once. `classifier` must outlive this object.
  ClassifyAhead(std::vector<connectors::Post> posts, const classifier::Classifier& classifier, int64_t now_ms,
                IngestOptions options);
  // Stops the worker (posts not taken yet are dropped) and waits for it.
  ~ClassifyAhead();
  ClassifyAhead(const ClassifyAhead&) = delete;
  ClassifyAhead& operator=(const ClassifyAhead&) = delete;

  // The next post's item, in post order, valid until the next call; nullptr after the last.
  // Blocks while the worker is still on it. Call from one thread.
  const db::IngestItem* Next();

 private:
  // Items go over in chunks: a hand-over per item cost more in futex wake-ups than it saved.
  // Chunks held ready: enough to keep the writer busy, few enough to bound memory.
  static constexpr size_t kChunk = 64;
  static constexpr size_t kChunksAhead = 4;

  void Run();

  std::vector<connectors::Post> posts_;
  const classifier::Classifier& classifier_;
  const int64_t now_ms_;
  const IngestOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<db::IngestItem>> ready_;  // guarded by mu_
  bool stop_ = false;                              // guarded by mu_
  std::atomic<bool> stopping_{false};              // the same, read between two posts
  // Only Next() touches these: the chunk being handed out, and how far.
  std::vector<db::IngestItem> current_;
  size_t next_in_chunk_ = 0;
  size_t taken_ = 0;
  std::thread worker_;  // last: started once everything it reads exists
};

}  // namespace sambat::daemon
