// civhost's own HTTPS (issue 24 item 4), on OpenSSL 3 directly rather than Poco's NetSSL.
//
// Why not Poco's SecureServerSocket: its handshake and its reads run inside blocking calls on
// the thread that owns the connection, and the HTTP gate (http_server.cpp) exists so that no
// connection owns a thread before its request has fully arrived. Here a connection's TLS is a
// TlsStream over its non-blocking descriptor that never waits: a read or write that cannot go
// on says whether it waits for the socket to be readable or writable, and whoever holds the
// connection waits for that — the gate in its poll loop (so a client that stalls in its
// handshake costs a descriptor and a few KiB, and the handshake counts in the head deadline), a
// worker in a poll up to its total deadline. The gate hands the decrypted bytes of a complete
// request to a worker exactly as it hands plain ones.
//
// Policy (docs/security.md, "TLS"): TLS 1.2 and 1.3 only; TLS 1.3 with OpenSSL's default
// suites, TLS 1.2 with ECDHE key exchange and AEAD ciphers only; no compression, no
// renegotiation. The socket I/O goes through a small BIO of our own that sends with
// MSG_NOSIGNAL, so a client that resets the connection cannot raise SIGPIPE in civhost.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

using SSL_CTX = struct ssl_ctx_st;
using SSL = struct ssl_st;

namespace civ::host {

struct TlsSettings;

/// A TLS setting that cannot be used: the host.yaml key (e.g. "http.tls.private_key") and why.
class TlsSetupError : public std::runtime_error {
 public:
  TlsSetupError(std::string setting, std::string reason)
      : std::runtime_error(setting + ": " + reason),
        setting_(std::move(setting)),
        reason_(std::move(reason)) {}
  const std::string& setting() const { return setting_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string setting_;
  std::string reason_;
};

/// The server's TLS configuration: certificate chain, key and protocol policy. Shared by every
/// connection (an SSL_CTX is safe to use from several threads).
class TlsContext {
 public:
  /// Reads and checks the certificate chain and the key (readable, PEM, not encrypted, the key
  /// belongs to the certificate); throws TlsSetupError naming the setting at fault.
  explicit TlsContext(const TlsSettings& settings);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* native() const { return context_; }
  /// "subject CN=..., valid until Dec  1 12:00:00 2027 GMT", for the start-up log.
  const std::string& description() const { return description_; }
  /// Whole days until the certificate expires; negative once it has.
  int daysLeft() const { return days_left_; }

 private:
  SSL_CTX* context_ = nullptr;
  std::string description_;
  int days_left_ = 0;
};

/// One connection's TLS, server side, over a non-blocking socket the caller owns (and closes
/// after this is destroyed). Never waits; used by one thread at a time.
class TlsStream {
 public:
  enum class Status {
    Done,       ///< `bytes` were read or written
    WantRead,   ///< nothing now: call again when the socket is readable
    WantWrite,  ///< nothing now: call again when the socket is writable
    Closed,     ///< the client ended the connection (close_notify or end of stream)
    Failed      ///< a TLS error (a failed handshake, a bad record): see failure()
  };
  struct Result {
    Status status = Status::Done;
    std::size_t bytes = 0;
  };

  TlsStream(const TlsContext& context, int fd);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  /// Application bytes; drives the handshake first while it is not finished.
  Result read(void* buffer, std::size_t length);
  /// May write fewer than `length` bytes (partial writes are on).
  Result write(const void* buffer, std::size_t length);
  /// Sends close_notify once, best effort (never waits).
  void shutdown();

  /// Decrypted bytes are held inside OpenSSL: poll() on the socket will not show them, so read
  /// again without waiting.
  bool hasBufferedInput() const;
  /// The last call that could not go on waits for the socket to be writable.
  bool wantsWrite() const { return wants_write_; }
  /// The client sent a plain HTTP request where a TLS handshake belongs (OpenSSL recognises
  /// "GET ", "POST ", "HEAD ", "PUT " as the first bytes); the connection carries no TLS.
  bool plainHttp() const { return plain_http_; }
  bool failed() const { return failed_; }
  /// Why it failed, for the debug log.
  const std::string& failure() const { return failure_; }
  /// "TLSv1.3", once the handshake is done.
  std::string protocol() const;

 private:
  Result outcome(int rc, std::size_t bytes);

  SSL* ssl_ = nullptr;
  bool wants_write_ = false;
  bool plain_http_ = false;
  bool failed_ = false;
  bool shut_down_ = false;
  std::string failure_;
};

}  // namespace civ::host
