// Start-up steps shared by `run` and the one-shot commands.
#pragma once

#include <memory>
#include <string>

#include "classifier/classifier.h"

namespace sambat::daemon {

// Loads the rules, logging every problem; null when there are errors.
std::shared_ptr<const classifier::Classifier> LoadClassifier(const std::string& path);

}  // namespace sambat::daemon
