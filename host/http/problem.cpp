#include "host/http/problem.h"

#include <nlohmann/json.hpp>

namespace civ::host {

HttpReply problemReply(int status, const std::string& type, const std::string& title,
                       const std::string& detail, const std::string& instance,
                       const std::vector<sdk::FieldError>& errors) {
  nlohmann::json body = {{"type", "urn:civ:problem:" + type},
                         {"title", title},
                         {"status", status},
                         {"detail", detail},
                         {"instance", instance}};
  if (!errors.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& error : errors)
      list.push_back({{"field", error.field}, {"rule", error.rule}, {"message", error.message}});
    body["errors"] = std::move(list);
  }
  HttpReply reply;
  reply.status = status;
  reply.content_type = "application/problem+json";
  // Replacement of invalid UTF-8 keeps a message quoting user input from failing to serialise.
  reply.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return reply;
}

HttpReply problemReply(const sdk::Error& error, const std::string& instance) {
  return problemReply(error.status(), error.type(), error.title(), error.detail(), instance,
                      error.fieldErrors());
}

}  // namespace civ::host
