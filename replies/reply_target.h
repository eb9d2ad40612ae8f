// Where a reply to a stored post goes on its platform, or why it cannot go anywhere.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"

namespace sambat::replies {

struct ReplyTarget {
  // x_reply: POST /2/tweets in reply to `id`
  // fb_comment: POST /{id}/comments (a post or a comment: a reply to a comment threads under it)
  // ig_comment_reply: POST /{id}/replies (a comment on our own media)
  // ig_mention: POST /{ig-user-id}/mentions with media_id (and comment_id for a comment mention)
  std::string kind;
  std::string id;
  std::optional<std::string> media_id = {}, comment_id = {};
};

// From the stored post: platform, kind (post|comment|reply|mention|tag), its id and parent.
// FailedPrecondition, in Indonesian, where the platform offers no way to answer (Instagram
// photos where the account was only tagged; manual entries).
Result<ReplyTarget> TargetFor(const std::string& platform, const std::string& post_kind, const std::string& post_id,
                              const std::optional<std::string>& parent_id);

}  // namespace sambat::replies
