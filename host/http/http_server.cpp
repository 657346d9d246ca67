#include "host/http/http_server.h"

// The HTTP edge, and why it is not Poco's HTTPServer (issue 16 item 3).
//
// Poco's HTTPServer gives a connection a worker thread from accept on, and that thread then
// waits for the request line, the headers and the body with a timeout per recv. A client that
// sends one byte a second resets that timeout forever, so 64 such clients hold all 64 threads
// and everyone else waits in the queue. Nothing in HTTPServerParams fixes that: a shorter
// timeout is still per recv, and more threads only raise the number of slow clients needed.
// So civhost keeps Poco's message classes (the parser, HTTPServerRequest/Response) and does
// the connection handling itself:
//
//  * One gate thread accepts and watches, with poll(), every connection that is not being
//    answered. It collects the request line and headers, and then the body when its length is
//    known and within max_body_bytes (Content-Length, or chunked framing scanned to its end),
//    into a buffer. Only a complete request is handed to a worker, so a slow client costs a
//    descriptor and a buffer, never a thread, however many there are.
//  * The deadlines are totals, not per recv: the head must be complete kHeadDeadline after the
//    connection is accepted (or, on a kept-alive connection, after its next request's first
//    byte), and the body kBodyFloor + size / kMinBodyRate after the head. Past them the gate
//    answers 408 and closes. An idle kept-alive connection is closed after
//    keep_alive_timeout_seconds.
//  * Workers (at most max_threads, started as needed) answer one request each and give a
//    kept-alive connection back to the gate with whatever they read past the request
//    (pipelining). Only about running_target of them (the database's sessions) are woken for
//    requests at once; a worker that finishes takes the next waiting request itself. Requests
//    running longer than kLongRequest (an import, a payment run, a wait for the write turn)
//    stop counting, so a slow one never holds the queue: the gate looks again every
//    kLongRequest while requests wait. (64 workers woken for 64 connections switched threads
//    3.7 times per household read instead of 0.9 and lost a quarter of the throughput.) A worker
//    touches the network only to send the answer (kSendDeadline) and to drain a body over the limit
//    before its 413 (kDrainDeadline); ConnectionSocket enforces those totals under Poco's own reads
//    and writes.
//  * Framing is judged on the parsed head before any body byte is read, so no second request
//    can hide in a body: Content-Length together with Transfer-Encoding, two Content-Length or
//    two Transfer-Encoding fields (even equal ones), a Content-Length that is not digits, a
//    Transfer-Encoding other than `chunked`, a field name that is not a token ("Content-Length :")
//    and folded header lines are refused with 400; POST, PUT and PATCH with neither length nor
//    chunking get 411 at once. A refusal closes the connection, as does anything after which
//    the byte stream cannot be trusted; the gate then reads and drops what the client still
//    sends for kLinger, so it reads the answer instead of a reset.
//  * More complete requests waiting for a worker than max_queued get 503 from the gate. When
//    the gate holds its maximum of connections, or accept runs out of descriptors, the
//    connection that has waited longest is dropped to make room.
//  * With http.tls, every connection's bytes pass through a TlsStream (tls_context.h) that never
//    waits: the gate drives the handshake and the decryption from its poll loop (polling for
//    writability while a handshake flight waits to go out, and reading again at once while
//    OpenSSL holds bytes that poll cannot see), so the handshake counts in the head deadline
//    and a client stalled in it holds no thread; workers read and write through it up to
//    their deadlines. Every answer then carries Strict-Transport-Security. A plain HTTP
//    request on the TLS port gets a plain 400 saying to use https://, and the connection closes.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <poll.h>
#include <set>
#include <sstream>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <Poco/Buffer.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <spdlog/spdlog.h>

#include "host/http/api_dispatcher.h"
#include "host/http/problem.h"
#include "host/http/tls_context.h"

namespace civ::host {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// The request line and headers must be in within this of the connection being accepted (or
/// of the first byte of a later request on a kept-alive connection).
constexpr auto kHeadDeadline = 10s;
/// A body gets this much time at least, plus one second per kMinBodyRate bytes declared.
constexpr auto kBodyFloor = 30s;
constexpr std::uint64_t kMinBodyRate = 64 * 1024;
/// Longest a worker spends sending one answer.
constexpr auto kSendDeadline = 20s;
/// A request answered for longer than this no longer counts as running (see the top).
constexpr auto kLongRequest = 20ms;
/// Longest a worker spends draining a body over the limit before answering 413.
constexpr auto kDrainDeadline = 15s;
/// After a closing answer the gate reads and drops what the client still sends, this long.
constexpr auto kLinger = 2s;
/// A POST without a length whose client says "Connection: close" may end its side at once to
/// mean an empty body (Poco's HTTPClientSession does this); the gate waits this long for it
/// before answering 411.
constexpr auto kEofGrace = 1s;
/// A request head longer than this is refused with 431.
constexpr std::size_t kMaxHeadBytes = 64 * 1024;
/// A chunk-size line (with extensions) or the line after the last chunk longer than this is
/// malformed.
constexpr std::size_t kMaxChunkLine = 4096;

/// A body over the limit is still read (and dropped) up to this size, so the client gets to
/// read the 413 instead of a connection reset in the middle of its upload.
constexpr std::size_t kDrainLimit = 64 * 1024 * 1024;

int millisecondsUntil(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

/// A connection's socket as Poco's HTTP classes see it: it first hands out the bytes the gate
/// has already read, and every wait on the network ends at one total deadline that the owner
/// sets per phase (the per-call SO_RCVTIMEO that Poco relies on is reset by every byte a slow
/// client sends). The descriptor is non-blocking; waits are poll()s up to the deadline. With
/// TLS, every byte in either direction goes through the connection's TlsStream.
class ConnectionSocket final : public Poco::Net::StreamSocketImpl {
 public:
  ConnectionSocket(poco_socket_t fd, const TlsContext* tls) : StreamSocketImpl(fd) {
    setBlocking(false);
    if (tls != nullptr) tls_ = std::make_unique<TlsStream>(*tls, fd);
  }

  // --- the gate's side: never waits ---

  /// Bytes that have arrived: > 0 their count, 0 the client has ended (or the connection, or
  /// its TLS, failed), -1 none yet.
  long readNow(char* buffer, std::size_t length) {
    if (tls_ && !ending_) {
      const auto result = tls_->read(buffer, length);
      switch (result.status) {
        case TlsStream::Status::Done:
          return static_cast<long>(result.bytes);
        case TlsStream::Status::WantRead:
        case TlsStream::Status::WantWrite:
          return -1;
        case TlsStream::Status::Closed:
        case TlsStream::Status::Failed:
          return 0;
      }
    }
    // Plain, or closing: what still comes is read to be dropped, TLS or not.
    for (;;) {
      const auto n = ::recv(sockfd(), buffer, length, MSG_DONTWAIT);
      if (n >= 0) return static_cast<long>(n);
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? -1 : 0;
    }
  }
  /// Sends what the socket takes now; true when all of it went. A connection whose client
  /// spoke plain HTTP to the TLS port is answered in plain text.
  bool writeNow(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      if (tls_ && !tls_->plainHttp()) {
        const auto result = tls_->write(bytes.data() + sent, bytes.size() - sent);
        if (result.status != TlsStream::Status::Done) return false;
        sent += result.bytes;
        continue;
      }
      const auto n =
          ::send(sockfd(), bytes.data() + sent, bytes.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  /// Ends civhost's side: TLS close_notify (best effort), then the TCP half-close.
  void endSending() {
    if (tls_) tls_->shutdown();
    ending_ = true;
    ::shutdown(sockfd(), SHUT_WR);
  }
  /// What the gate polls for: writability while a TLS handshake flight waits to go out.
  short gateEvents() const { return tls_ && !ending_ && tls_->wantsWrite() ? POLLOUT : POLLIN; }
  /// Bytes are held inside OpenSSL, where poll() does not see them: read again at once.
  bool hasBufferedInput() const { return tls_ && !ending_ && tls_->hasBufferedInput(); }
  /// The client sent plain HTTP to the TLS port.
  bool spokePlainHttp() const { return tls_ && tls_->plainHttp(); }
  /// Why the TLS failed (for the debug log); empty when it did not, or without TLS.
  std::string tlsFailure() const { return tls_ ? tls_->failure() : std::string(); }

  // --- the worker's side, for Poco: waits up to the deadline ---

  void preload(std::string bytes) {
    preloaded_ = std::move(bytes);
    offset_ = 0;
  }
  /// The preloaded bytes nobody has read.
  std::string takePreloaded() {
    std::string rest = preloaded_.substr(offset_);
    preloaded_.clear();
    offset_ = 0;
    return rest;
  }
  void setDeadline(Clock::time_point deadline) { deadline_ = deadline; }

  // Poco's HTTP classes ask for these on every request: its session sets the receive timeout
  // and its request reads both addresses (three system calls a request, on a VM each a trip to
  // the hypervisor). The timeout is kept, not set: this socket waits by poll() up to its
  // deadline and never by SO_RCVTIMEO. The addresses do not change while the connection lives,
  // so each is asked of the kernel once.
  void setReceiveTimeout(const Poco::Timespan& timeout) override { receive_timeout_ = timeout; }
  Poco::Timespan getReceiveTimeout() override { return receive_timeout_; }
  Poco::Net::SocketAddress address() override {
    if (!local_address_) local_address_ = StreamSocketImpl::address();
    return *local_address_;
  }
  Poco::Net::SocketAddress peerAddress() override {
    if (!peer_address_) peer_address_ = StreamSocketImpl::peerAddress();
    return *peer_address_;
  }

  using StreamSocketImpl::receiveBytes;
  using StreamSocketImpl::sendBytes;

  int receiveBytes(void* buffer, int length, int flags) override {
    if (length <= 0) return 0;
    if (offset_ < preloaded_.size()) {
      const auto n = std::min(static_cast<std::size_t>(length), preloaded_.size() - offset_);
      std::memcpy(buffer, preloaded_.data() + offset_, n);
      offset_ += n;
      return static_cast<int>(n);
    }
    if (tls_) {
      for (;;) {
        const auto result = tls_->read(buffer, static_cast<std::size_t>(length));
        switch (result.status) {
          case TlsStream::Status::Done:
            return static_cast<int>(result.bytes);
          case TlsStream::Status::Closed:
            return 0;
          case TlsStream::Status::WantRead:
            waitFor(POLLIN);
            break;
          case TlsStream::Status::WantWrite:
            waitFor(POLLOUT);
            break;
          case TlsStream::Status::Failed:
            throw Poco::Net::NetException("TLS: " + tls_->failure());
        }
      }
    }
    for (;;) {
      const auto n = ::recv(sockfd(), buffer, static_cast<std::size_t>(length), flags);
      if (n >= 0) return static_cast<int>(n);
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) error(errno);
      waitFor(POLLIN);
    }
  }

  int sendBytes(const void* buffer, int length, int flags) override {
    const char* bytes = static_cast<const char*>(buffer);
    int sent = 0;
    while (tls_ && sent < length) {
      const auto result = tls_->write(bytes + sent, static_cast<std::size_t>(length - sent));
      switch (result.status) {
        case TlsStream::Status::Done:
          sent += static_cast<int>(result.bytes);
          break;
        case TlsStream::Status::WantRead:
          waitFor(POLLIN);
          break;
        case TlsStream::Status::WantWrite:
          waitFor(POLLOUT);
          break;
        case TlsStream::Status::Closed:
        case TlsStream::Status::Failed:
          throw Poco::Net::ConnectionResetException("TLS: " + tls_->failure());
      }
    }
    while (sent < length) {
      const auto n = ::send(sockfd(), bytes + sent, static_cast<std::size_t>(length - sent),
                            flags | MSG_NOSIGNAL);
      if (n >= 0) {
        sent += static_cast<int>(n);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) error(errno);
      waitFor(POLLOUT);
    }
    return sent;
  }

 private:
  void waitFor(short events) {
    for (;;) {
      if (Clock::now() >= deadline_) throw Poco::TimeoutException("the deadline passed");
      pollfd entry{sockfd(), events, 0};
      const int ready = ::poll(&entry, 1, std::max(1, millisecondsUntil(deadline_)));
      if (ready > 0) return;  // ready, or an error or hang-up that the next call reports
      if (ready < 0 && errno != EINTR) error(errno);
    }
  }

  std::string preloaded_;
  std::size_t offset_ = 0;
  Clock::time_point deadline_ = Clock::now() + kSendDeadline;
  Poco::Timespan receive_timeout_;
  std::optional<Poco::Net::SocketAddress> local_address_, peer_address_;
  std::unique_ptr<TlsStream> tls_;  ///< null without TLS
  bool ending_ = false;             ///< civhost has ended its side
};

/// Why a request is answered without being dispatched.
struct Refusal {
  int status = 400;
  std::string type;
  std::string title;
  std::string detail;
  std::string header;  ///< the header at fault, named in errors[]; empty when none
  std::string rule;
};

/// What the gate learnt from a request's head.
struct Head {
  enum class Body { None, Fixed, Chunked };
  std::string method;
  std::string target;
  Body body = Body::None;
  std::uint64_t length = 0;  ///< for Body::Fixed; saturated when it does not fit
  bool keep_alive = true;
  bool expect_continue = false;
  /// POST, PUT or PATCH with neither Content-Length nor chunking: 411 unless the client has
  /// already ended its side (then the body is known to be empty).
  bool length_required = false;
  std::optional<Refusal> refusal;
};

Refusal framingRefusal(const std::string& header, const std::string& rule,
                       const std::string& detail) {
  return {400, "ambiguous-framing", "Ambiguous request framing", detail, header, rule};
}

/// 413 for a body over `max_body_bytes` (or whose chunked framing alone would be), answered
/// before it is read; the connection closes and lingers to drop the rest.
Refusal bodyTooLarge(const std::string& header, std::size_t max_body_bytes) {
  return {413,
          "payload-too-large",
          "Payload too large",
          "the request body exceeds the limit of " + std::to_string(max_body_bytes) + " bytes",
          header,
          "max-body-bytes"};
}

/// RFC 9110 token characters, the only ones a field name may have.
bool isToken(const std::string& text) {
  static const std::string kSpecials = "!#$%&'*+-.^_`|~";
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kSpecials.find(c) != std::string::npos;
  });
}

/// Parses a head (request line to the empty line, as Poco's server will) and judges its framing.
Head analyzeHead(const std::string& raw) {
  Head head;
  Poco::Net::HTTPRequest request;
  try {
    std::istringstream in(raw);
    request.read(in);
  } catch (const Poco::Exception& error) {
    head.refusal =
        Refusal{400, "bad-request", "Malformed request", error.message(), "", "http-syntax"};
    return head;
  }
  head.method = request.getMethod();
  head.target = request.getURI();
  head.keep_alive = request.getKeepAlive();
  head.expect_continue = request.getExpectContinue();

  // Folded lines: Poco joins them to the previous field, a proxy in front may not.
  for (std::size_t at = raw.find('\n'); at != std::string::npos && at + 1 < raw.size();
       at = raw.find('\n', at + 1)) {
    if (raw[at + 1] == ' ' || raw[at + 1] == '\t') {
      head.refusal = framingRefusal("", "no-line-folding",
                                    "a header line starts with white space (obsolete line "
                                    "folding); send each header on one line");
      return head;
    }
  }
  int content_lengths = 0;
  int transfer_encodings = 0;
  std::string content_length;
  std::string transfer_encoding;
  for (const auto& [name, value] : request) {
    if (!isToken(name)) {
      head.refusal = framingRefusal(
          name, "field-name-token",
          "the header name \"" + name +
              "\" is not a token (no white space before the colon, no control characters)");
      return head;
    }
    if (Poco::icompare(name, "Content-Length") == 0) {
      ++content_lengths;
      content_length = Poco::trim(value);
    } else if (Poco::icompare(name, "Transfer-Encoding") == 0) {
      ++transfer_encodings;
      transfer_encoding = Poco::trim(value);
    }
  }
  if (content_lengths > 0 && transfer_encodings > 0) {
    head.refusal = framingRefusal(
        "Transfer-Encoding", "content-length-xor-transfer-encoding",
        "the request has both Content-Length and Transfer-Encoding; send exactly one of them");
    return head;
  }
  if (content_lengths > 1) {
    head.refusal = framingRefusal("Content-Length", "single-content-length",
                                  "the request has " + std::to_string(content_lengths) +
                                      " Content-Length headers; send exactly one");
    return head;
  }
  if (transfer_encodings > 1) {
    head.refusal = framingRefusal("Transfer-Encoding", "single-transfer-encoding",
                                  "the request has " + std::to_string(transfer_encodings) +
                                      " Transfer-Encoding headers; send at most one");
    return head;
  }
  if (transfer_encodings == 1) {
    if (Poco::icompare(transfer_encoding, "chunked") != 0) {
      head.refusal = framingRefusal(
          "Transfer-Encoding", "chunked-only",
          "Transfer-Encoding must be exactly \"chunked\", not \"" + transfer_encoding + "\"");
      return head;
    }
    head.body = Head::Body::Chunked;
    return head;
  }
  if (content_lengths == 1) {
    const bool digits =
        !content_length.empty() && std::all_of(content_length.begin(), content_length.end(),
                                               [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      head.refusal = framingRefusal(
          "Content-Length", "digits-only",
          "Content-Length must be a non-negative decimal number, not \"" + content_length + "\"");
      return head;
    }
    std::uint64_t length = 0;
    for (char c : content_length) {
      const auto digit = static_cast<std::uint64_t>(c - '0');
      length = length > (UINT64_MAX - digit) / 10 ? UINT64_MAX : length * 10 + digit;
    }
    head.body = length == 0 ? Head::Body::None : Head::Body::Fixed;
    head.length = length;
    return head;
  }
  if (head.method == "POST" || head.method == "PUT" || head.method == "PATCH")
    head.length_required = true;
  return head;
}

Refusal lengthRequired(const std::string& method) {
  return {411,
          "length-required",
          "Length required",
          "a " + method +
              " request needs a Content-Length header (or Transfer-Encoding: chunked); send "
              "Content-Length: 0 for an empty body",
          "Content-Length",
          "length-required"};
}

HttpReply refusalReply(const Refusal& refusal, const std::string& instance) {
  std::vector<sdk::FieldError> errors;
  if (!refusal.header.empty()) errors.push_back({refusal.header, refusal.rule, refusal.detail});
  HttpReply reply =
      problemReply(refusal.status, refusal.type, refusal.title, refusal.detail, instance, errors);
  reply.close_connection = true;
  return reply;
}

/// Where a chunked body ends, scanned the way Poco's HTTPChunkedInputStream reads it, without
/// going over a byte twice however slowly it arrives.
struct ChunkScan {
  enum class State { Incomplete, Complete, Malformed, TooLarge };
  std::size_t begin = 0;     ///< where the body starts in the buffer
  std::size_t position = 0;  ///< start of the next chunk-size line (or of white space before it)
  std::uint64_t decoded = 0;
  std::size_t end = 0;  ///< where the body ends, when Complete

  State advance(const std::string& buffer, std::size_t limit) {
    // The framing may not cost more than the data it carries: one-byte chunks with long
    // extensions would otherwise hold thousands of bytes in memory per byte of body.
    if (buffer.size() - begin > 2 * limit + kMaxChunkLine) return State::TooLarge;
    for (;;) {
      while (position < buffer.size() && std::isspace(static_cast<unsigned char>(buffer[position])))
        ++position;
      const auto line_end = buffer.find('\n', position);
      if (line_end == std::string::npos)
        return buffer.size() - position > kMaxChunkLine ? State::Malformed : State::Incomplete;
      if (line_end - position > kMaxChunkLine) return State::Malformed;
      std::size_t at = position;
      std::uint64_t size = 0;
      while (at < line_end && std::isxdigit(static_cast<unsigned char>(buffer[at])) &&
             at - position < 8) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(buffer[at])));
        size = size * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
        ++at;
      }
      if (at == position) return State::Malformed;
      if (!std::isspace(static_cast<unsigned char>(buffer[at])) && buffer[at] != ';')
        return State::Malformed;
      if (size == 0) {  // the last chunk; Poco then reads one more line and stops
        const auto trailer_end = buffer.find('\n', line_end + 1);
        if (trailer_end == std::string::npos)
          return buffer.size() - line_end > kMaxChunkLine ? State::Malformed : State::Incomplete;
        end = trailer_end + 1;
        return State::Complete;
      }
      if (decoded + size > limit) return State::TooLarge;
      if (buffer.size() < line_end + 1 + size) return State::Incomplete;
      decoded += size;
      position = line_end + 1 + size;
    }
  }
};

/// A connection and what is known of the request on it.
struct Connection {
  enum class Phase {
    Idle,      ///< kept alive, waiting for the next request's first byte
    Head,      ///< collecting the request line and headers
    Body,      ///< collecting a body of known framing
    AwaitEof,  ///< POST without a length and "Connection: close": waiting to see the end
    Linger     ///< answered and closing: reading and dropping what still comes
  };

  Connection(Poco::Net::StreamSocket socket_, ConnectionSocket* impl_)
      : socket(std::move(socket_)), impl(impl_) {}
  int fd() const { return impl->sockfd(); }

  Poco::Net::StreamSocket socket;  ///< owns impl
  ConnectionSocket* impl;
  std::string buffer;  ///< received and not yet answered
  Phase phase = Phase::Head;
  Clock::time_point deadline;
  Clock::time_point since;  ///< when it started waiting, to drop the oldest first
  bool eof = false;         ///< the client has ended its side
  int answered = 0;
  // The request being collected.
  std::size_t head_end = 0;
  std::size_t head_scanned = 0;
  Head head;
  std::size_t body_end = 0;
  ChunkScan chunks;
  bool continue_sent = false;
};

enum class BodyOutcome { Ok, TooLarge, TimedOut, Broken };

/// Reads the body up to `limit` bytes into `body`; over it, what follows is drained up to
/// kDrainLimit and TooLarge returned.
BodyOutcome readBody(std::istream& in, const Poco::Net::HTTPSession& session, std::size_t limit,
                     std::string& body) {
  char buffer[16384];
  std::size_t total = 0;
  const std::size_t stop_at = std::max(limit, kDrainLimit);
  while (in && total <= stop_at) {
    in.read(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    total += got;
    if (total <= limit) body.append(buffer, got);
  }
  if (total > limit) return BodyOutcome::TooLarge;
  if (in.bad()) {  // the stream swallowed the exception; the session kept it
    const Poco::Exception* error = session.networkException();
    if (error != nullptr && dynamic_cast<const Poco::TimeoutException*>(error) != nullptr)
      return BodyOutcome::TimedOut;
    return BodyOutcome::Broken;
  }
  return BodyOutcome::Ok;
}

/// A whole answer as bytes, for the gate, which never blocks on a client; `hsts` is the
/// Strict-Transport-Security value, empty for none.
std::string rawReply(const HttpReply& reply, const std::string& hsts) {
  const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status);
  std::string text = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                     Poco::Net::HTTPResponse::getReasonForStatus(status) + "\r\n";
  if (!hsts.empty()) text += "Strict-Transport-Security: " + hsts + "\r\n";
  text += "Content-Type: " + reply.content_type + "\r\n";
  text += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  text += "Connection: close\r\n\r\n";
  return text + reply.body;
}

}  // namespace

struct HttpServer::Impl {
  Impl(const HttpSettings& settings_, ApiDispatcher& dispatcher_,
       std::shared_ptr<spdlog::logger> log_)
      : settings(settings_), dispatcher(dispatcher_), log(std::move(log_)) {}

  HttpSettings settings;
  ApiDispatcher& dispatcher;
  std::shared_ptr<spdlog::logger> log;
  Poco::Net::ServerSocket listener;
  Poco::Net::HTTPServerParams::Ptr params;
  std::uint16_t port = 0;
  std::size_t max_gate_connections = 1024;
  /// With http.tls: the certificate and policy, and the Strict-Transport-Security value.
  std::unique_ptr<TlsContext> tls;
  std::string hsts;

  // The gate.
  std::thread gate;
  int wake_read = -1;
  int wake_write = -1;
  std::atomic<bool> stopping{false};
  bool stopped = false;
  std::vector<std::unique_ptr<Connection>> connections;  // gate thread only
  Clock::time_point accept_paused_until;

  // Handed between the gate and the workers, under `mutex`.
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable work_done;
  std::deque<std::unique_ptr<Connection>> ready;
  std::vector<std::unique_ptr<Connection>> returned;
  std::vector<std::thread> workers;
  std::set<int> active_fds;  // connections being answered, to shut down when stop() gives up
  int idle_workers = 0;
  int busy_workers = 0;
  /// When each worker (by its index) began the request it answers; max() while idle.
  std::vector<Clock::time_point> busy_since;
  bool gate_open = true;
  bool workers_exit = false;

  // --- gate -------------------------------------------------------------------------------

  void wake() const {
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(wake_write, &byte, 1);
  }

  void runGate();
  /// One round of the gate: hand-backs, poll, reads, deadlines, accepts.
  void gateRound(std::vector<pollfd>& polled);
  void acceptConnections(Clock::time_point now);
  void dropOldest();
  void receive(Connection& connection);
  /// Moves the connection on after new bytes (or a hand-back); returns false when it has left
  /// the gate (dispatched or closed).
  bool advance(std::unique_ptr<Connection>& slot, Clock::time_point now);
  void expire(std::unique_ptr<Connection>& slot);
  void dispatch(std::unique_ptr<Connection>& slot);
  /// `secure`: over the connection's TLS (with HSTS) when TLS is on; false for a client that
  /// spoke plain HTTP to the TLS port.
  void answerFromGate(std::unique_ptr<Connection>& slot, const HttpReply& reply,
                      bool secure = true);

  // --- workers ----------------------------------------------------------------------------

  /// Under `mutex`: wakes or starts a worker for the waiting requests while fewer than the
  /// running target answer requests that began within kLongRequest.
  void wakeWorkerIfDue(Clock::time_point now);
  void runWorker(std::size_t index);
  /// Answers the connection's request and readies it to go back to the gate.
  void serve(Connection& connection);
  /// Answers the request; true when the connection may carry another one.
  bool answer(Connection& connection, Poco::Net::HTTPServerSession& session);
  void giveBack(std::unique_ptr<Connection> connection);
};

void HttpServer::Impl::runGate() {
  std::vector<pollfd> polled;
  while (!stopping.load()) {
    // Whatever one round throws (no thread for a worker, no memory, a socket call), the gate
    // logs it and goes on: an exception escaping this thread would end the whole host.
    try {
      gateRound(polled);
    } catch (const std::exception& error) {
      log->error("the HTTP gate failed a round: {}", error.what());
      std::this_thread::sleep_for(10ms);
    } catch (...) {
      log->error("the HTTP gate failed a round: non-standard exception");
      std::this_thread::sleep_for(10ms);
    }
  }
  // Stopping: no new connections, and none waiting here is answered any more.
  {
    std::lock_guard lock(mutex);
    gate_open = false;
    returned.clear();
  }
  connections.clear();
  listener.close();
}

void HttpServer::Impl::gateRound(std::vector<pollfd>& polled) {
  {
    auto now = Clock::now();
    {
      std::vector<std::unique_ptr<Connection>> back;
      {
        std::lock_guard lock(mutex);
        back.swap(returned);
      }
      for (auto& connection : back) {
        connections.push_back(std::move(connection));
        advance(connections.back(), now);  // a pipelined request may be complete already
      }
    }
    std::erase(connections, nullptr);

    polled.clear();
    polled.push_back({wake_read, POLLIN, 0});
    const bool accepting = now >= accept_paused_until;
    polled.push_back({accepting ? listener.impl()->sockfd() : -1, POLLIN, 0});
    Clock::time_point next = now + 1s;
    for (const auto& connection : connections) {
      const bool wants_bytes = !connection->eof;
      polled.push_back({wants_bytes ? connection->fd() : -1, connection->impl->gateEvents(), 0});
      next = std::min(next, connection->deadline);
      if (wants_bytes && connection->impl->hasBufferedInput()) next = now;
    }
    if (!accepting) next = std::min(next, accept_paused_until);
    {
      // Requests waiting while the running target is reached: look again when the running
      // ones may have become long ones (wakeWorkerIfDue).
      std::lock_guard lock(mutex);
      if (!ready.empty()) next = std::min(next, now + kLongRequest);
    }
    const int ready_count = ::poll(polled.data(), polled.size(), millisecondsUntil(next));
    if (ready_count < 0 && errno != EINTR) {
      log->error("the HTTP gate's poll failed: {}", std::strerror(errno));
      std::this_thread::sleep_for(10ms);
      return;
    }
    now = Clock::now();
    if (polled[0].revents != 0) {
      char drain[256];
      while (::read(wake_read, drain, sizeof drain) > 0) {
      }
    }
    // Connections first (their indexes match `polled`), then new ones.
    for (std::size_t i = 0; i < connections.size(); ++i) {
      if (polled[i + 2].revents == 0 &&
          (connections[i]->eof || !connections[i]->impl->hasBufferedInput()))
        continue;
      receive(*connections[i]);
      advance(connections[i], now);
    }
    for (auto& slot : connections)
      if (slot && now >= slot->deadline) expire(slot);
    std::erase(connections, nullptr);
    if (polled[1].revents != 0) acceptConnections(now);
    std::lock_guard lock(mutex);
    wakeWorkerIfDue(now);
  }
}

void HttpServer::Impl::acceptConnections(Clock::time_point now) {
  for (int i = 0; i < 64; ++i) {
    const int fd = ::accept4(listener.impl()->sockfd(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: make room by dropping the longest waiter, or pause accepting.
        if (connections.empty()) {
          accept_paused_until = now + 100ms;
          return;
        }
        dropOldest();
        std::erase(connections, nullptr);
        continue;
      }
      return;  // EAGAIN: nothing more to accept
    }
    if (connections.size() >= max_gate_connections) {
      dropOldest();
      std::erase(connections, nullptr);
    }
    ConnectionSocket* impl = nullptr;
    try {
      impl = new ConnectionSocket(fd, tls.get());
    } catch (const std::exception& error) {  // no memory for its TLS
      log->error("cannot take a connection: {}", error.what());
      ::close(fd);
      continue;
    }
    impl->setNoDelay(true);  // as Poco's TCPServer does: answers go out without Nagle's wait
    auto connection = std::make_unique<Connection>(Poco::Net::StreamSocket(impl), impl);
    connection->phase = Connection::Phase::Head;
    connection->since = now;
    connection->deadline = now + kHeadDeadline;
    connections.push_back(std::move(connection));
  }
}

void HttpServer::Impl::dropOldest() {
  // Lingering connections are dropped first, then the one that has waited longest.
  std::unique_ptr<Connection>* victim = nullptr;
  for (auto& slot : connections) {
    if (!slot) continue;
    if (victim == nullptr) {
      victim = &slot;
      continue;
    }
    const bool slot_lingers = slot->phase == Connection::Phase::Linger;
    const bool victim_lingers = (*victim)->phase == Connection::Phase::Linger;
    if (slot_lingers != victim_lingers ? slot_lingers : slot->since < (*victim)->since)
      victim = &slot;
  }
  if (victim != nullptr) victim->reset();
}

void HttpServer::Impl::receive(Connection& connection) {
  char chunk[16384];
  // At most 64 KiB per wake-up, so one fast client cannot hold the gate.
  for (int round = 0; round < 4; ++round) {
    const long n = connection.impl->readNow(chunk, sizeof chunk);
    if (n > 0) {
      if (connection.phase != Connection::Phase::Linger)
        connection.buffer.append(chunk, static_cast<std::size_t>(n));
      if (static_cast<std::size_t>(n) < sizeof chunk) return;
      continue;
    }
    if (n == 0) {  // ended, reset, or a TLS handshake or record that failed: nothing more
      connection.eof = true;
      if (const std::string why = connection.impl->tlsFailure(); !why.empty())
        log->debug("TLS connection ended: {}", why);
    }
    return;
  }
}

bool HttpServer::Impl::advance(std::unique_ptr<Connection>& slot, Clock::time_point now) {
  Connection& c = *slot;
  using Phase = Connection::Phase;
  if (c.phase == Phase::Linger) {
    if (c.eof) slot.reset();
    return slot != nullptr;
  }
  if (c.impl->spokePlainHttp()) {
    // Its head is lost to the failed handshake; the answer is in plain text, without HSTS
    // (RFC 6797 forbids it over plain HTTP).
    c.eof = false;  // it has not ended its side: linger and drop what it still sends
    answerFromGate(slot,
                   problemReply(400, "https-required", "HTTPS required",
                                "this port serves HTTPS only: use https:// (TLS 1.2 or later)", ""),
                   false);
    return true;
  }
  if (c.phase == Phase::Idle || c.phase == Phase::Head) {
    // White space between requests (the CRLF some clients send after a body) is skipped, as
    // Poco's parser skips it.
    std::size_t skip = 0;
    while (skip < c.buffer.size() && std::isspace(static_cast<unsigned char>(c.buffer[skip])))
      ++skip;
    if (skip > 0) {
      c.buffer.erase(0, skip);
      c.head_scanned = 0;
    }
    if (c.phase == Phase::Idle && !c.buffer.empty()) {
      c.phase = Phase::Head;
      c.since = now;
      c.deadline = now + kHeadDeadline;
    }
    if (c.phase == Phase::Idle) {
      if (c.eof) slot.reset();
      return slot != nullptr;
    }
    // The head ends at the first empty line.
    std::size_t end = std::string::npos;
    for (std::size_t at = c.buffer.find('\n', c.head_scanned); at != std::string::npos;
         at = c.buffer.find('\n', at + 1)) {
      if (at + 1 < c.buffer.size() && c.buffer[at + 1] == '\n') {
        end = at + 2;
        break;
      }
      if (at + 2 < c.buffer.size() && c.buffer[at + 1] == '\r' && c.buffer[at + 2] == '\n') {
        end = at + 3;
        break;
      }
    }
    if (end == std::string::npos || end > kMaxHeadBytes) {
      c.head_scanned = c.buffer.size() > 3 ? c.buffer.size() - 3 : 0;
      if (c.buffer.size() > kMaxHeadBytes) {
        c.head = Head{};
        c.head.refusal = Refusal{
            431,
            "header-too-large",
            "Request header too large",
            "the request line and headers exceed " + std::to_string(kMaxHeadBytes) + " bytes",
            "",
            "header-size"};
        dispatch(slot);
        return false;
      }
      if (c.eof) slot.reset();  // the client gave up in the middle of its head
      return slot != nullptr;
    }
    c.head_end = end;
    c.head = analyzeHead(c.buffer.substr(0, end));
    c.continue_sent = false;
    if (c.head.refusal) {
      dispatch(slot);
      return false;
    }
    if (c.head.length_required) {
      // An empty POST whose client has already ended its side is unambiguous; otherwise the
      // client must say how long its body is.
      if (c.eof && c.buffer.size() == end) {
        c.head.length_required = false;
        dispatch(slot);
        return false;
      }
      if (c.buffer.size() > end || c.head.keep_alive) {
        c.head.refusal = lengthRequired(c.head.method);
        dispatch(slot);
        return false;
      }
      c.phase = Phase::AwaitEof;
      c.deadline = now + kEofGrace;
      return true;
    }
    switch (c.head.body) {
      case Head::Body::None:
        dispatch(slot);
        return false;
      case Head::Body::Fixed:
        if (c.head.length > settings.max_body_bytes) {
          // Refused from the head: no worker waits for a body it will not read.
          c.head.refusal = bodyTooLarge("Content-Length", settings.max_body_bytes);
          dispatch(slot);
          return false;
        }
        c.body_end = end + static_cast<std::size_t>(c.head.length);
        break;
      case Head::Body::Chunked:
        c.chunks = ChunkScan{};
        c.chunks.begin = end;
        c.chunks.position = end;
        break;
    }
    c.phase = Phase::Body;
    const std::uint64_t expected =
        c.head.body == Head::Body::Fixed ? c.head.length : settings.max_body_bytes;
    c.deadline = now + kBodyFloor + std::chrono::seconds(expected / kMinBodyRate);
    if (c.head.expect_continue) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      // Best effort: a fresh socket's send buffer takes 25 bytes; if not, the client sends its
      // body after its own wait for the 100.
      c.continue_sent = c.impl->writeNow(kContinue);
    }
  }
  if (c.phase == Phase::AwaitEof) {
    if (c.buffer.size() > c.head_end) {  // bytes after all: a body of unknown length
      c.head.refusal = lengthRequired(c.head.method);
      dispatch(slot);
      return false;
    }
    if (c.eof) {
      c.head.length_required = false;
      dispatch(slot);
      return false;
    }
    return true;
  }
  // Phase::Body
  if (c.head.body == Head::Body::Fixed) {
    if (c.buffer.size() >= c.body_end) {
      dispatch(slot);
      return false;
    }
  } else {
    switch (c.chunks.advance(c.buffer, settings.max_body_bytes)) {
      case ChunkScan::State::Incomplete:
        break;
      case ChunkScan::State::Complete:
        dispatch(slot);
        return false;
      case ChunkScan::State::TooLarge:
        c.head.refusal = bodyTooLarge("Transfer-Encoding", settings.max_body_bytes);
        dispatch(slot);
        return false;
      case ChunkScan::State::Malformed:
        c.head.refusal = framingRefusal("Transfer-Encoding", "chunked-syntax",
                                        "the chunked body is malformed (each chunk is a "
                                        "hexadecimal size line, the data and CRLF; the last "
                                        "chunk has size 0)");
        dispatch(slot);
        return false;
    }
  }
  if (c.eof) slot.reset();  // the client gave up in the middle of its body
  return slot != nullptr;
}

void HttpServer::Impl::expire(std::unique_ptr<Connection>& slot) {
  Connection& c = *slot;
  using Phase = Connection::Phase;
  switch (c.phase) {
    case Phase::Idle:
    case Phase::Linger:
      slot.reset();
      return;
    case Phase::AwaitEof:
      c.head.refusal = lengthRequired(c.head.method);
      dispatch(slot);
      return;
    case Phase::Head:
      if (c.buffer.empty()) {  // never said anything
        slot.reset();
        return;
      }
      [[fallthrough]];
    case Phase::Body: {
      const bool head = c.phase == Phase::Head;
      const std::string detail =
          head ? "the request line and headers must arrive within " +
                     std::to_string(kHeadDeadline.count()) + " s"
               : "the request body did not arrive in time (" + std::to_string(kBodyFloor.count()) +
                     " s, plus 1 s per " + std::to_string(kMinBodyRate / 1024) + " KiB declared)";
      log->debug("closing a connection: {}", detail);
      const std::string target = head ? "" : c.head.target;
      answerFromGate(slot, problemReply(408, "request-timeout", "Request timeout", detail,
                                        target.substr(0, target.find('?'))));
      return;
    }
  }
}

void HttpServer::Impl::answerFromGate(std::unique_ptr<Connection>& slot, const HttpReply& reply,
                                      bool secure) {
  const std::string bytes = rawReply(reply, secure ? hsts : std::string());
  // Non-blocking and best effort: the gate never waits for a client.
  slot->impl->writeNow(bytes);
  dispatcher.metrics().observe(reply.metric_module, reply.metric_route, reply.status, 0);
  slot->impl->endSending();
  slot->phase = Connection::Phase::Linger;
  slot->buffer.clear();
  slot->deadline = Clock::now() + kLinger;
}

void HttpServer::Impl::dispatch(std::unique_ptr<Connection>& slot) {
  {
    std::lock_guard lock(mutex);
    if (ready.size() < static_cast<std::size_t>(std::max(1, settings.max_queued))) {
      ready.push_back(std::move(slot));
      wakeWorkerIfDue(Clock::now());
      return;
    }
  }
  HttpReply busy = problemReply(503, "unavailable", "Service unavailable",
                                "more requests are waiting than civhost queues; retry shortly",
                                slot->head.target);
  busy.headers.emplace_back("Retry-After", "1");
  answerFromGate(slot, busy);
}

// --- workers ----------------------------------------------------------------------------

void HttpServer::Impl::wakeWorkerIfDue(Clock::time_point now) {
  if (ready.empty()) return;
  const int max_threads = std::max(1, settings.max_threads);
  const int target =
      settings.running_target > 0 ? std::min(settings.running_target, max_threads) : max_threads;
  int running = 0, long_running = 0;
  for (const auto since : busy_since)
    if (since != Clock::time_point::max()) ++(now - since < kLongRequest ? running : long_running);
  // At the target the running ones take the queue in turn as they finish. Below it, one worker
  // for each waiting request up to the target; threads beyond the target only for requests
  // that have run long: a few hot threads taking the queue in turn switch less than many
  // woken in turn. (Above it, after long requests ended: the extra threads' short requests.)
  if (running >= target) return;
  const std::size_t wake = std::min(ready.size(), static_cast<std::size_t>(target - running));
  const auto thread_limit = static_cast<std::size_t>(std::min(max_threads, target + long_running));
  std::size_t started = 0;
  for (std::size_t i = 0; i < wake; ++i) {
    if (ready.size() > static_cast<std::size_t>(idle_workers) + started &&
        workers.size() < thread_limit) {
      busy_since.push_back(Clock::time_point::max());
      workers.emplace_back([this, index = workers.size()] { runWorker(index); });
      ++started;
    } else {
      work_ready.notify_one();
    }
  }
}

void HttpServer::Impl::runWorker(std::size_t index) {
  for (;;) {
    std::unique_ptr<Connection> connection;
    {
      std::unique_lock lock(mutex);
      ++idle_workers;
      work_ready.wait(lock, [this] { return workers_exit || !ready.empty(); });
      --idle_workers;
      if (ready.empty()) return;  // workers_exit
      connection = std::move(ready.front());
      ready.pop_front();
      ++busy_workers;
      busy_since[index] = Clock::now();
      active_fds.insert(connection->fd());
    }
    serve(*connection);
    {
      std::lock_guard lock(mutex);
      active_fds.erase(connection->fd());  // before the gate may close it and reuse the number
      --busy_workers;
      busy_since[index] = Clock::time_point::max();
    }
    giveBack(std::move(connection));
    work_done.notify_all();
  }
}

void HttpServer::Impl::serve(Connection& connection) {
  ConnectionSocket& socket = *connection.impl;
  socket.preload(std::move(connection.buffer));
  connection.buffer.clear();
  socket.setDeadline(Clock::now() + kSendDeadline);
  bool keep_alive = false;
  std::string leftover;
  try {
    Poco::Net::HTTPServerSession session(connection.socket, params);
    try {
      keep_alive = answer(connection, session);
    } catch (...) {
      keep_alive = false;
    }
    if (keep_alive) {
      Poco::Buffer<char> rest(0);
      session.drainBuffer(rest);
      leftover.assign(rest.begin(), rest.size());
    }
    session.detachSocket();  // the connection, not the session, closes the socket
  } catch (const std::exception& error) {
    log->debug("a connection failed while being answered: {}", error.what());
    keep_alive = false;
  }
  if (keep_alive) {
    connection.buffer = leftover + socket.takePreloaded();
    connection.head = Head{};
    connection.head_end = connection.head_scanned = connection.body_end = 0;
    ++connection.answered;
    connection.phase = Connection::Phase::Idle;
    connection.since = Clock::now();
    connection.deadline =
        Clock::now() + std::chrono::seconds(std::max(1, settings.keep_alive_timeout_seconds));
  } else {
    socket.takePreloaded();
    socket.endSending();
    connection.phase = Connection::Phase::Linger;
    connection.deadline = Clock::now() + kLinger;
  }
}

bool HttpServer::Impl::answer(Connection& connection, Poco::Net::HTTPServerSession& session) {
  const auto started = Clock::now();
  ConnectionSocket& socket = *connection.impl;
  const Head& head = connection.head;
  Poco::Net::HTTPServerResponseImpl response(session);
  response.setDate(Poco::Timestamp());
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  const std::string path = head.target.substr(0, head.target.find('?'));
  std::string method = head.method.empty() ? "-" : head.method;
  bool close = stopping.load() || !head.keep_alive ||
               connection.answered + 1 >= std::max(1, settings.max_keep_alive_requests);
  HttpReply reply;
  bool head_only = false;
  // The parsed request attaches itself to `response`, whose send() reads it: it must live until
  // the answer is sent, not only while the body is read.
  std::optional<Poco::Net::HTTPServerRequestImpl> parsed_request;

  auto send = [&](const HttpReply& answer_reply) {
    socket.setDeadline(Clock::now() + kSendDeadline);
    response.setStatusAndReason(
        static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer_reply.status));
    for (const auto& [name, value] : answer_reply.headers) response.set(name, value);
    if (!hsts.empty()) response.set("Strict-Transport-Security", hsts);
    if (close || answer_reply.close_connection) response.setKeepAlive(false);
    response.setContentLength(static_cast<std::streamsize>(answer_reply.body.size()));
    if (!answer_reply.body.empty()) response.setContentType(answer_reply.content_type);
    std::ostream& out = response.send();
    if (!head_only && !answer_reply.body.empty())
      out.write(answer_reply.body.data(), static_cast<std::streamsize>(answer_reply.body.size()));
    out.flush();
  };

  try {
    if (head.refusal) {
      reply = refusalReply(*head.refusal, path);
    } else {
      // Poco parses the head again from the bytes the gate collected (the same parser, so the
      // same result) and reads the body from them too.
      auto& request = parsed_request.emplace(response, session, params.get());
      response.setVersion(request.getVersion());
      close = close || !request.getKeepAlive();
      response.setKeepAlive(!close);
      head_only = request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
      HttpExchange exchange;
      exchange.method = request.getMethod();
      exchange.target = request.getURI();
      exchange.content_type = request.getContentType();
      exchange.authorization = request.get("Authorization", "");
      exchange.client_address = request.clientAddress().host().toString();
      exchange.cookie = request.get("Cookie", "");
      exchange.csrf_token = request.get("X-CSRF-Token", "");
      exchange.accept_encoding = request.get("Accept-Encoding", "");
      exchange.forwarded_proto = request.get("X-Forwarded-Proto", "");
      exchange.if_none_match = request.get("If-None-Match", "");
      const std::size_t max_body = settings.max_body_bytes;
      BodyOutcome outcome = BodyOutcome::Ok;
      const bool over_limit = head.body == Head::Body::Fixed && head.length > max_body;
      if (over_limit &&
          (head.length > static_cast<std::uint64_t>(std::max(max_body, kDrainLimit)) ||
           (head.expect_continue && !connection.continue_sent))) {
        // Too long to drain, or the client waits for a 100 Continue it will not get.
        outcome = BodyOutcome::TooLarge;
      } else if (head.body != Head::Body::None) {
        if (head.expect_continue && !connection.continue_sent) response.sendContinue();
        socket.setDeadline(Clock::now() + kDrainDeadline);  // only a body over the limit waits
        outcome = readBody(request.stream(), session, max_body, exchange.body);
      }
      switch (outcome) {
        case BodyOutcome::Ok:
          reply = dispatcher.handle(exchange);
          break;
        case BodyOutcome::TooLarge:
          reply = problemReply(
              413, "payload-too-large", "Payload too large",
              "the request body exceeds the limit of " + std::to_string(max_body) + " bytes", path);
          reply.close_connection = true;  // the rest of the body is unread
          break;
        case BodyOutcome::TimedOut:
          reply = problemReply(408, "request-timeout", "Request timeout",
                               "the request body did not arrive in time", path);
          reply.close_connection = true;
          break;
        case BodyOutcome::Broken:
          log->debug("{} {}: the connection broke while its body was read", method, path);
          return false;
      }
    }
  } catch (const Poco::Net::MessageException& error) {
    reply = problemReply(400, "bad-request", "Malformed request", error.message(), path);
    reply.close_connection = true;
  } catch (const std::exception& error) {
    log->error("{} {}: {}", method, path, error.what());
    if (response.sent()) return false;
    reply = problemReply(500, "internal", "Internal server error",
                         "the request could not be answered", path);
    reply.close_connection = true;
  }
  if (reply.close_connection) close = true;
  try {
    send(reply);
  } catch (const std::exception& error) {
    log->debug("{} {}: the answer could not be sent: {}", method, path, error.what());
    close = true;
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  dispatcher.metrics().observe(reply.metric_module, reply.metric_route, reply.status, ms / 1000.0);
  log->info("{} {} {} {:.2f} ms", method, path, reply.status, ms);
  return !close;
}

void HttpServer::Impl::giveBack(std::unique_ptr<Connection> connection) {
  bool first = false;
  {
    std::lock_guard lock(mutex);
    if (!gate_open) return;  // stopping: the connection closes here
    first = returned.empty();
    returned.push_back(std::move(connection));
  }
  // One wake for the hand-backs the gate has not yet taken: it takes them all at once, and the
  // first one's wake is written (or was) after that one was queued.
  if (first) wake();
}

// --- HttpServer -------------------------------------------------------------------------

HttpServer::HttpServer(const HttpSettings& settings, ApiDispatcher& dispatcher,
                       std::shared_ptr<spdlog::logger> request_log)
    : impl_(std::make_unique<Impl>(settings, dispatcher, std::move(request_log))) {
  const std::string address = settings.listen_host + ":" + std::to_string(settings.listen_port);
  if (settings.tls.enabled()) {
    impl_->tls = std::make_unique<TlsContext>(settings.tls);  // TlsSetupError names the setting
    impl_->hsts = "max-age=" + std::to_string(settings.tls.hsts_max_age_seconds);
    impl_->log->info("TLS 1.2+ with {}", impl_->tls->description());
    if (impl_->tls->daysLeft() < 0)
      impl_->log->error("the TLS certificate ({}) has expired: browsers refuse it; renew it",
                        settings.tls.certificate);
    else if (impl_->tls->daysLeft() < 30)
      impl_->log->warn("the TLS certificate ({}) expires in {} days; renew it",
                       settings.tls.certificate, impl_->tls->daysLeft());
  }
  try {
    // reuseAddress so a restart is not blocked by TIME_WAIT; never reusePort (Poco 1.11's
    // default), which would let two civhosts share the port silently.
    impl_->listener.bind(Poco::Net::SocketAddress(settings.listen_host, settings.listen_port), true,
                         false);
    impl_->listener.listen(1024);
    impl_->listener.setBlocking(false);
  } catch (const Poco::Exception& error) {
    throw std::runtime_error("cannot listen on " + address + ": " + error.displayText() +
                             " (is another civhost running there? choose another --listen)");
  }
  impl_->port = impl_->listener.address().port();
  impl_->params = new Poco::Net::HTTPServerParams();
  impl_->params->setKeepAlive(true);
  impl_->params->setMaxKeepAliveRequests(settings.max_keep_alive_requests);
  impl_->params->setKeepAliveTimeout(Poco::Timespan(settings.keep_alive_timeout_seconds, 0));
  impl_->params->setTimeout(Poco::Timespan(30, 0));
  impl_->params->setServerName("civhost");
  // The gate holds at most this many connections, leaving descriptors for the database,
  // plugins and logs.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
    impl_->max_gate_connections =
        static_cast<std::size_t>(std::clamp<rlim_t>(files.rlim_cur / 8 * 7, 64, 4096));
  else
    impl_->max_gate_connections = 4096;
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_NONBLOCK | O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot create the HTTP gate's pipe: ") +
                             std::strerror(errno));
  impl_->wake_read = pipe_ends[0];
  impl_->wake_write = pipe_ends[1];
}

HttpServer::~HttpServer() {
  stop(0);
  if (impl_->wake_read >= 0) ::close(impl_->wake_read);
  if (impl_->wake_write >= 0) ::close(impl_->wake_write);
}

void HttpServer::start() {
  if (!impl_->gate.joinable() && !impl_->stopped)
    impl_->gate = std::thread([impl = impl_.get()] { impl->runGate(); });
}

void HttpServer::stop(int drain_seconds) {
  Impl& impl = *impl_;
  if (impl.stopped) return;
  impl.stopped = true;
  impl.stopping = true;
  impl.wake();
  if (impl.gate.joinable()) impl.gate.join();
  {
    std::lock_guard lock(impl.mutex);
    impl.gate_open = false;
    impl.work_ready.notify_all();  // no gate now to wake workers for what still waits
  }
  // Requests in flight (and complete ones already queued) are answered, for up to
  // drain_seconds; then the connections still being answered are cut.
  std::unique_lock lock(impl.mutex);
  impl.work_done.wait_for(lock, std::chrono::seconds(std::max(0, drain_seconds)),
                          [&impl] { return impl.ready.empty() && impl.busy_workers == 0; });
  impl.workers_exit = true;
  impl.ready.clear();
  for (const int fd : impl.active_fds) ::shutdown(fd, SHUT_RDWR);
  impl.work_ready.notify_all();
  std::vector<std::thread> workers;
  workers.swap(impl.workers);
  lock.unlock();
  for (auto& worker : workers) worker.join();
  impl.listener.close();
}

std::uint16_t HttpServer::port() const { return impl_->port; }

}  // namespace civ::host
