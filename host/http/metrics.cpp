#include "host/http/metrics.h"

#include <sstream>

namespace civ::host {

namespace {
std::string escapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

void Metrics::observe(const std::string& module, const std::string& route, int status,
                      double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{module, route, status}];
  Histogram& histogram = latency_[module];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++histogram.buckets[i];
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::renderHttp() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP civ_http_requests_total Requests answered, by module, route template and status.\n"
         "# TYPE civ_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [module, route, status] = key;
    out << "civ_http_requests_total{module=\"" << escapeLabel(module) << "\",route=\""
        << escapeLabel(route) << "\",status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP civ_http_request_duration_seconds Time from request to answer, by module.\n"
         "# TYPE civ_http_request_duration_seconds histogram\n";
  for (const auto& [module, histogram] : latency_) {
    const std::string label = "module=\"" + escapeLabel(module) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out << "civ_http_request_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i]
          << "\"} " << histogram.buckets[i] << "\n";
    out << "civ_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} "
        << histogram.count << "\n";
    out << "civ_http_request_duration_seconds_sum{" << label << "} " << histogram.sum << "\n";
    out << "civ_http_request_duration_seconds_count{" << label << "} " << histogram.count << "\n";
  }
  return out.str();
}

}  // namespace civ::host
