// A connector fetches what is new on one platform since a cursor. It knows nothing of rules
// or storage: it returns posts, the cursor to store with them, and what the platform said
// about limits and credentials.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sambat::connectors {

struct Media {
  std::string type;  // photo | video
  std::string url;   // may expire (Instagram CDN links); the post's permalink stays
};

struct Post {
  std::string platform;  // x | facebook | instagram
  std::string id;        // stable: X uses the first id of the edit chain
  std::string kind = "post";  // post | comment | reply | mention | tag
  std::string endpoint;
  std::optional<std::string> author_id, author_handle, author_name;
  std::string text;
  std::optional<std::string> url;
  std::optional<int64_t> created_at;  // Unix ms
  std::vector<Media> media;
  std::optional<std::string> parent_id;
  std::string raw_json;
};

struct PollOutcome {
  enum class Kind {
    kOk,       // every page fetched; store posts and cursor together
    kBackoff,  // rate-limited or a passing fault: try again at `retry_at`
    kPaused,   // needs a person (expired token, missing permission, usage cap)
  };
  Kind kind = Kind::kOk;
  std::vector<Post> posts;          // with kBackoff/kPaused: empty (nothing half-done is kept)
  std::optional<std::string> cursor;  // the new cursor (kOk only; unset = keep the old one)
  bool more = false;                // kOk: a backlog remains; poll again right away
  int requests = 0;
  int skipped_items = 0;            // items that could not be read (each logged)
  std::optional<int64_t> retry_at;  // Unix ms
  std::optional<int64_t> rate_remaining;
  std::optional<int64_t> rate_reset_at;  // Unix ms
  std::string log_message;          // English, for the log (never a URL query or a token)
  std::string operator_message;     // Bahasa Indonesia, shown to operators
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual std::string platform() const = 0;
  // The endpoints this connector polls, each with its own cursor ("mentions", "tagged", ...).
  virtual std::vector<std::string> endpoints() const = 0;
  // Fetches everything after `cursor` on `endpoint`, following pagination to the end.
  // Blocking (HTTP); never throws.
  virtual PollOutcome Poll(const std::string& endpoint, const std::optional<std::string>& cursor) = 0;
};

}  // namespace sambat::connectors
