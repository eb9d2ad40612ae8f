// Message templates an operator writes in the configuration: plain text with {name}
// placeholders. No logic, no escapes beyond "{{" and "}}" for literal braces: a template
// that needs more than that should be two templates.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sambat {

// The placeholder names in `text`, in order of appearance; InvalidArgument for an unclosed
// "{" or a stray "}", naming the 1-based character position.
Result<std::vector<std::string>> TemplatePlaceholders(std::string_view text);

// `text` with every {name} replaced by vars[name]; InvalidArgument for a name not in `vars`.
Result<std::string> RenderTemplate(std::string_view text, const std::map<std::string, std::string>& vars);

}  // namespace sambat
