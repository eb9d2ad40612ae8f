// A readable explanation, in Bahasa Indonesia, of why a post was (not) taken as a complaint.
#pragma once

#include <string>

#include "classifier/classifier.h"

namespace sambat::classifier {

std::string ExplainIndonesian(const Classifier& c, const Classification& r);

}  // namespace sambat::classifier
