// One poll of one endpoint, end to end: connector → classifier → store, with the cursor and
// the platform's rate-limit or pause state written in the same transaction as the posts.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "classifier/classifier.h"
#include "connectors/connector.h"
#include "daemon/ingest.h"
#include "db/store.h"

namespace sambat::daemon {

// The classifier in use; swapped whole on SIGHUP while polls go on.
class ClassifierHolder {
 public:
  explicit ClassifierHolder(std::shared_ptr<const classifier::Classifier> c) : c_(std::move(c)) {}
  std::shared_ptr<const classifier::Classifier> Get() const {
    std::lock_guard lock(mu_);
    return c_;
  }
  void Set(std::shared_ptr<const classifier::Classifier> c) {
    std::lock_guard lock(mu_);
    c_ = std::move(c);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const classifier::Classifier> c_;
};

struct PollReport {
  std::string source, endpoint;
  connectors::PollOutcome::Kind kind = connectors::PollOutcome::Kind::kOk;
  int fetched = 0, new_posts = 0, drafts = 0, requests = 0, skipped = 0;
  int erased_authors = 0;  // posts not kept: their author asked to be erased
  std::optional<int64_t> retry_at;  // kBackoff: not before; kPaused: kPausedForever
  bool more = false;                // a backlog remains: poll again right away
  std::string message;              // English
  std::string operator_message;     // Bahasa Indonesia
  std::vector<connectors::Post> posts;  // dry runs only: what was fetched
  double store_seconds = 0;             // the batch's one transaction (classification overlaps it)
};

class SourceRunner {
 public:
  SourceRunner(connectors::Connector* connector, db::Store* store, const ClassifierHolder* classifier,
               const Clock* clock, IngestOptions options)
      : connector_(connector), store_(store), classifier_(classifier), clock_(clock), options_(options) {}

  // Polls `endpoint` once from its stored cursor. With `dry_run` nothing is written.
  PollReport Poll(const std::string& endpoint, bool dry_run);
  // Stores posts that arrived another way (webhooks) with no cursor change.
  PollReport Store(const std::string& endpoint, const std::vector<connectors::Post>& posts);

  connectors::Connector* connector() const { return connector_; }

 private:
  connectors::Connector* connector_;
  db::Store* store_;
  const ClassifierHolder* classifier_;
  const Clock* clock_;
  IngestOptions options_;
};

}  // namespace sambat::daemon
