// civhost serving HTTPS itself (issue 24 item 4), through a real civhost and OpenSSL clients:
// TLS 1.2 and 1.3 with HSTS on every answer and a Secure session cookie; TLS 1.1 and 1.0 refused;
// plain HTTP on the TLS port answered 400 without harm; clients stalled in their handshake hold
// no thread; an unusable certificate or key stops start-up naming the setting. Certificates are
// made here with OpenSSL's API, so nothing but libssl is needed.
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <random>
#include <regex>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/civhost_process.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kHsts = "max-age=31536000";

/// A throwaway self-signed certificate (EC P-256) for localhost and 127.0.0.1, and its key.
struct Credentials {
  fs::path certificate;
  fs::path key;
};

Credentials makeCredentials(const fs::path& directory, const std::string& name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* certificate = X509_new();
  if (key == nullptr || certificate == nullptr) throw std::runtime_error("OpenSSL: no memory");
  X509_set_version(certificate, 2);
  std::random_device random;
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), static_cast<long>(random() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 30L * 24 * 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME* subject = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(certificate, subject);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, certificate, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* names =
      X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  X509_add_ext(certificate, names, -1);
  X509_EXTENSION_free(names);
  X509_sign(certificate, key, EVP_sha256());
  Credentials credentials{directory / (name + ".crt"), directory / (name + ".key")};
  std::FILE* file = std::fopen(credentials.certificate.c_str(), "wb");
  PEM_write_X509(file, certificate);
  std::fclose(file);
  file = std::fopen(credentials.key.c_str(), "wb");
  PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(file);
  X509_free(certificate);
  EVP_PKEY_free(key);
  return credentials;
}

std::string opensslError() {
  char text[256] = "no OpenSSL error";
  if (const unsigned long code = ERR_peek_last_error(); code != 0)
    ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

/// A TCP connection to 127.0.0.1:port whose reads and writes give up after `timeout`; -1 when
/// it cannot connect.
int connectLoopback(int port, std::chrono::seconds timeout = 20s) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval limit{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;
  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

/// The whole responses in `bytes` (each with Content-Length, as civhost answers).
std::vector<Response> parseResponses(const std::string& bytes) {
  std::vector<Response> responses;
  std::size_t at = 0;
  for (;;) {
    const auto head_end = bytes.find("\r\n\r\n", at);
    if (head_end == std::string::npos) break;
    const std::string head = bytes.substr(at, head_end - at);
    if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) break;
    Response response;
    response.status = std::stoi(head.substr(9, 3));
    std::size_t line_end = head.find("\r\n");
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers[name] = value;
    }
    const std::size_t length =
        std::stoul(response.header("content-length").empty() ? std::string("0")
                                                             : response.header("content-length"));
    if (bytes.size() < head_end + 4 + length) break;
    response.body = bytes.substr(head_end + 4, length);
    responses.push_back(std::move(response));
    at = head_end + 4 + length;
  }
  return responses;
}

/// A TLS client over a connected socket (which it closes), limited to one protocol version
/// when `version` is not 0, trusting only `trust` and expecting the name "localhost".
class TlsConnection {
 public:
  TlsConnection(int fd, int version, const fs::path& trust) : fd_(fd) {
    context_ = SSL_CTX_new(TLS_client_method());
    if (version != 0) {
      SSL_CTX_set_min_proto_version(context_, version);
      SSL_CTX_set_max_proto_version(context_, version);
    }
    if (version != 0 && version < TLS1_2_VERSION) {
      // Allow what an old client offers (SHA-1 signatures, CBC suites), so that a refusal is
      // the server's doing, not this client's.
      SSL_CTX_set_security_level(context_, 0);
      SSL_CTX_set_cipher_list(context_, "DEFAULT:@SECLEVEL=0");
    }
    SSL_CTX_load_verify_locations(context_, trust.c_str(), nullptr);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    ssl_ = SSL_new(context_);
    SSL_set1_host(ssl_, "localhost");
    SSL_set_tlsext_host_name(ssl_, "localhost");
    if (fd_ < 0) {
      error_ = "cannot connect";
      return;
    }
    SSL_set_fd(ssl_, fd_);
    ERR_clear_error();
    if (SSL_connect(ssl_) == 1) {
      handshake_ = true;
      protocol_ = SSL_get_version(ssl_);
    } else {
      error_ = opensslError();
    }
  }
  ~TlsConnection() {
    SSL_free(ssl_);
    SSL_CTX_free(context_);
    if (fd_ >= 0) ::close(fd_);
  }
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  bool handshake() const { return handshake_; }
  const std::string& error() const { return error_; }
  const std::string& protocol() const { return protocol_; }

  bool send(const std::string& bytes) {
    if (!handshake_) return false;
    std::size_t written = 0;
    return SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) == 1 && written == bytes.size();
  }
  /// Reads until `count` whole responses are in, or the server closes, or a read times out.
  std::vector<Response> readResponses(std::size_t count) {
    for (;;) {
      auto responses = parseResponses(received_);
      if (responses.size() >= count || closed_ || !handshake_) return responses;
      char buffer[16384];
      std::size_t got = 0;
      if (SSL_read_ex(ssl_, buffer, sizeof buffer, &got) != 1) {
        closed_ = true;
        ERR_clear_error();
        continue;
      }
      received_.append(buffer, got);
    }
  }

 private:
  int fd_ = -1;
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  bool handshake_ = false;
  bool closed_ = false;
  std::string error_;
  std::string protocol_;
  std::string received_;
};

/// One GET over a new TLS connection ("Connection: close"); status 0 when it failed.
Response tlsGet(int port, const fs::path& trust, const std::string& target, int version = 0,
                std::chrono::seconds timeout = 20s) {
  TlsConnection connection(connectLoopback(port, timeout), version, trust);
  if (!connection.handshake()) return {};
  connection.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  const auto responses = connection.readResponses(1);
  return responses.empty() ? Response{} : responses.front();
}

/// A plain TCP client that sends exactly the bytes it is given.
class PlainConnection {
 public:
  explicit PlainConnection(int port) : fd_(connectLoopback(port)) {}
  ~PlainConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  PlainConnection(const PlainConnection&) = delete;
  PlainConnection& operator=(const PlainConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  void send(const std::string& bytes) {
    if (fd_ < 0) return;
    [[maybe_unused]] const auto n =
        ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  /// Reads until the server closes the connection (true) or `deadline` (false).
  bool readUntilClosed(Clock::time_point deadline) {
    while (Clock::now() < deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd entry{fd_, POLLIN, 0};
      if (::poll(&entry, 1, static_cast<int>(std::max<long long>(1, left.count()))) <= 0) continue;
      char buffer[4096];
      const auto n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) {
        received_.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      return true;
    }
    return false;
  }
  const std::string& received() const { return received_; }

 private:
  int fd_ = -1;
  std::string received_;
};

/// The first flight of a TLS client (its ClientHello), as bytes.
std::string clientHello() {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(context);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_set_connect_state(ssl);
  SSL_do_handshake(ssl);  // wants to read the server's answer
  char* data = nullptr;
  const long length = BIO_get_mem_data(out, &data);
  std::string hello(data, static_cast<std::size_t>(std::max(0L, length)));
  SSL_free(ssl);
  SSL_CTX_free(context);
  ERR_clear_error();
  return hello;
}

/// A configuration directory (a copy of the demo's) whose host.yaml is `host_yaml`.
class ConfigCopy {
 public:
  explicit ConfigCopy(const std::string& host_yaml)
      : root_(testing::makeTempDirectory("civ-tls-config")) {
    fs::copy(fs::path(CIV_SOURCE_DIR) / "config", root_ / "config", fs::copy_options::recursive);
    std::ofstream(root_ / "config" / "host.yaml") << host_yaml;
  }
  ~ConfigCopy() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  fs::path dir() const { return root_ / "config"; }

 private:
  fs::path root_;
};

std::string tlsHostYaml(const fs::path& certificate, const fs::path& key) {
  return "listen: 127.0.0.1:0\n"
         "log_level: info\n"
         "http:\n"
         "  tls:\n"
         "    certificate: " +
         certificate.string() +
         "\n"
         "    private_key: " +
         key.string() +
         "\n"
         "    hsts_max_age_seconds: 31536000\n";
}

/// civhost serving HTTPS with `credentials` over a fresh SQLite database.
class TlsCivhost {
 public:
  TlsCivhost(const Credentials& credentials)
      : database_(sdk::Dialect::Sqlite),
        config_(tlsHostYaml(credentials.certificate, credentials.key)) {
    process_ = std::make_unique<testing::CivhostProcess>(
        std::vector<std::string>{"serve", "--config", config_.dir().string(), "--database", url(),
                                 "--plugin-dir", CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"});
    // It announces an https:// address (waitUntilListening() expects http://).
    static const std::regex listening(R"(civhost listening on https://127\.0\.0\.1:(\d+))");
    const auto deadline = Clock::now() + 20s;
    while (Clock::now() < deadline && port_ == 0) {
      std::smatch match;
      const std::string text = process_->stdoutText();
      if (std::regex_search(text, match, listening))
        port_ = std::stoi(match[1]);
      else
        std::this_thread::sleep_for(20ms);
    }
    if (port_ == 0)
      throw std::runtime_error("civhost did not start with TLS: " + process_->stderrText());
  }

  int port() const { return port_; }
  std::string url() const { return database_.url().connection; }
  testing::CivhostProcess& process() { return *process_; }

 private:
  testing::TestDatabase database_;
  ConfigCopy config_;
  std::unique_ptr<testing::CivhostProcess> process_;
  int port_ = 0;
};

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);  // a client writing to a closed connection
    directory_ = testing::makeTempDirectory("civ-tls");
    credentials_ = makeCredentials(directory_, "server");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  fs::path directory_;
  Credentials credentials_;
};

TEST_F(Tls, Tls12And13AreServedWithHstsOnEveryAnswerAndTheConfiguredCertificate) {
  TlsCivhost served(credentials_);
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TlsConnection connection(connectLoopback(served.port()), version, credentials_.certificate);
    // The client trusts only the generated certificate and checks the name: the handshake
    // succeeding means civhost served the configured certificate.
    ASSERT_TRUE(connection.handshake()) << connection.error();
    EXPECT_EQ(connection.protocol(), version == TLS1_2_VERSION ? "TLSv1.2" : "TLSv1.3");
    // Two requests on one kept-alive connection: the second is read by the gate after a
    // worker has handed the connection back.
    ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    auto responses = connection.readResponses(1);
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_EQ(responses[0].status, 200) << responses[0].body;
    EXPECT_EQ(json::parse(responses[0].body)["status"], "ok") << responses[0].body;
    EXPECT_EQ(responses[0].header("strict-transport-security"), kHsts);
    ASSERT_TRUE(
        connection.send("GET /api/v1/no-such-thing HTTP/1.1\r\nHost: localhost\r\n"
                        "Connection: close\r\n\r\n"));
    responses = connection.readResponses(2);
    ASSERT_EQ(responses.size(), 2u);
    EXPECT_EQ(responses[1].status, 404);
    EXPECT_EQ(responses[1].header("strict-transport-security"), kHsts);
  }
  // A refusal of ambiguous framing (given before any body byte is read) carries it too.
  TlsConnection refused(connectLoopback(served.port()), 0, credentials_.certificate);
  ASSERT_TRUE(refused.handshake()) << refused.error();
  refused.send(
      "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  const auto responses = refused.readResponses(1);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 400);
  EXPECT_EQ(responses[0].header("strict-transport-security"), kHsts);
}

TEST_F(Tls, TheSessionCookieIsSecureOverTls) {
  TlsCivhost served(credentials_);
  const std::string admin = testing::issueToken(served.url(), "root", "admin", "610902");
  const std::string account = json{
      {"name", "clerk1"},
      {"full_name", "王芳"},
      {"role", "clerk"},
      {"counties", {"610902"}},
      {"initial_password",
       "Initial-Passw0rd"}}.dump();
  const std::string sign_in = json{{"user", "clerk1"}, {"password", "Initial-Passw0rd"}}.dump();
  TlsConnection connection(connectLoopback(served.port()), 0, credentials_.certificate);
  ASSERT_TRUE(connection.handshake()) << connection.error();
  // Bodies over TLS, collected by the gate like plain ones.
  connection.send("POST /api/v1/admin/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " +
                  admin + "\r\nContent-Type: application/json\r\nContent-Length: " +
                  std::to_string(account.size()) + "\r\n\r\n" + account);
  auto responses = connection.readResponses(1);
  ASSERT_EQ(responses.size(), 1u);
  ASSERT_EQ(responses[0].status, 201) << responses[0].body;
  connection.send(
      "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
      "application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(sign_in.size()) + "\r\n\r\n" + sign_in);
  responses = connection.readResponses(2);
  ASSERT_EQ(responses.size(), 2u);
  ASSERT_EQ(responses[1].status, 201) << responses[1].body;
  const std::string cookie = responses[1].header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_EQ(responses[1].header("strict-transport-security"), kHsts);
}

/// Whether a client limited to `version` completes a handshake with a server that allows every
/// protocol OpenSSL has (over a socket pair, in this process).
bool handshakeWithPermissiveServer(int version, const Credentials& credentials) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) return false;
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_security_level(context, 0);
  SSL_CTX_set_min_proto_version(context, TLS1_VERSION);
  SSL_CTX_set_cipher_list(context, "DEFAULT:@SECLEVEL=0");
  SSL_CTX_use_certificate_file(context, credentials.certificate.c_str(), SSL_FILETYPE_PEM);
  SSL_CTX_use_PrivateKey_file(context, credentials.key.c_str(), SSL_FILETYPE_PEM);
  std::thread server([context, fd = ends[1]] {
    SSL* ssl = SSL_new(context);
    SSL_set_fd(ssl, fd);
    SSL_accept(ssl);
    SSL_free(ssl);
    ::close(fd);
  });
  bool done = false;
  {
    TlsConnection client(ends[0], version, credentials.certificate);
    done = client.handshake();
  }
  server.join();
  SSL_CTX_free(context);
  ERR_clear_error();
  return done;
}

TEST_F(Tls, Tls11AndTls10ClientsAreRefused) {
  // The control: this client does speak TLS 1.1 and 1.0 when a server allows them, so the
  // refusals below are civhost's.
  ASSERT_TRUE(handshakeWithPermissiveServer(TLS1_1_VERSION, credentials_));
  ASSERT_TRUE(handshakeWithPermissiveServer(TLS1_VERSION, credentials_));
  TlsCivhost served(credentials_);
  for (const int version : {TLS1_1_VERSION, TLS1_VERSION}) {
    TlsConnection connection(connectLoopback(served.port()), version, credentials_.certificate);
    EXPECT_FALSE(connection.handshake()) << "negotiated " << connection.protocol();
  }
  EXPECT_EQ(tlsGet(served.port(), credentials_.certificate, "/healthz", TLS1_2_VERSION).status,
            200);
}

TEST_F(Tls, PlainHttpOnTheTlsPortGetsA400AndCivhostKeepsServing) {
  TlsCivhost served(credentials_);
  for (int i = 0; i < 3; ++i) {
    PlainConnection plain(served.port());
    ASSERT_TRUE(plain.connected());
    plain.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(plain.readUntilClosed(Clock::now() + 20s));
    const auto responses = parseResponses(plain.received());
    ASSERT_EQ(responses.size(), 1u) << plain.received();
    EXPECT_EQ(responses[0].status, 400);
    EXPECT_EQ(responses[0].header("content-type"), "application/problem+json");
    EXPECT_NE(responses[0].body.find("https://"), std::string::npos) << responses[0].body;
    // HSTS is never sent over plain HTTP (RFC 6797 section 7.2).
    EXPECT_EQ(responses[0].header("strict-transport-security"), "");
  }
  // Bytes that are neither TLS nor a request civhost recognises: the connection just closes.
  PlainConnection garbage(served.port());
  garbage.send("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n");
  ASSERT_TRUE(garbage.readUntilClosed(Clock::now() + 20s));
  EXPECT_EQ(garbage.received().find("HTTP/1.1 200"), std::string::npos);
  EXPECT_EQ(tlsGet(served.port(), credentials_.certificate, "/healthz").status, 200);
}

TEST_F(Tls, ClientsStalledInTheirHandshakeHoldNoThread) {
  TlsCivhost served(credentials_);
  const std::string hello = clientHello();
  ASSERT_GT(hello.size(), 100u);
  // More stalled clients than civhost has worker threads (64): each sends half its
  // ClientHello, then one more byte a second.
  constexpr int kStalled = 80;
  std::vector<std::unique_ptr<PlainConnection>> stalled;
  for (int i = 0; i < kStalled; ++i) {
    stalled.push_back(std::make_unique<PlainConnection>(served.port()));
    ASSERT_TRUE(stalled.back()->connected());
    stalled.back()->send(hello.substr(0, hello.size() / 2));
  }
  // And one that has finished its handshake but not its request head.
  TlsConnection slow_head(connectLoopback(served.port()), 0, credentials_.certificate);
  ASSERT_TRUE(slow_head.handshake()) << slow_head.error();
  ASSERT_TRUE(slow_head.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n"));
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    for (std::size_t at = hello.size() / 2; !stop.load() && at + 1 < hello.size(); ++at) {
      for (auto& connection : stalled) connection->send(hello.substr(at, 1));
      for (int i = 0; i < 10 && !stop.load(); ++i) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(1s);  // civhost has taken them all in
  // Normal TLS clients are answered while the stalled ones are still within their head
  // deadline (10 s from accept): each gives up after 8 s, so an answer cannot have waited for
  // a stalled client's thread to be freed.
  int answered = 0;
  for (int i = 0; i < 5; ++i) {
    const auto response = tlsGet(served.port(), credentials_.certificate, "/healthz", 0, 8s);
    if (response.status == 200 && response.header("strict-transport-security") == kHsts) ++answered;
  }
  EXPECT_EQ(answered, 5);
  // And the gate cuts the stalled handshakes off at the head deadline.
  const bool closed = stalled.front()->readUntilClosed(Clock::now() + 40s);
  stop = true;
  trickle.join();
  EXPECT_TRUE(closed) << "a client stalled in its handshake was never cut off";
  // The head deadline's 408 comes from the gate itself, over TLS and with HSTS.
  const auto timed_out = slow_head.readResponses(1);
  ASSERT_EQ(timed_out.size(), 1u);
  EXPECT_EQ(timed_out[0].status, 408);
  EXPECT_EQ(timed_out[0].header("strict-transport-security"), kHsts);
  EXPECT_EQ(tlsGet(served.port(), credentials_.certificate, "/healthz").status, 200);
}

TEST_F(Tls, AnUnusableCertificateOrKeyStopsStartUpNamingTheSetting) {
  const Credentials other = makeCredentials(directory_, "other");
  const fs::path missing = directory_ / "missing.crt";
  struct Case {
    fs::path certificate;
    fs::path key;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {missing, credentials_.key, "http.tls.certificate: " + missing.string() + " does not exist"},
      {credentials_.certificate, other.key,
       "http.tls.private_key: " + other.key.string() + " does not belong to the certificate"},
      {credentials_.key, credentials_.key,
       "http.tls.certificate: " + credentials_.key.string() + " holds no PEM certificate"},
      {credentials_.certificate, credentials_.certificate,
       "http.tls.private_key: " + credentials_.certificate.string() + " holds no PEM private key"},
  };
  testing::TestDatabase database(sdk::Dialect::Sqlite);
  for (const auto& [certificate, key, expected] : cases) {
    ConfigCopy config(tlsHostYaml(certificate, key));
    testing::CivhostProcess civhost({"serve", "--config", config.dir().string(), "--database",
                                     database.url().connection, "--plugin-dir", CIV_PLUGIN_DIR,
                                     "--listen", "127.0.0.1:0"});
    EXPECT_EQ(civhost.waitForExit(), 2) << expected;  // a configuration error
    EXPECT_NE(civhost.stderrText().find(expected), std::string::npos) << civhost.stderrText();
    EXPECT_EQ(civhost.stdoutText().find("listening"), std::string::npos);
  }
}

}  // namespace
}  // namespace civ
