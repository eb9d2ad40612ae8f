// A readable explanation, in Bahasa Indonesia, of why a post was (not) taken as a complaint.
#pragma once

#include <string>

#include "classifier/classifier.h"

namespace sambat::classifier {

// `original`: the post as written (its normalised form is shown, for rule writers).
std::string ExplainIndonesian(const Classifier& c, const Classification& r, std::string_view original);

}  // namespace sambat::classifier
