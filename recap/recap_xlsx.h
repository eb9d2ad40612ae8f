// The recap as an Excel workbook (libxlsxwriter): one sheet per table of recap_tables.h, a
// bold header row, column widths, and print setup (A4 landscape, fit to one page wide, the
// header row repeated on every page, page numbers in the footer).
#pragma once

#include <string>

#include "base/status.h"
#include "db/recap.h"
#include "recap/recap_labels.h"

namespace sambat::recap {

// Writes `path` (through `path`.tmp, renamed into place, so a reader never sees half a file).
Status WriteRecapXlsx(const db::Recap& recap, const RecapNames& names, const std::string& path);

// The workbook's bytes, for an HTTP download: written to a private temporary file in
// `tmp_dir` (libxlsxwriter 1.1 cannot write to memory), read back and removed.
Result<std::string> RecapXlsxBytes(const db::Recap& recap, const RecapNames& names, const std::string& tmp_dir);

}  // namespace sambat::recap
