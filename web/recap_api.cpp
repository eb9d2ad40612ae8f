// GET /api/v1/rekap?month=YYYY-MM (JSON), /rekap.csv and /rekap.xlsx (downloads): the monthly
// recap for any signed-in role. Part of QueueApi (authentication and CSRF are done in Handle).
#include <spdlog/spdlog.h>

#include <filesystem>

#include "recap/recap_csv.h"
#include "recap/recap_json.h"
#include "recap/recap_xlsx.h"
#include "web/api_json.h"
#include "web/queue_api.h"

namespace sambat::web {
namespace {

Response Download(const Request& req, std::string body, const std::string& content_type, const std::string& filename) {
  auto res = MakeResponse(req, http::status::ok, std::move(body), content_type);
  res.set(http::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  res.set(http::field::cache_control, "no-store");
  return res;
}

}  // namespace

Response QueueApi::Recap(const Request& req, std::string_view format) {
  if (!IsGet(req)) return ErrorResponse(req, MethodNotAllowed());
  if (!d_.recap) return ErrorResponse(req, {http::status::not_found, "not_found", "Rekap tidak diaktifkan."});
  auto q = ParseQuery(std::string_view(req.target().data(), req.target().size()));
  for (const auto& [k, v] : q) {
    if (k != "month") {
      return ErrorResponse(req, {http::status::bad_request, "unknown_parameter",
                                 "Parameter \"" + k.substr(0, 32) + "\" tidak dikenal."});
    }
  }
  const int64_t now = ToUnixMillis(d_.clock->Now());
  // Without ?month= the current WIB month, so the page opens on something.
  auto period = q.count("month") ? db::ParseRecapMonth(q["month"]) : Result<db::RecapPeriod>(db::RecapMonthOf(now));
  if (!period.ok()) return ErrorResponse(req, {http::status::bad_request, "bad_parameter", period.status().message()});
  auto result = d_.recap->MonthlyRecap(*period, d_.sop_limits, now);
  if (!result.ok()) return ErrorResponse(req, FromStatus(result.status()));
  if (format == "json") return JsonResponse(req, http::status::ok, recap::RecapToJson(*result));
  recap::RecapNames names;
  if (d_.catalog) {
    if (auto catalog = d_.catalog()) {
      for (const auto& [code, name] : catalog->opd) names.opd[code] = name;
    }
  }
  const std::string base = "rekap-" + period->month;
  if (format == "csv") {
    return Download(req, recap::RecapToCsv(*result, names), "text/csv; charset=utf-8", base + ".csv");
  }
  std::error_code ec;
  const auto tmp = std::filesystem::temp_directory_path(ec);
  auto bytes = recap::RecapXlsxBytes(*result, names, ec ? std::string("/tmp") : tmp.string());
  if (!bytes.ok()) {
    // The detail (paths, libxlsxwriter's words) is for the log; Admin Utama gets what to do.
    spdlog::error("recap XLSX for {} failed: {}", period->month, bytes.status().message());
    return ErrorResponse(req, FromStatus(Status::Unavailable(
                                  "Berkas XLSX tidak dapat dibuat saat ini; coba lagi, atau unduh versi CSV.")));
  }
  return Download(req, std::move(*bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  base + ".xlsx");
}

}  // namespace sambat::web
