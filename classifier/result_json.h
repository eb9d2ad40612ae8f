// The classifier's stable JSON shapes (other tools depend on them).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "classifier/classifier.h"

namespace sambat::classifier {

// One `classify --jsonl` output line for an input line. `line` is the input JSON; a bad line
// gives {"id": ..., "error": "..."} (id null when unreadable). No trailing newline.
std::string ClassifyJsonLine(const Classifier& c, std::string_view line);

// {"complaint","score","opd":[{"code","score"}],"kategori","location":{...},"threshold",
//  "rules":[{"id","kind","weight","opd","spans":[[b,e]],"texts":[...]}],"note"}
std::string ClassificationToJson(const Classification& r);

// [{"code": "DPUPR", "score": 5}, ...], best first: how OPD candidates are stored and shown.
std::string OpdScoresJson(const Classification& r);

// Parses {"id": ..., "text": "..."}; iterative parsing, so hostile nesting cannot overflow
// the stack. On failure returns nullopt and sets `error` (and `id_json` when readable).
struct InputLine {
  std::string id_json = "null";  // the id as JSON (string or number), for echoing back
  std::string text;
};
std::optional<InputLine> ParseInputLine(std::string_view line, std::string* error, std::string* id_json);

}  // namespace sambat::classifier
