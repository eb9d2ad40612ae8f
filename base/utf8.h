// UTF-8 repair: posts and form fields are hostile, and JSON or HTML built from them must
// stay well-formed. Every invalid sequence (bad lead byte, truncated, overlong, surrogate,
// beyond U+10FFFF) becomes U+FFFD, one per offending byte.
#pragma once

#include <string>
#include <string_view>

namespace sambat {

std::string RepairUtf8(std::string_view text);

bool IsValidUtf8(std::string_view text);

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is invalid.
size_t Utf8SequenceLength(std::string_view text, size_t i);

}  // namespace sambat
