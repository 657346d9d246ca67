#include "tests/support/http_client.h"

#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

namespace civ::testing {

namespace {

HttpResult send(int port, const std::string& method, const std::string& target,
                const std::map<std::string, std::string>& headers, const std::string& body,
                const std::string& content_type) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty()) {
    request.setContentType(content_type);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  } else if (method == "POST" || method == "PUT" || method == "PATCH") {
    request.setContentLength(0);  // civhost answers 411 to a write that states no length
  }
  std::ostream& out = session.sendRequest(request);
  out << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResult result;
  result.status = response.getStatus();
  result.content_type = response.getContentType();
  for (const auto& [name, value] : response) result.headers[name] = value;
  std::ostringstream text;
  Poco::StreamCopier::copyStream(in, text);
  result.body = text.str();
  return result;
}

}  // namespace

HttpResult httpRequest(int port, const std::string& method, const std::string& target,
                       const std::string& body, const std::string& token,
                       const std::string& content_type) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return send(port, method, target, headers, body, content_type);
}

HttpResult httpRequestWithHeaders(int port, const std::string& method, const std::string& target,
                                  const std::map<std::string, std::string>& headers,
                                  const std::string& body) {
  return send(port, method, target, headers, body, "application/json");
}

}  // namespace civ::testing
