// Reading platform JSON safely: iterative parsing (hostile nesting cannot overflow the
// stack), a depth limit, typed getters that never throw, and the platforms' time formats.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sambat::connectors {

// Parses `text` into `doc`. Fails with the byte offset and reason; refuses nesting deeper
// than 64 levels.
Status ParseJson(std::string_view text, rapidjson::Document* doc);

// Member access that tolerates missing members and wrong types.
const rapidjson::Value* Member(const rapidjson::Value& obj, const char* name);
std::optional<std::string> String(const rapidjson::Value& obj, const char* name);
// A string, or a number written back as text (ids must never pass through a double).
std::optional<std::string> IdString(const rapidjson::Value& obj, const char* name);
std::optional<int64_t> Int(const rapidjson::Value& obj, const char* name);

// The three time forms the platforms use, as Unix milliseconds:
//   "2021-08-19T09:00:22+0000" (Graph), "2021-02-24T02:13:43.000Z" (X), and Unix seconds.
std::optional<int64_t> ParseTimestamp(std::string_view text);
std::optional<int64_t> TimestampMember(const rapidjson::Value& obj, const char* name);

// The value serialised back to JSON text (for the raw_json column).
std::string ToJson(const rapidjson::Value& v);

}  // namespace sambat::connectors
