#include "base/text_template.h"

namespace sambat {
namespace {

// Walks `text`, calling `literal` for plain text and `placeholder` for each {name}.
template <typename Literal, typename Placeholder>
Status Scan(std::string_view text, Literal literal, Placeholder placeholder) {
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal(std::string_view(&text[i], 1));
      i += 2;
    } else if (c == '}') {
      return Status::InvalidArgument("a lone '}' at character " + std::to_string(i + 1) + " (write }} for a brace)");
    } else if (c == '{') {
      const size_t close = text.find('}', i + 1);
      const size_t reopen = text.find('{', i + 1);
      if (close == std::string_view::npos || (reopen != std::string_view::npos && reopen < close)) {
        return Status::InvalidArgument("'{' at character " + std::to_string(i + 1) + " is not closed with '}'");
      }
      std::string_view name = text.substr(i + 1, close - i - 1);
      if (name.empty()) return Status::InvalidArgument("an empty {} at character " + std::to_string(i + 1));
      SAMBAT_RETURN_IF_ERROR(placeholder(name));
      i = close + 1;
    } else {
      const size_t next = text.find_first_of("{}", i);
      const size_t end = next == std::string_view::npos ? text.size() : next;
      literal(text.substr(i, end - i));
      i = end;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> TemplatePlaceholders(std::string_view text) {
  std::vector<std::string> names;
  Status s = Scan(
      text, [](std::string_view) {},
      [&](std::string_view name) {
        names.emplace_back(name);
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return names;
}

Result<std::string> RenderTemplate(std::string_view text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size() + 64);
  Status s = Scan(
      text, [&](std::string_view lit) { out.append(lit); },
      [&](std::string_view name) {
        auto it = vars.find(std::string(name));
        if (it == vars.end()) return Status::InvalidArgument("unknown placeholder {" + std::string(name) + "}");
        out += it->second;
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return out;
}

}  // namespace sambat
