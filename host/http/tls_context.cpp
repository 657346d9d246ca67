#include "host/http/tls_context.h"

// See the header for why civhost drives OpenSSL itself instead of using Poco's NetSSL.

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <vector>

#include "host/config/host_config.h"

namespace civ::host {

namespace {

namespace fs = std::filesystem;

/// TLS 1.2: ECDHE key exchange (forward secrecy) and AEAD ciphers only, as Mozilla's
/// "intermediate" profile. TLS 1.3 keeps OpenSSL's default suites, all of which are AEAD.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

constexpr const char* kCertificateSetting = "http.tls.certificate";
constexpr const char* kKeySetting = "http.tls.private_key";
/// Larger files are not certificates or keys.
constexpr std::uintmax_t kMaxPemBytes = 1024 * 1024;

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using ContextPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

/// The oldest error OpenSSL queued on this thread, as text; clears the queue.
std::string takeOpensslError() {
  const unsigned long code = ERR_peek_error();
  std::string text = "unknown OpenSSL error";
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text = buffer;
  }
  ERR_clear_error();
  return text;
}

/// The whole of a PEM file named by `setting`, or a TlsSetupError saying why not.
std::string readPemFile(const char* setting, const std::string& path) {
  if (path.empty())
    throw TlsSetupError(setting, "is required when http.tls is set (the path of a PEM file)");
  std::error_code error;
  const auto status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found)
    throw TlsSetupError(setting, path + " does not exist");
  if (error) throw TlsSetupError(setting, "cannot read " + path + ": " + error.message());
  if (!fs::is_regular_file(status)) throw TlsSetupError(setting, path + " is not a file");
  if (fs::file_size(path, error) > kMaxPemBytes)
    throw TlsSetupError(setting, path + " is too large to be a PEM certificate or key");
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"),
                                                          &std::fclose);
  if (!file)
    throw TlsSetupError(setting, "cannot read " + path + ": " + std::strerror(errno) +
                                     " (civhost's user must be able to read it)");
  std::string text;
  char buffer[8192];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, got);
  if (std::ferror(file.get()) != 0)
    throw TlsSetupError(setting, "cannot read " + path + ": " + std::strerror(errno));
  return text;
}

BioPtr memoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
}

/// An encrypted key would make OpenSSL ask for a passphrase on the terminal; civhost never does.
int noPassphrase(char*, int, int, void*) { return -1; }

std::string describe(X509* certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  BIO_puts(bio.get(), "subject ");
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0,
                     XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  BIO_puts(bio.get(), ", valid until ");
  ASN1_TIME_print(bio.get(), X509_get0_notAfter(certificate));
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(std::max(0L, length)));
}

// --- the socket BIO -----------------------------------------------------------------------
// OpenSSL's own socket BIO writes with write(2): a peer that has reset the connection would
// raise SIGPIPE and end civhost. This one sends with MSG_NOSIGNAL; otherwise it is the same.

int descriptor(BIO* bio) {
  return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
}

int socketWrite(BIO* bio, const char* data, int length) {
  BIO_clear_retry_flags(bio);
  for (;;) {
    const auto n = ::send(descriptor(bio), data, static_cast<std::size_t>(length), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_write(bio);
    return -1;
  }
}

int socketRead(BIO* bio, char* data, int length) {
  BIO_clear_retry_flags(bio);
  for (;;) {
    const auto n = ::recv(descriptor(bio), data, static_cast<std::size_t>(length), 0);
    if (n > 0) return static_cast<int>(n);
    if (n == 0) {
      BIO_set_flags(bio, BIO_FLAGS_IN_EOF);
      return 0;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_read(bio);
    return -1;
  }
}

long socketControl(BIO* bio, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      return BIO_test_flags(bio, BIO_FLAGS_IN_EOF) != 0 ? 1 : 0;
    default:
      return 0;
  }
}

int socketCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int socketDestroy(BIO*) { return 1; }  // the descriptor belongs to the connection

const BIO_METHOD* socketMethod() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* created =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "civhost socket");
    if (created == nullptr) return created;
    BIO_meth_set_write(created, socketWrite);
    BIO_meth_set_read(created, socketRead);
    BIO_meth_set_ctrl(created, socketControl);
    BIO_meth_set_create(created, socketCreate);
    BIO_meth_set_destroy(created, socketDestroy);
    return created;
  }();
  return method;
}

}  // namespace

// --- TlsContext ---------------------------------------------------------------------------

TlsContext::TlsContext(const TlsSettings& settings) {
  ERR_clear_error();
  const std::string certificate_text = readPemFile(kCertificateSetting, settings.certificate);
  const std::string key_text = readPemFile(kKeySetting, settings.private_key);

  // The certificate first, then the intermediates that lead to the authority.
  std::vector<X509Ptr> chain;
  {
    BioPtr bio = memoryBio(certificate_text);
    while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr))
      chain.emplace_back(certificate, &X509_free);
    ERR_clear_error();  // the end of the file
  }
  if (chain.empty())
    throw TlsSetupError(kCertificateSetting,
                        settings.certificate +
                            " holds no PEM certificate (a block starting with -----BEGIN "
                            "CERTIFICATE-----)");
  if (key_text.find("ENCRYPTED") != std::string::npos)
    throw TlsSetupError(kKeySetting,
                        settings.private_key +
                            " is encrypted with a passphrase, which civhost cannot ask for: "
                            "store it unencrypted (openssl pkey -in KEY -out PLAIN), readable "
                            "only by civhost's user");
  KeyPtr key(nullptr, &EVP_PKEY_free);
  {
    BioPtr bio = memoryBio(key_text);
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
  }
  if (!key) {
    ERR_clear_error();
    throw TlsSetupError(kKeySetting, settings.private_key +
                                         " holds no PEM private key (a block starting with "
                                         "-----BEGIN PRIVATE KEY-----)");
  }
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    ERR_clear_error();
    throw TlsSetupError(kKeySetting, settings.private_key +
                                         " does not belong to the certificate in "
                                         "http.tls.certificate (" +
                                         settings.certificate + ")");
  }

  ContextPtr context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  if (!context)
    throw TlsSetupError(kCertificateSetting, "cannot set up TLS: " + takeOpensslError());
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(context.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                         SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(context.get(), kTls12Ciphers) != 1)
    throw TlsSetupError(kCertificateSetting, "cannot set up TLS: " + takeOpensslError());
  // Partial writes and a moving buffer suit the callers' loops; idle connections give their
  // record buffers back, which matters with thousands of them in the gate.
  SSL_CTX_set_mode(context.get(), SSL_MODE_ENABLE_PARTIAL_WRITE |
                                      SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                      SSL_MODE_RELEASE_BUFFERS);
  static const unsigned char kSessionContext[] = "civhost";
  SSL_CTX_set_session_id_context(context.get(), kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_default_passwd_cb(context.get(), noPassphrase);
  // OpenSSL's security level refuses, for instance, an RSA key under 2048 bits here.
  if (SSL_CTX_use_certificate(context.get(), chain.front().get()) != 1)
    throw TlsSetupError(kCertificateSetting,
                        settings.certificate + " cannot be used: " + takeOpensslError());
  for (std::size_t i = 1; i < chain.size(); ++i)
    if (SSL_CTX_add1_chain_cert(context.get(), chain[i].get()) != 1)
      throw TlsSetupError(kCertificateSetting, "certificate " + std::to_string(i + 1) + " in " +
                                                   settings.certificate +
                                                   " cannot be used: " + takeOpensslError());
  if (SSL_CTX_use_PrivateKey(context.get(), key.get()) != 1 ||
      SSL_CTX_check_private_key(context.get()) != 1)
    throw TlsSetupError(kKeySetting,
                        settings.private_key + " cannot be used: " + takeOpensslError());

  description_ = describe(chain.front().get());
  int days = 0;
  int seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(chain.front().get())) == 1)
    days_left_ = days - (seconds < 0 && days <= 0 ? 1 : 0);
  context_ = context.release();
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

// --- TlsStream ----------------------------------------------------------------------------

TlsStream::TlsStream(const TlsContext& context, int fd) : ssl_(SSL_new(context.native())) {
  if (ssl_ == nullptr) throw std::runtime_error("cannot start TLS: " + takeOpensslError());
  BIO* bio = BIO_new(socketMethod());
  if (bio == nullptr) {
    SSL_free(ssl_);
    throw std::runtime_error("cannot start TLS: " + takeOpensslError());
  }
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(fd)));
  SSL_set_bio(ssl_, bio, bio);  // the SSL owns the BIO
  SSL_set_accept_state(ssl_);
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

TlsStream::Result TlsStream::outcome(int rc, std::size_t bytes) {
  wants_write_ = false;
  if (rc == 1) return {Status::Done, bytes};
  const int saved_errno = errno;
  switch (SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ:
      return {Status::WantRead, 0};
    case SSL_ERROR_WANT_WRITE:
      wants_write_ = true;
      return {Status::WantWrite, 0};
    case SSL_ERROR_ZERO_RETURN:  // close_notify
      return {Status::Closed, 0};
    case SSL_ERROR_SYSCALL:  // the socket failed, or ended without close_notify
      failed_ = true;
      failure_ = saved_errno != 0 ? std::strerror(saved_errno) : "the connection ended";
      ERR_clear_error();
      return {Status::Closed, 0};
    default: {
      failed_ = true;
      const unsigned long code = ERR_peek_error();
      if (ERR_GET_LIB(code) == ERR_LIB_SSL) {
        plain_http_ = ERR_GET_REASON(code) == SSL_R_HTTP_REQUEST;
        if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
          ERR_clear_error();
          failure_ = "the connection ended without close_notify";
          return {Status::Closed, 0};
        }
      }
      failure_ = takeOpensslError();
      return {Status::Failed, 0};
    }
  }
}

TlsStream::Result TlsStream::read(void* buffer, std::size_t length) {
  if (failed_) return {Status::Failed, 0};
  if (length == 0) return {Status::Done, 0};
  ERR_clear_error();
  errno = 0;
  std::size_t got = 0;
  const int rc = SSL_read_ex(ssl_, buffer, length, &got);
  return outcome(rc, got);
}

TlsStream::Result TlsStream::write(const void* buffer, std::size_t length) {
  if (failed_) return {Status::Failed, 0};
  if (length == 0) return {Status::Done, 0};
  ERR_clear_error();
  errno = 0;
  std::size_t written = 0;
  const int rc = SSL_write_ex(ssl_, buffer, length, &written);
  return outcome(rc, written);
}

void TlsStream::shutdown() {
  if (shut_down_ || failed_ || SSL_is_init_finished(ssl_) != 1) return;
  shut_down_ = true;
  ERR_clear_error();
  SSL_shutdown(ssl_);  // best effort: a full socket buffer loses the close_notify, no more
  ERR_clear_error();
}

// SSL_pending, not SSL_has_pending: the latter is also true for the first bytes of a record that
// has not fully arrived, which only poll() can wait for (reading again at once spun the gate).
// With read_ahead off OpenSSL takes one record at a time from the socket, so decrypted bytes are
// the only input poll() cannot see.
bool TlsStream::hasBufferedInput() const { return !failed_ && SSL_pending(ssl_) > 0; }

std::string TlsStream::protocol() const { return SSL_get_version(ssl_); }

}  // namespace civ::host
