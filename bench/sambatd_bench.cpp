// Benchmarks. Run: build/bench/sambatd_bench [--benchmark_filter=Classify]
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <malloc.h>

#include <fstream>
#include <sstream>

#include "classifier/rules_loader.h"

namespace {

using sambat::classifier::Classifier;
using sambat::classifier::RulesLoad;

const RulesLoad& Rules() {
  static RulesLoad load = sambat::classifier::LoadRules(std::getenv("SAMBAT_RULES") ? std::getenv("SAMBAT_RULES") : SAMBAT_SOURCE_DIR "/rules");
  return load;
}

// ~200-byte posts built from the development set's texts (complaints and non-complaints).
const std::vector<std::string>& Posts() {
  static std::vector<std::string> posts = [] {
    std::vector<std::string> texts;
    std::ifstream in(SAMBAT_SOURCE_DIR "/tests/classifier/data/devset_tune.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto at = line.find("\"text\": \"");
      if (at == std::string::npos) continue;
      at += 9;
      texts.push_back(line.substr(at, line.find("\", \"complaint\"") - at));
    }
    std::vector<std::string> out;
    std::string cur;
    for (size_t i = 0; out.size() < 1000; ++i) {
      cur += texts[i % texts.size()] + " ";
      if (cur.size() >= 200) {
        out.push_back(cur.substr(0, 200));
        cur.clear();
      }
    }
    return out;
  }();
  return posts;
}

void BM_Classify(benchmark::State& state) {
  const Classifier& c = *Rules().classifier;
  const auto& posts = Posts();
  size_t i = 0, complaints = 0;
  for (auto _ : state) {
    auto r = c.Classify(posts[i++ % posts.size()]);
    complaints += r.complaint;
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["complaint_share"] = double(complaints) / state.iterations();
}
BENCHMARK(BM_Classify);

void BM_ClassifyNaive(benchmark::State& state) {
  const Classifier& c = *Rules().classifier;
  const auto& posts = Posts();
  size_t i = 0;
  for (auto _ : state) {
    auto r = c.ClassifyNaive(posts[i++ % posts.size()]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClassifyNaive);

// The parts, to see where time goes.
void BM_Normalize(benchmark::State& state) {
  const Classifier& c = *Rules().classifier;
  const auto& posts = Posts();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(c.normalizer().Normalize(posts[i++ % posts.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normalize);

void BM_SetMatchOnly(benchmark::State& state) {
  const Classifier& c = *Rules().classifier;
  std::vector<sambat::classifier::NormalizedText> norm;
  for (const auto& p : Posts()) norm.push_back(c.normalizer().Normalize(p));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(c.ruleset().Match(norm[i++ % norm.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SetMatchOnly);

void BM_SetScanOnly(benchmark::State& state) {
  const Classifier& c = *Rules().classifier;
  std::vector<sambat::classifier::NormalizedText> norm;
  size_t present = 0;
  for (const auto& p : Posts()) norm.push_back(c.normalizer().Normalize(p));
  size_t i = 0;
  for (auto _ : state) {
    auto ids = c.ruleset().ScanTerms(norm[i++ % norm.size()]);
    present += ids.size();
    benchmark::DoNotOptimize(ids);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["terms_per_post"] = double(present) / state.iterations();
}
BENCHMARK(BM_SetScanOnly);

// Compile time, and the heap the loaded ruleset holds (RE2 programs, the Set's DFA cache
// after classifying the sample posts, lists, gazetteer, slang map).
void BM_CompileRules(benchmark::State& state) {
  const char* rules = std::getenv("SAMBAT_RULES") ? std::getenv("SAMBAT_RULES") : SAMBAT_SOURCE_DIR "/rules";
  for (auto _ : state) {
    const size_t before = mallinfo2().uordblks;
    auto load = sambat::classifier::LoadRules(rules);
    for (const auto& p : Posts()) benchmark::DoNotOptimize(load.classifier->Classify(p));
    state.counters["ruleset_MiB"] = double(mallinfo2().uordblks - before) / (1 << 20);
    state.counters["rules"] = double(load.classifier->ruleset().rules().size());
    state.counters["set_patterns"] = double(load.classifier->ruleset().set_patterns());
    benchmark::DoNotOptimize(load);
  }
}
BENCHMARK(BM_CompileRules)->Unit(benchmark::kMillisecond)->Iterations(3);

// Hostile input: time must grow linearly with size.
void BM_ClassifyHostile(benchmark::State& state) {
  const Classifier& c = *Rules().classifier;
  std::string post;
  const std::string unit = "jln rusaaak \xff\xfe 😡😡 &amp; #jalanrusakparah ";
  while (post.size() < static_cast<size_t>(state.range(0))) post += unit;
  for (auto _ : state) benchmark::DoNotOptimize(c.Classify(post));
  state.SetBytesProcessed(state.iterations() * post.size());
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ClassifyHostile)->RangeMultiplier(10)->Range(1000, 1000000)->Unit(benchmark::kMillisecond)->Complexity();

}  // namespace

BENCHMARK_MAIN();
