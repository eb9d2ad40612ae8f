#include "recap/recap_csv.h"

#include <cstdio>

#include "base/utf8.h"
#include "recap/recap_tables.h"

namespace sambat::recap {
namespace {

std::string CellText(const Cell& c) {
  char buf[32];
  switch (c.kind) {
    case Cell::Kind::kEmpty: return "";
    case Cell::Kind::kText: return c.text;
    case Cell::Kind::kInt: std::snprintf(buf, sizeof buf, "%.0f", c.number); return buf;
    case Cell::Kind::kMinutes: std::snprintf(buf, sizeof buf, "%.1f", c.number); return buf;
    case Cell::Kind::kPercent: std::snprintf(buf, sizeof buf, "%.1f%%", c.number * 100); return buf;
  }
  return "";
}

void Line(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += CsvField(fields[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string CsvField(std::string_view raw) {
  std::string text = RepairUtf8(raw);
  const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '@' || text[0] == '\t' ||
                                         text[0] == '\r' || (text[0] == '-' && text.size() > 1));
  if (formula) text.insert(0, 1, '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string RecapToCsv(const db::Recap& recap, const RecapNames& names) {
  std::string out;
  for (const auto& table : RecapTables(recap, names)) {
    Line(out, {table.name});
    std::vector<std::string> header;
    for (const auto& c : table.columns) header.push_back(c.heading);
    Line(out, header);
    for (const auto& row : table.rows) {
      std::vector<std::string> fields;
      for (const auto& cell : row) fields.push_back(CellText(cell));
      Line(out, fields);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace sambat::recap
