// The shipped rules on the held-out half of the development set. The set was written
// independently of the rules; rules are tuned on devset_tune.jsonl only, never on this half.
// Guards the targets against regressions.
#include <gtest/gtest.h>

#include <fstream>

#include "classifier/evaluation.h"
#include "classifier/rules_loader.h"

namespace sambat::classifier {
namespace {

TEST(Quality, DevsetMeetsTheTargets) {
  auto load = LoadRules(SAMBAT_SOURCE_DIR "/rules");
  ASSERT_TRUE(load.ok());
  std::ifstream in(SAMBAT_SOURCE_DIR "/tests/classifier/data/devset_heldout.jsonl");
  ASSERT_TRUE(in);
  EvaluationReport r = Evaluate(*load.classifier, in);
  std::cout << FormatReport(r);
  EXPECT_GE(r.lines, 240);
  EXPECT_EQ(r.bad_lines, 0);
  EXPECT_GE(r.f1(), 0.90);
  EXPECT_GE(r.top1(), 0.85);
  EXPECT_GE(r.top3(), 0.95);
  EXPECT_GE(r.kecamatan(), 0.90);
}

}  // namespace
}  // namespace sambat::classifier
