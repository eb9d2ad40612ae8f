// Counters and histograms for /metrics, in Prometheus' text format. Updates are lock-free
// (atomics); only registering a new label set takes the lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sambat {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound, then +Inf; the sum.
  std::vector<uint64_t> Cumulative() const;
  double sum() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // one per bound, plus +Inf
  std::atomic<uint64_t> sum_micros_{0};
};

class MetricsRegistry {
 public:
  // The same name and labels give the same object; it lives as long as the registry.
  Counter& GetCounter(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& GetHistogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                          const Labels& labels = {});
  // Every family, sorted by name, with # HELP and # TYPE lines.
  std::string Render() const;

 private:
  struct Family {
    std::string help, type;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Label values escaped as the text format wants (\\, \", \n).
std::string FormatLabels(const Labels& labels);

// Buckets for latencies from 10 µs to 10 s.
std::vector<double> LatencyBuckets();

}  // namespace sambat
