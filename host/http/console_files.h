// The web console's built files (console/dist), served at / with the headers a government
// site needs: a strict Content-Security-Policy (scripts and styles only from this origin, no
// framing), hashed assets cached for a year, index.html revalidated on every visit (ETag), and
// gzip when the browser takes it. The files are listed once at start-up and a request names
// only a listed file, so no path can escape the directory. Each file is read, and a text file
// compressed, when it is first asked for (by any request), then kept: not at start-up (1.4 MB
// at gzip level 6 was a fifth of civhost's start, and an idle civhost kept 1.4 MB it may
// never serve).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "host/http/http_exchange.h"

namespace civ::host {

class ConsoleFiles {
 public:
  /// Loads every file under `directory` (nothing when empty or missing: `available()` false).
  explicit ConsoleFiles(const std::string& directory);

  bool available() const { return !files_.empty(); }
  std::size_t fileCount() const { return files_.size(); }

  /// The reply for GET or HEAD of `path` ("/" is index.html); 404 for an unknown file.
  HttpReply answer(const HttpExchange& exchange, const std::string& path) const;

  /// The security headers every console answer carries.
  static void addSecurityHeaders(HttpReply& reply);

 private:
  /// A file's bytes and, for text, its gzip form, each made once by the first request that
  /// needs it.
  struct Contents {
    std::once_flag read;
    std::string body;
    std::once_flag compressed;
    std::string gzipped;  ///< empty when compression does not pay
  };
  struct File {
    std::string path;                          ///< on disk, as listed at start-up
    std::filesystem::file_time_type modified;  ///< as listed: a later change is not served
    std::size_t size = 0;
    std::string content_type;
    bool compressible = false;  ///< text: worth compressing (images are not)
    std::unique_ptr<Contents> contents = std::make_unique<Contents>();
    std::string etag;
    bool immutable = false;  ///< under assets/: the name holds the content hash
  };
  /// The bytes of `file`.
  static const std::string& bodyOf(const File& file);
  /// The gzip bytes of `file`, or empty.
  static const std::string& gzippedOf(const File& file);
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace civ::host
