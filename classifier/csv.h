// Minimal RFC 4180 CSV reading (quoted fields, doubled quotes) for the data files in rules/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sambat::classifier {

// Rows of fields; a malformed row (unterminated quote) ends the input.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text);

}  // namespace sambat::classifier
