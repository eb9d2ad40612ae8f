#include "recap/recap_xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "base/utf8.h"
#include "recap/recap_tables.h"

namespace sambat::recap {
namespace {

// Frees a workbook that was never closed (an error half-way): nothing is written.
struct WorkbookFree {
  void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};
using Workbook = std::unique_ptr<lxw_workbook, WorkbookFree>;

constexpr uint8_t kPaperA4 = 9;
constexpr lxw_row_t kHeaderRow = 2;  // title, note, then the header

struct Formats {
  lxw_format *title, *note, *header, *text, *integer, *minutes, *percent;
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f{};
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.note = workbook_add_format(wb);
  format_set_italic(f.note);
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_bg_color(f.header, 0xD9E2F3);
  format_set_border(f.header, LXW_BORDER_THIN);
  f.text = workbook_add_format(wb);
  format_set_border(f.text, LXW_BORDER_THIN);
  format_set_text_wrap(f.text);
  f.integer = workbook_add_format(wb);
  format_set_border(f.integer, LXW_BORDER_THIN);
  format_set_num_format(f.integer, "#,##0");
  f.minutes = workbook_add_format(wb);
  format_set_border(f.minutes, LXW_BORDER_THIN);
  format_set_num_format(f.minutes, "#,##0.0");
  f.percent = workbook_add_format(wb);
  format_set_border(f.percent, LXW_BORDER_THIN);
  format_set_num_format(f.percent, "0.0%");
  return f;
}

Status Check(lxw_error e, const std::string& what) {
  if (e == LXW_NO_ERROR) return Status::Ok();
  return Status::IoError(what + ": " + lxw_strerror(e));
}

Status WriteSheet(lxw_workbook* wb, const Formats& f, const Table& t, const std::string& footer_title,
                  const std::string& note) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, t.name.c_str());
  if (ws == nullptr) return Status::Internal("cannot add sheet " + t.name);
  SAMBAT_RETURN_IF_ERROR(Check(worksheet_write_string(ws, 0, 0, RepairUtf8(t.title).c_str(), f.title), t.name));
  SAMBAT_RETURN_IF_ERROR(Check(worksheet_write_string(ws, 1, 0, RepairUtf8(note).c_str(), f.note), t.name));
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    SAMBAT_RETURN_IF_ERROR(Check(worksheet_set_column(ws, col, col, t.columns[c].width, nullptr), t.name));
    SAMBAT_RETURN_IF_ERROR(
        Check(worksheet_write_string(ws, kHeaderRow, col, t.columns[c].heading.c_str(), f.header), t.name));
  }
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(kHeaderRow + 1 + r);
    for (size_t c = 0; c < t.rows[r].size(); ++c) {
      const Cell& cell = t.rows[r][c];
      const auto col = static_cast<lxw_col_t>(c);
      lxw_error e = LXW_NO_ERROR;
      switch (cell.kind) {
        case Cell::Kind::kEmpty: e = worksheet_write_blank(ws, row, col, f.text); break;
        // Always a string cell, never a formula: place names are typed by people.
        case Cell::Kind::kText: e = worksheet_write_string(ws, row, col, RepairUtf8(cell.text).c_str(), f.text); break;
        case Cell::Kind::kInt: e = worksheet_write_number(ws, row, col, cell.number, f.integer); break;
        case Cell::Kind::kMinutes: e = worksheet_write_number(ws, row, col, cell.number, f.minutes); break;
        case Cell::Kind::kPercent: e = worksheet_write_number(ws, row, col, cell.number, f.percent); break;
      }
      SAMBAT_RETURN_IF_ERROR(Check(e, t.name));
    }
  }
  worksheet_freeze_panes(ws, kHeaderRow + 1, 0);
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, kPaperA4);
  worksheet_fit_to_pages(ws, 1, 0);  // one page wide, as many tall as needed
  worksheet_center_horizontally(ws);
  SAMBAT_RETURN_IF_ERROR(Check(worksheet_repeat_rows(ws, kHeaderRow, kHeaderRow), t.name));
  // '&' starts a code in Excel's header/footer language; a literal one is written "&&".
  std::string left;
  for (char ch : footer_title) left += ch == '&' ? std::string("&&") : std::string(1, ch);
  const std::string footer = "&L" + left + "&RHalaman &P dari &N";
  SAMBAT_RETURN_IF_ERROR(Check(worksheet_set_footer(ws, footer.c_str()), t.name));
  return Status::Ok();
}

Status WriteWorkbook(const db::Recap& recap, const RecapNames& names, const std::string& path) {
  Workbook wb(workbook_new(path.c_str()));
  if (!wb) return Status::IoError("cannot create workbook " + path);
  const Formats f = MakeFormats(wb.get());
  const std::string footer = "Rekap Bulanan Aduan " + MonthTitle(recap.period) + " — sambatd";
  const std::string note = PeriodNote(recap);
  for (const auto& t : RecapTables(recap, names)) SAMBAT_RETURN_IF_ERROR(WriteSheet(wb.get(), f, t, footer, note));
  lxw_doc_properties props{};
  const std::string title = "Rekap Bulanan Aduan " + MonthTitle(recap.period);
  props.title = const_cast<char*>(title.c_str());
  props.company = const_cast<char*>("Diskominfo Kabupaten Cilacap");
  SAMBAT_RETURN_IF_ERROR(Check(workbook_set_properties(wb.get(), &props), "properties"));
  // workbook_close writes the file and frees the workbook, whatever it returns.
  return Check(workbook_close(wb.release()), "cannot write " + path);
}

}  // namespace

Status WriteRecapXlsx(const db::Recap& recap, const RecapNames& names, const std::string& path) {
  const std::string tmp = path + ".tmp";
  Status s = WriteWorkbook(recap, names, tmp);
  std::error_code ec;
  if (!s.ok()) {
    std::filesystem::remove(tmp, ec);
    return s;
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IoError("cannot rename " + tmp + " to " + path + ": " + ec.message());
  }
  return Status::Ok();
}

Result<std::string> RecapXlsxBytes(const db::Recap& recap, const RecapNames& names, const std::string& tmp_dir) {
  std::string tmpl = tmp_dir + "/sambatd-rekap-XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Status::IoError("cannot create a temporary file in " + tmp_dir);
  ::close(fd);
  Status s = WriteWorkbook(recap, names, tmpl);
  std::string bytes;
  if (s.ok()) {
    std::ifstream in(tmpl, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    bytes = buf.str();
    if (!in || bytes.empty()) s = Status::IoError("cannot read back " + tmpl);
  }
  std::error_code ec;
  std::filesystem::remove(tmpl, ec);
  if (!s.ok()) return s;
  return bytes;
}

}  // namespace sambat::recap
