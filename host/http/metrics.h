// Prometheus metrics of the HTTP front, kept in memory and rendered as text at /metrics.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace civ::host {

class Metrics {
 public:
  /// Upper bounds (seconds) of the latency histogram's buckets.
  static constexpr std::array<double, 9> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,  0.1,    0.5,   2.5};

  /// One answered request. `route` is the route template ("/notes/{id}") or a fixed label for
  /// host routes and unmatched paths, so label values stay few.
  void observe(const std::string& module, const std::string& route, int status, double seconds);
  /// The request counters and latency histogram in Prometheus text format.
  std::string renderHttp() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by module
};

}  // namespace civ::host
