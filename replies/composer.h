// Turns an event the citizen should hear about into a reply row: the template filled in,
// redacted, cut to the platform's length, checked for personal data, and addressed.
#pragma once

#include <functional>
#include <string>

#include "config/config.h"
#include "db/reply_store.h"

namespace sambat::replies {

// The most a platform takes in one reply, in characters (X: 280; Instagram comments: 2,200;
// Facebook comments: 8,000).
size_t MaxReplyLength(const std::string& platform);

// `text` cut to `max` characters (UTF-8 code points) at a word boundary, ending in "…".
std::string FitLength(const std::string& text, size_t max);

// The reply for `event`: status "review" or "pending" (by `config.mode`), or "dead" with the
// reason when the platform cannot be answered or the text would carry personal data.
// `opd_name` gives an OPD's name for its code.
db::NewReply ComposeReply(const db::ReplyEvent& event, const config::RepliesConfig& config,
                          const std::function<std::string(const std::string&)>& opd_name);

}  // namespace sambat::replies
