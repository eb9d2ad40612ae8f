// Secrets (platform tokens, the sink's token) are read from files, never from the command
// line or the configuration itself, and never printed.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace sambat {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  // The only accessor; its callers must not log the result.
  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

// Resolves `name` as systemd does for LoadCredential=: a bare name (no '/') is looked up in
// $CREDENTIALS_DIRECTORY when that is set; anything else is a path. Trailing newlines are
// stripped. A file readable by group or others adds a warning (in English, for the log).
Result<Secret> ReadSecretFile(const std::string& name, std::vector<std::string>* warnings);

// Where ReadSecretFile would read `name` from.
std::string ResolveSecretPath(const std::string& name);

}  // namespace sambat
