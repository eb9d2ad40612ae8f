#include "daemon/setup.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "classifier/rules_loader.h"

namespace sambat::daemon {

std::optional<config::Config> LoadConfigOrPrint(const std::string& path) {
  auto loaded = config::LoadConfigFile(path);
  for (const auto& d : loaded.diagnostics) std::cerr << d.ToString() << "\n";
  if (!loaded.ok()) return std::nullopt;
  return loaded.config;
}

std::shared_ptr<const classifier::Classifier> LoadClassifier(const std::string& path) {
  auto load = classifier::LoadRules(path);
  int warnings = 0;
  for (const auto& d : load.diagnostics) {
    if (d.severity == classifier::RuleDiagnostic::Severity::kError) {
      spdlog::error("rules: {}", d.ToString());
    } else {
      ++warnings;
      spdlog::debug("rules: {}", d.ToString());
    }
  }
  if (!load.ok()) return nullptr;
  spdlog::info("rules loaded from {}: {} rules, version {}{}", path, load.classifier->ruleset().rules().size(),
               load.classifier->version(),
               warnings ? " (" + std::to_string(warnings) + " warnings; see sambatd rules check)" : "");
  return std::shared_ptr<const classifier::Classifier>(std::move(load.classifier));
}

SopLimits SopLimitsFrom(const config::SlaConfig& s) {
  return {.admin_utama = s.admin_utama.count(), .admin_opd = s.admin_opd.count(),
          .pejabat_penghubung = s.pejabat_penghubung.count(), .kepala_opd = s.kepala_opd.count(),
          .penghubung_teruskan = s.penghubung_teruskan.count(), .admin_opd_input = s.admin_opd_input.count(),
          .total = s.total.count()};
}

db::RetentionPolicy RetentionPolicyFrom(const config::RetentionConfig& r) {
  return {.non_complaint_posts_ms = r.non_complaint_posts.count(),
          .rejected_drafts_ms = r.rejected_drafts.count(),
          .webhook_events_ms = r.webhook_events.count()};
}

}  // namespace sambat::daemon
