// application/problem+json (RFC 9457) answers: every error civhost gives looks like this.
#pragma once

#include <string>
#include <vector>

#include <civ/sdk/error.h>

#include "host/http/http_exchange.h"

namespace civ::host {

/// {"type": "urn:civ:problem:<type>", "title", "status", "detail", "instance",
///  "errors": [{"field", "rule", "message"}]}
HttpReply problemReply(int status, const std::string& type, const std::string& title,
                       const std::string& detail, const std::string& instance,
                       const std::vector<sdk::FieldError>& errors = {});
HttpReply problemReply(const sdk::Error& error, const std::string& instance);

}  // namespace civ::host
