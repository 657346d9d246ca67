// The HTTP metrics count each (module, route, status) and time each module, however often a
// request with the same labels comes back (found by views of its labels, not copies).
#include "host/http/metrics.h"

#include <gtest/gtest.h>

namespace civ::host {
namespace {

TEST(Metrics, RequestsWithTheSameLabelsAddUpAndOthersCountApart) {
  Metrics metrics;
  const std::string module = "social_assistance";
  const std::string route = "/counties/{county}/social_assistance/households/{id}";
  metrics.observe(module, route, 200, 0.002);
  metrics.observe(module, route, 200, 0.004);
  metrics.observe(module, route, 404, 0.0005);
  metrics.observe("marriage", "/counties/{county}/marriage/registrations", 201, 0.03);
  const std::string text = metrics.renderHttp();
  const auto has = [&](const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
  };
  EXPECT_TRUE(has("civ_http_requests_total{module=\"social_assistance\",route=\"" + route +
                  "\",status=\"200\"} 2"))
      << text;
  EXPECT_TRUE(has("civ_http_requests_total{module=\"social_assistance\",route=\"" + route +
                  "\",status=\"404\"} 1"));
  EXPECT_TRUE(
      has("civ_http_requests_total{module=\"marriage\",route=\"/counties/{county}/"
          "marriage/registrations\",status=\"201\"} 1"));
  EXPECT_TRUE(has("civ_http_request_duration_seconds_count{module=\"social_assistance\"} 3"));
  // 0.0005 and 0.002 within 2.5 ms; 0.004 too within 5 ms.
  EXPECT_TRUE(has(
      "civ_http_request_duration_seconds_bucket{module=\"social_assistance\",le=\"0.0025\"} 2"));
  EXPECT_TRUE(
      has("civ_http_request_duration_seconds_bucket{module=\"social_assistance\",le=\"0.005\"} 3"));
  EXPECT_TRUE(has("civ_http_request_duration_seconds_count{module=\"marriage\"} 1"));
}

}  // namespace
}  // namespace civ::host
