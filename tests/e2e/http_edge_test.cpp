// The HTTP edge over raw TCP (issue 16 item 3): ambiguous framing is refused and closes the
// connection, so nothing can be smuggled after it; a body without a length is refused at once;
// and clients that trickle their requests neither stay forever nor starve anyone else.
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <civ/sdk/citizen_id.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"

namespace civ {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using nlohmann::json;

/// A client socket that sends exactly the bytes it is given.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& bytes) {
    std::size_t sent = 0;
    while (fd_ >= 0 && sent < bytes.size()) {
      const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return fd_ >= 0;
  }
  void endSending() { ::shutdown(fd_, SHUT_WR); }

  /// Reads what is available, waiting up to `wait`; false once the server has closed (or reset)
  /// the connection.
  bool poll(std::chrono::milliseconds wait) {
    if (closed_) return false;
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(wait.count())) <= 0) return true;
    char buffer[65536];
    const auto n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      received_.append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    closed_ = true;
    return false;
  }
  /// Reads until the server closes the connection or `deadline`; true when it closed.
  bool readUntilClosed(Clock::time_point deadline) {
    while (Clock::now() < deadline)
      if (!poll(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()) +
                1ms))
        return true;
    return closed_;
  }
  /// Reads until `count` whole responses are in, the connection closes, or `deadline`.
  void readResponses(std::size_t count, Clock::time_point deadline);

  const std::string& received() const { return received_; }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;
  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// The whole responses in `bytes` (each with Content-Length, as civhost answers).
std::vector<Response> parseResponses(const std::string& bytes) {
  std::vector<Response> responses;
  std::size_t at = 0;
  for (;;) {
    const auto head_end = bytes.find("\r\n\r\n", at);
    if (head_end == std::string::npos) break;
    Response response;
    const std::string head = bytes.substr(at, head_end - at);
    std::size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) break;
    response.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers[lower(line.substr(0, colon))] = value;
    }
    const std::string length = response.header("content-length");
    const std::size_t body_length = length.empty() ? 0 : std::stoul(length);
    if (bytes.size() < head_end + 4 + body_length) break;
    // A 100 Continue is not an answer.
    if (response.status != 100) {
      response.body = bytes.substr(head_end + 4, body_length);
      responses.push_back(std::move(response));
    }
    at = head_end + 4 + body_length;
  }
  return responses;
}

void RawConnection::readResponses(std::size_t count, Clock::time_point deadline) {
  while (parseResponses(received_).size() < count && Clock::now() < deadline)
    if (!poll(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()) + 1ms))
      return;
}

const std::string kNotes = "/api/v1/counties/610902/example/notes";
const std::string kNote = R"({"citizen_id":"11010519491231002X","name":"张三","text":"入户调查"})";

std::string hex(std::size_t value) {
  char text[32];
  std::snprintf(text, sizeof text, "%zx", value);
  return text;
}

struct FramingCase {
  std::string name;
  std::string headers;  ///< framing headers, each ending in CRLF
  std::string body;     ///< what follows the head before the smuggled request
  std::string header;   ///< the header the problem must name
  std::string rule;
};

TEST(HttpEdge, AmbiguousFramingIs400ClosesTheConnectionAndNothingIsSmuggled) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite);
  const std::string clerk = served.token("clerk1", "clerk");
  const auto smuggled = [](int i) {
    return "GET /smuggled-" + std::to_string(i) + " HTTP/1.1\r\nHost: civ\r\n\r\n";
  };

  // Controls: pipelining and a chunked body, framed properly, are answered in full.
  {
    RawConnection connection(served.port());
    ASSERT_TRUE(connection.connected());
    connection.send(
        "GET /healthz HTTP/1.1\r\nHost: civ\r\n\r\n"
        "POST " +
        kNotes + " HTTP/1.1\r\nHost: civ\r\nAuthorization: Bearer " + clerk +
        "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + hex(10) +
        "\r\n" + kNote.substr(0, 10) + "\r\n" + hex(kNote.size() - 10) + ";ext=1\r\n" +
        kNote.substr(10) + "\r\n0\r\n\r\n" +
        "GET /healthz HTTP/1.1\r\nHost: civ\r\nContent-Length: 0\r\n\r\n");
    connection.readResponses(3, Clock::now() + 20s);
    const auto responses = parseResponses(connection.received());
    ASSERT_EQ(responses.size(), 3u) << connection.received();
    EXPECT_EQ(responses[0].status, 200);
    EXPECT_EQ(responses[1].status, 201) << responses[1].body;
    EXPECT_EQ(responses[2].status, 200);
    EXPECT_FALSE(connection.closed());
  }

  const std::vector<FramingCase> cases = {
      {"Content-Length and Transfer-Encoding",
       "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n", "Transfer-Encoding",
       "content-length-xor-transfer-encoding"},
      {"Transfer-Encoding and Content-Length",
       "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n", "0\r\n\r\n", "Transfer-Encoding",
       "content-length-xor-transfer-encoding"},
      {"two different Content-Length", "Content-Length: 0\r\nContent-Length: 5\r\n", "hello",
       "Content-Length", "single-content-length"},
      {"two equal Content-Length", "Content-Length: 5\r\nContent-Length: 5\r\n", "hello",
       "Content-Length", "single-content-length"},
      {"a negative Content-Length", "Content-Length: -1\r\n", "", "Content-Length", "digits-only"},
      {"a non-numeric Content-Length", "Content-Length: abc\r\n", "", "Content-Length",
       "digits-only"},
      {"a Content-Length with a sign", "Content-Length: +5\r\n", "hello", "Content-Length",
       "digits-only"},
      {"a Content-Length list", "Content-Length: 5, 5\r\n", "hello", "Content-Length",
       "digits-only"},
      {"Transfer-Encoding gzip", "Transfer-Encoding: gzip\r\n", "", "Transfer-Encoding",
       "chunked-only"},
      {"Transfer-Encoding identity", "Transfer-Encoding: identity\r\n", "", "Transfer-Encoding",
       "chunked-only"},
      {"Transfer-Encoding with two codings", "Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n",
       "Transfer-Encoding", "chunked-only"},
      {"two Transfer-Encoding", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
       "0\r\n\r\n", "Transfer-Encoding", "single-transfer-encoding"},
      {"white space before the colon", "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n",
       "0\r\n\r\n", "Transfer-Encoding ", "field-name-token"},
      {"a folded header line", "Content-Length: 0\r\nX-Note: a\r\n b\r\n", "", "",
       "no-line-folding"},
      {"a malformed chunk size", "Transfer-Encoding: chunked\r\n", "zz\r\nhello\r\n0\r\n\r\n",
       "Transfer-Encoding", "chunked-syntax"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const FramingCase& framing = cases[i];
    SCOPED_TRACE(framing.name);
    RawConnection connection(served.port());
    ASSERT_TRUE(connection.connected());
    const auto started = Clock::now();
    connection.send("POST " + kNotes + " HTTP/1.1\r\nHost: civ\r\nAuthorization: Bearer " + clerk +
                    "\r\nContent-Type: application/json\r\n" + framing.headers + "\r\n" +
                    framing.body + smuggled(static_cast<int>(i)));
    // The answer, then the close: the smuggled request is never read, so never answered.
    EXPECT_TRUE(connection.readUntilClosed(started + 15s)) << "the connection stayed open";
    const auto responses = parseResponses(connection.received());
    ASSERT_EQ(responses.size(), 1u) << connection.received();
    const Response& refusal = responses[0];
    EXPECT_EQ(refusal.status, 400);
    EXPECT_EQ(lower(refusal.header("connection")), "close");
    EXPECT_EQ(refusal.header("content-type"), "application/problem+json");
    const json problem = json::parse(refusal.body, nullptr, false);
    ASSERT_TRUE(problem.is_object()) << refusal.body;
    if (framing.header.empty()) {
      EXPECT_NE(problem["detail"].get<std::string>().find("folding"), std::string::npos)
          << refusal.body;
    } else {
      ASSERT_TRUE(problem.contains("errors")) << refusal.body;
      EXPECT_EQ(problem["errors"][0]["field"], framing.header) << refusal.body;
      EXPECT_EQ(problem["errors"][0]["rule"], framing.rule) << refusal.body;
    }
  }
  // No smuggled request reached the request log either.
  served.process().stop();
  EXPECT_EQ(served.process().stderrText().find("/smuggled-"), std::string::npos)
      << served.process().stderrText();
}

TEST(HttpEdge, ABodyWithoutALengthIs411AtOnce) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite);
  const std::string clerk = served.token("clerk1", "clerk");
  for (const std::string method : {"POST", "PUT", "PATCH"}) {
    SCOPED_TRACE(method);
    RawConnection connection(served.port());
    ASSERT_TRUE(connection.connected());
    const auto started = Clock::now();
    // The client keeps its side open, as one about to send a body would.
    connection.send(method + " " + kNotes + " HTTP/1.1\r\nHost: civ\r\nAuthorization: Bearer " +
                    clerk + "\r\nContent-Type: application/json\r\n\r\n");
    connection.readResponses(1, started + 5s);
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const auto responses = parseResponses(connection.received());
    ASSERT_EQ(responses.size(), 1u) << "nothing within " << seconds << " s";
    EXPECT_EQ(responses[0].status, 411);
    EXPECT_EQ(responses[0].header("content-type"), "application/problem+json");
    EXPECT_NE(responses[0].body.find("Content-Length"), std::string::npos) << responses[0].body;
    EXPECT_EQ(lower(responses[0].header("connection")), "close");
    EXPECT_LT(seconds, 5.0);
    EXPECT_TRUE(connection.readUntilClosed(Clock::now() + 10s));
  }
  // A client that ends its side right after the head cannot be sending a body: that request
  // has an empty one (how Poco's HTTPClientSession sends an empty POST) and is answered.
  RawConnection ended(served.port());
  ASSERT_TRUE(ended.connected());
  ended.send("POST " + kNotes + " HTTP/1.1\r\nHost: civ\r\nAuthorization: Bearer " + clerk +
             "\r\nConnection: close\r\n\r\n");
  ended.endSending();
  ended.readResponses(1, Clock::now() + 10s);
  const auto responses = parseResponses(ended.received());
  ASSERT_EQ(responses.size(), 1u) << ended.received();
  EXPECT_NE(responses[0].status, 411);
  EXPECT_GE(responses[0].status, 400);  // no body: refused by the route, not by the framing
}

TEST(HttpEdge, ABodyOverTheLimitIsRefusedFromItsHeadAndChunkFramingCountsToo) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite);
  const std::string clerk = served.token("clerk1", "clerk");
  const std::string head = "POST " + kNotes + " HTTP/1.1\r\nHost: civ\r\nAuthorization: Bearer " +
                           clerk + "\r\nContent-Type: application/json\r\n";
  {
    // A length over the limit (1 MiB) is answered from the head: the body is never awaited.
    RawConnection connection(served.port());
    ASSERT_TRUE(connection.connected());
    const auto started = Clock::now();
    connection.send(head + "Content-Length: 2000000\r\n\r\n");
    connection.readResponses(1, started + 5s);
    const auto responses = parseResponses(connection.received());
    ASSERT_EQ(responses.size(), 1u) << connection.received();
    EXPECT_EQ(responses[0].status, 413);
    EXPECT_NE(responses[0].body.find("max-body-bytes"), std::string::npos) << responses[0].body;
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - started).count(), 5.0);
  }
  {
    // One byte of data per chunk behind a 4000-byte extension: the framing alone passes twice
    // the limit long before the data does, and is refused then instead of being held.
    RawConnection connection(served.port());
    ASSERT_TRUE(connection.connected());
    connection.send(head + "Transfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = "1;x=" + std::string(4000, 'e') + "\r\na\r\n";
    for (int i = 0; i < 700 && connection.send(chunk); ++i) {
    }
    connection.readResponses(1, Clock::now() + 10s);
    const auto responses = parseResponses(connection.received());
    ASSERT_EQ(responses.size(), 1u) << connection.received().substr(0, 500);
    EXPECT_EQ(responses[0].status, 413);
  }
  EXPECT_EQ(testing::httpRequest(served.port(), "GET", "/healthz").status, 200);
}

TEST(HttpEdge, AClientTricklingItsHeadersIsCutOffAtTheTotalDeadline) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite);
  RawConnection slow(served.port());
  ASSERT_TRUE(slow.connected());
  const auto started = Clock::now();
  slow.send("GET /healthz HTTP/1.1\r\nHost: civ\r\n");
  // Two bytes a second, each of which would reset a per-recv timeout.
  bool closed = false;
  while (!closed && Clock::now() < started + 40s) {
    slow.send("X");
    closed = !slow.poll(500ms);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  ASSERT_TRUE(closed) << "still open after " << seconds << " s of trickling";
  EXPECT_LT(seconds, 30.0);
  const auto responses = parseResponses(slow.received());
  ASSERT_EQ(responses.size(), 1u) << slow.received();
  EXPECT_EQ(responses[0].status, 408);
  EXPECT_EQ(responses[0].header("content-type"), "application/problem+json");
}

/// `count` connections that each send the start of a request and then one more byte every
/// second, from one thread, until destroyed.
class Tricklers {
 public:
  Tricklers(int port, int count, const std::string& start) {
    for (int i = 0; i < count; ++i) {
      connections_.push_back(std::make_unique<RawConnection>(port));
      connections_.back()->send(start);
    }
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        for (auto& connection : connections_) connection->send("a");
        for (int i = 0; i < 10 && !stop_.load(); ++i) std::this_thread::sleep_for(100ms);
      }
    });
  }
  ~Tricklers() {
    stop_ = true;
    thread_.join();
  }
  int connected() const {
    return static_cast<int>(std::count_if(connections_.begin(), connections_.end(),
                                          [](const auto& c) { return c->connected(); }));
  }

 private:
  std::vector<std::unique_ptr<RawConnection>> connections_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// How many GET /healthz a normal client (a new connection each) gets answered within `budget`.
int healthAnswersWithin(int port, std::chrono::seconds budget, int wanted) {
  const auto deadline = Clock::now() + budget;
  int answered = 0;
  while (answered < wanted && Clock::now() < deadline) {
    RawConnection connection(port);
    if (!connection.connected()) continue;
    connection.send("GET /healthz HTTP/1.1\r\nHost: civ\r\nConnection: close\r\n\r\n");
    connection.readResponses(1, deadline);
    const auto responses = parseResponses(connection.received());
    if (responses.size() == 1 && responses[0].status == 200) ++answered;
  }
  return answered;
}

TEST(HttpEdge, SeventySlowClientsDoNotStarveANormalOne) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite);
  // More slow clients than civhost has threads (64), some slow in the headers and some in the
  // body; a server that gives each connection a thread that waits has none left.
  Tricklers slow_heads(served.port(), 70, "GET /healthz HTTP/1.1\r\nHost: civ\r\nX-Slow: ");
  Tricklers slow_bodies(served.port(), 70,
                        "POST " + kNotes +
                            " HTTP/1.1\r\nHost: civ\r\nContent-Type: application/json\r\n"
                            "Content-Length: 100000\r\n\r\n{\"text\":\"");
  ASSERT_EQ(slow_heads.connected(), 70);
  ASSERT_EQ(slow_bodies.connected(), 70);
  std::this_thread::sleep_for(1500ms);  // civhost has taken them all in
  const auto started = Clock::now();
  const int answered = healthAnswersWithin(served.port(), 15s, 10);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  EXPECT_EQ(answered, 10) << "in " << seconds << " s, while 140 slow clients were connected";
}

TEST(HttpEdge, RequestsThatRunLongDoNotHoldTheQueue) {
  // civhost wakes about as many workers as the database has sessions (8) and lets a finishing
  // worker take the next request; requests that have run long (here imports waiting their turn
  // at SQLite's one write lock) stop counting, so a quick request is not queued behind them.
  testing::ServedCivhost served(sdk::Dialect::Sqlite);
  const std::string clerk = served.token("edge-clerk", "clerk");
  std::string csv =
      "household_ref,category,township,village,hukou_address,residence_address,income_stability,"
      "bank_name,bank_account,citizen_id,name,relationship,lives_together,inclusion_reason,"
      "work_capacity,disability_grade,disability_type,serious_illness,student,"
      "needs_long_term_care,income_category,income_amount,income_period_from,income_period_to\n";
  for (int member = 0; member < 3000; ++member) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "610902%04d0101%03d", 1950 + member / 1000,
                  member % 1000);
    csv += "H" + std::to_string(member / 3) + ",rural,关庙镇,清泉村,清泉村" +
           std::to_string(member / 3) + "号,同上,stable,,," + first17 +
           sdk::CitizenId::checkCharacter(first17) + ",村民" + std::to_string(member) +
           (member % 3 == 0 ? ",applicant" : ",child") + ",是,共同生活,full,,,否,否,否,,,,\n";
  }
  constexpr int kImports = 20;  // more than the 8 answered at once
  std::atomic<int> imported{0}, refused{0};
  std::vector<std::thread> imports;
  for (int i = 0; i < kImports; ++i)
    imports.emplace_back([&] {
      const auto reply = testing::httpRequest(served.port(), "POST",
                                              "/api/v1/counties/610902/social_assistance/"
                                              "imports/households",
                                              csv, clerk, "text/csv");
      ++(reply.status == 201 ? imported : refused);
    });
  std::this_thread::sleep_for(300ms);  // every import has arrived; most wait for the write lock
  const int done_before = imported.load() + refused.load();
  const int answered = healthAnswersWithin(served.port(), 15s, 10);
  const int done_during = imported.load() + refused.load() - done_before;
  for (auto& thread : imports) thread.join();
  EXPECT_EQ(answered, 10);
  EXPECT_EQ(imported.load(), kImports) << refused.load() << " imports refused";
  // Queued behind them, the health checks would have waited for at least 20 - 8 - done_before
  // imports to end; answered beside them, for about none.
  EXPECT_LT(done_during, 3) << "imports ended while 10 health checks were answered (" << done_before
                            << " had ended before)";
  EXPECT_LT(done_before, kImports - 8) << "the imports were too quick to queue: make them larger";
}

}  // namespace
}  // namespace civ
