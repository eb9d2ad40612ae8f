// The recap's CSV, JSON and XLSX from the seeded month (tests/db/recap_seed.h).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "recap/recap_csv.h"
#include "recap/recap_json.h"
#include "recap/recap_xlsx.h"
#include "tests/db/recap_seed.h"
#include "tests/support/temp_dir.h"

namespace sambat::recap {
namespace {

using db::testing::kMinute;
using db::testing::kRecapNow;

class RecapFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = db::SqliteStore::Open(dir_.File("rekap.db"), &clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    db::testing::RecapSeeder(store_.get(), &clock_).SeedNovember();
    auto r = store_->MonthlyRecap(*db::ParseRecapMonth("2026-11"), SopLimits{}, kRecapNow);
    ASSERT_TRUE(r.ok());
    recap_ = *r;
    names_.opd = {{"DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"}, {"DISHUB", "Dinas Perhubungan, \"Dishub\""}};
  }

  // The lines of one CSV section, from its name to the empty line.
  static std::vector<std::string> Section(const std::string& csv, const std::string& name) {
    std::vector<std::string> out;
    std::istringstream in(csv);
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!inside && line == name) {
        inside = true;
        continue;
      }
      if (inside && line.empty()) break;
      if (inside) out.push_back(line);
    }
    return out;
  }

  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(db::testing::kNovStart)};
  std::unique_ptr<db::SqliteStore> store_;
  db::Recap recap_;
  RecapNames names_;
};

TEST(RecapCsv, FieldsAreQuotedPerRfc4180AndFormulasDefused) {
  EXPECT_EQ(CsvField("Kroya"), "Kroya");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("kata \"kutip\""), "\"kata \"\"kutip\"\"\"");
  EXPECT_EQ(CsvField("dua\nbaris"), "\"dua\nbaris\"");
  EXPECT_EQ(CsvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  EXPECT_EQ(CsvField("-"), "-");
  EXPECT_EQ(CsvField("-1+1"), "'-1+1");
}

TEST_F(RecapFormatTest, CsvHasOneSectionPerTableWithExactFigures) {
  const std::string csv = RecapToCsv(recap_, names_);
  EXPECT_NE(csv.find("\r\n"), std::string::npos);  // CRLF line ends
  auto summary = Section(csv, "Ringkasan");
  ASSERT_FALSE(summary.empty());
  EXPECT_EQ(summary[0], "Ukuran,Nilai");
  auto has = [](const std::vector<std::string>& lines, const std::string& want) {
    return std::find(lines.begin(), lines.end(), want) != lines.end();
  };
  EXPECT_TRUE(has(summary, "Bulan,2026-11"));
  EXPECT_TRUE(has(summary, "Awal periode,2026-11-01 00:00 WIB"));
  EXPECT_TRUE(has(summary, "Akhir periode (tidak termasuk),2026-12-01 00:00 WIB"));
  EXPECT_TRUE(has(summary, "Aduan tertangkap,9"));
  EXPECT_TRUE(has(summary, "Dikonfirmasi & didisposisikan,4"));
  EXPECT_TRUE(has(summary, "Waktu tangkap → konfirmasi: median (menit),15.0"));
  EXPECT_TRUE(has(summary, "Waktu tangkap → konfirmasi: persentil ke-90 (menit),27.0"));

  auto opd = Section(csv, "Per OPD");
  ASSERT_EQ(opd.size(), 5u);
  EXPECT_EQ(opd[0], "Kode OPD,Nama OPD,Jumlah,Menunggu,Dikonfirmasi,Dikembalikan ke pemohon,Ditolak,Duplikat");
  EXPECT_EQ(opd[1], "DPUPR,Dinas Pekerjaan Umum dan Penataan Ruang,4,1,2,1,0,0");
  EXPECT_EQ(opd[2], "DINKES,-,2,1,0,0,0,1");
  EXPECT_EQ(opd[3], "DISHUB,\"Dinas Perhubungan, \"\"Dishub\"\"\",2,0,2,0,0,0");
  EXPECT_EQ(opd[4], "(belum diisi),-,1,0,0,0,1,0");

  auto kanal = Section(csv, "Per Kanal");
  ASSERT_EQ(kanal.size(), 5u);
  EXPECT_EQ(kanal[1], "X,4,0,2,1,0,1");
  EXPECT_EQ(kanal[4], "Entri manual,1,1,0,0,0,0");

  auto status = Section(csv, "Per Status");
  EXPECT_TRUE(has(status, "Dikonfirmasi,4,44.4%"));
  EXPECT_TRUE(has(status, "Jumlah,9,100.0%"));

  auto sla = Section(csv, "SLA per Tahap");
  ASSERT_EQ(sla.size(), 7u);
  EXPECT_EQ(sla[1], "Konfirmasi Admin Utama,15.0,2,2,0,50.0%");
  EXPECT_EQ(sla[2], "Diterima Admin OPD,15.0,1,2,1,33.3%");
  EXPECT_EQ(sla[6], "Seluruh SOP,135.0,1,2,1,33.3%");

  auto top = Section(csv, "Lokasi Teratas");
  ASSERT_EQ(top.size(), 6u);
  EXPECT_EQ(top[1], "1,Kroya,Pesanggrahan,3");
  EXPECT_EQ(top[2], "2,Cilacap Selatan,Tegalkamulyan,2");

  auto daily = Section(csv, "Tren Harian");
  ASSERT_EQ(daily.size(), 31u);
  EXPECT_EQ(daily[0], "Tanggal (WIB),Aduan tertangkap,Konfirmasi dibuat");
  EXPECT_EQ(daily[1], "2026-11-01,1,2");
  EXPECT_EQ(daily[30], "2026-11-30,1,1");
}

TEST_F(RecapFormatTest, JsonCarriesCodesAndMilliseconds) {
  rapidjson::Document d;
  d.Parse(RecapToJson(recap_).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["month"].GetString(), "2026-11");
  EXPECT_STREQ(d["period"]["start"].GetString(), "2026-10-31T17:00:00Z");
  EXPECT_STREQ(d["period"]["end"].GetString(), "2026-11-30T17:00:00Z");
  EXPECT_EQ(d["period"]["days"].GetInt(), 30);
  EXPECT_EQ(d["totals"]["total"].GetInt64(), 9);
  EXPECT_EQ(d["totals"]["confirmed"].GetInt64(), 4);
  EXPECT_EQ(d["returned_by_opd"].GetInt64(), 1);
  EXPECT_EQ(d["capture_to_confirm"]["median_ms"].GetInt64(), 15 * kMinute);
  EXPECT_EQ(d["capture_to_confirm"]["p90_ms"].GetInt64(), 27 * kMinute);
  ASSERT_EQ(d["by_opd"].Size(), 4u);
  EXPECT_STREQ(d["by_opd"][0]["key"].GetString(), "DPUPR");
  EXPECT_TRUE(d["by_opd"][3]["key"].IsNull());
  EXPECT_EQ(d["by_opd"][3]["rejected"].GetInt64(), 1);
  EXPECT_STREQ(d["sla"][1]["stage"].GetString(), "diterima_opd");
  EXPECT_EQ(d["sla"][1]["late"].GetInt64(), 2);
  EXPECT_EQ(d["sla"][1]["open"].GetInt64(), 1);
  EXPECT_TRUE(d["top_locations"][2]["desa"].IsNull());
  EXPECT_EQ(d["daily"].Size(), 30u);
  EXPECT_EQ(d["daily"][0]["confirmed"].GetInt64(), 2);
}

TEST_F(RecapFormatTest, EmptyMonthHasNoMedian) {
  auto r = store_->MonthlyRecap(*db::ParseRecapMonth("2027-01"), SopLimits{}, kRecapNow);
  ASSERT_TRUE(r.ok());
  rapidjson::Document d;
  d.Parse(RecapToJson(*r).c_str());
  EXPECT_EQ(d["totals"]["total"].GetInt64(), 0);
  EXPECT_TRUE(d["capture_to_confirm"]["median_ms"].IsNull());
  EXPECT_EQ(d["daily"].Size(), 31u);
  EXPECT_NE(RecapToCsv(*r, names_).find("Waktu tangkap → konfirmasi: median (menit),-"), std::string::npos);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// `unzip -p FILE MEMBER`, or "" when unzip is missing or fails.
std::string Unzip(const std::string& file, const std::string& member) {
  const std::string cmd = "unzip -p '" + file + "' '" + member + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return "";
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, n);
  return out;
}

TEST_F(RecapFormatTest, XlsxIsAZipWithOneSheetPerTable) {
  const std::string path = dir_.File("rekap-2026-11.xlsx");
  ASSERT_TRUE(WriteRecapXlsx(recap_, names_, path).ok());
  const std::string bytes = Slurp(path);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));  // a zip's local file header
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  if (std::system("unzip -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "unzip not installed: sheet names not checked";
  const std::string workbook = Unzip(path, "xl/workbook.xml");
  size_t at = 0;
  for (const char* sheet : {"Ringkasan", "Per OPD", "Per Kanal", "Per Kategori", "Per Kecamatan", "Per Status",
                            "SLA per Tahap", "Lokasi Teratas", "Tren Harian"}) {
    const size_t found = workbook.find(std::string("<sheet name=\"") + sheet + "\"", at);
    ASSERT_NE(found, std::string::npos) << sheet << " missing or out of order in " << workbook;
    at = found;
  }
  // Print titles: the header row (row 3) repeats on every page.
  EXPECT_NE(workbook.find("_xlnm.Print_Titles"), std::string::npos);
  const std::string shared = Unzip(path, "xl/sharedStrings.xml");
  EXPECT_NE(shared.find("Dinas Pekerjaan Umum dan Penataan Ruang"), std::string::npos);
  EXPECT_NE(shared.find("Persen tepat waktu"), std::string::npos);
  const std::string opd_sheet = Unzip(path, "xl/worksheets/sheet2.xml");
  EXPECT_NE(opd_sheet.find("orientation=\"landscape\""), std::string::npos);
  EXPECT_NE(opd_sheet.find("fitToHeight=\"0\""), std::string::npos);
  EXPECT_NE(opd_sheet.find("<cols>"), std::string::npos);
}

TEST_F(RecapFormatTest, XlsxBytesForDownloadLeaveNoFileBehind) {
  auto bytes = RecapXlsxBytes(recap_, names_, dir_.path());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(bytes->substr(0, 2), "PK");
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) files += e.path().filename().string().rfind("sambatd-rekap-", 0) == 0;
  EXPECT_EQ(files, 0u);
}

TEST_F(RecapFormatTest, XlsxToAMissingFolderFails) {
  Status s = WriteRecapXlsx(recap_, names_, dir_.File("tidak-ada/rekap.xlsx"));
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace sambat::recap
