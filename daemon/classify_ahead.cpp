#include "daemon/classify_ahead.h"

namespace sambat::daemon {

ClassifyAhead::ClassifyAhead(std::vector<connectors::Post> posts, const classifier::Classifier& classifier,
                             int64_t now_ms, IngestOptions options)
    : posts_(std::move(posts)), classifier_(classifier), now_ms_(now_ms), options_(options),
      worker_([this] { Run(); }) {}

ClassifyAhead::~ClassifyAhead() {
  stopping_ = true;  // a writer that gave up should not wait for the rest of a chunk
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void ClassifyAhead::Run() {
  std::vector<db::IngestItem> chunk;
  for (size_t i = 0; i < posts_.size() && !stopping_; ++i) {
    chunk.push_back(MakeIngestItem(std::move(posts_[i]), classifier_, now_ms_, options_));
    if (chunk.size() < kChunk && i + 1 < posts_.size()) continue;
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stop_ || ready_.size() < kChunksAhead; });
    if (stop_) return;
    ready_.push_back(std::move(chunk));
    chunk.clear();
    lock.unlock();
    cv_.notify_all();
  }
}

const db::IngestItem* ClassifyAhead::Next() {
  if (taken_ == posts_.size()) return nullptr;
  if (next_in_chunk_ == current_.size()) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !ready_.empty(); });
    current_ = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    cv_.notify_all();
    next_in_chunk_ = 0;
  }
  ++taken_;
  return &current_[next_in_chunk_++];
}

}  // namespace sambat::daemon
