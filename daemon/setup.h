// Start-up steps shared by `run` and the one-shot commands.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/sop_clock.h"
#include "classifier/classifier.h"
#include "config/config.h"
#include "db/retention_store.h"

namespace sambat::daemon {

// Loads the rules, logging every problem; null when there are errors.
std::shared_ptr<const classifier::Classifier> LoadClassifier(const std::string& path);

// Loads the configuration for a one-shot command, printing every problem to stderr;
// nullopt when there are errors.
std::optional<config::Config> LoadConfigOrPrint(const std::string& path);

// The SOP's per-step limits from `sla.*`.
SopLimits SopLimitsFrom(const config::SlaConfig& sla);

// What the purge removes and when it is old enough, from `retention.*`.
db::RetentionPolicy RetentionPolicyFrom(const config::RetentionConfig& retention);

}  // namespace sambat::daemon
