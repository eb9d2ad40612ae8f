// The recap as CSV (RFC 4180: comma-separated, CRLF, fields with a comma, quote or line break
// quoted, quotes doubled). Layout: the tables of recap_tables.h in order, each as one line
// with the table's name, one header line, its rows, then an empty line.
#pragma once

#include <string>
#include <string_view>

#include "db/recap.h"
#include "recap/recap_labels.h"

namespace sambat::recap {

std::string RecapToCsv(const db::Recap& recap, const RecapNames& names);

// One CSV field. Text a spreadsheet would take for a formula (=, +, @, or - followed by more)
// gets a leading apostrophe: place names are typed by people.
std::string CsvField(std::string_view text);

}  // namespace sambat::recap
