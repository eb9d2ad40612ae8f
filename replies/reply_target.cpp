#include "replies/reply_target.h"

namespace sambat::replies {

Result<ReplyTarget> TargetFor(const std::string& platform, const std::string& post_kind, const std::string& post_id,
                              const std::optional<std::string>& parent_id) {
  if (platform == "x") return ReplyTarget{.kind = "x_reply", .id = post_id};
  if (platform == "facebook") return ReplyTarget{.kind = "fb_comment", .id = post_id};
  if (platform == "instagram") {
    if (post_kind == "comment" || post_kind == "reply") return ReplyTarget{.kind = "ig_comment_reply", .id = post_id};
    if (post_kind == "mention") {
      // A comment mention has the media it sits on as parent; a caption mention is the media.
      if (parent_id) {
        return ReplyTarget{.kind = "ig_mention", .id = post_id, .media_id = parent_id, .comment_id = post_id};
      }
      return ReplyTarget{.kind = "ig_mention", .id = post_id, .media_id = post_id};
    }
    return Status::FailedPrecondition(
        "Instagram tidak mengizinkan akun kita berkomentar di foto yang hanya menandai akun kita; "
        "balas pemohon secara manual lewat aplikasi Instagram.");
  }
  return Status::FailedPrecondition("Aduan ini tidak berasal dari media sosial; tidak ada kanal untuk membalas.");
}

}  // namespace sambat::replies
