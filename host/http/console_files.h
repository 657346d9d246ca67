// The web console's built files (console/dist), served at / with the headers a government
// site needs: a strict Content-Security-Policy (scripts and styles only from this origin, no
// framing), hashed assets cached for a year, index.html revalidated on every visit (ETag), and
// gzip when the browser takes it. The files are read once at start-up: a request never
// touches the file system, so no path can escape the directory. Each text file is compressed
// when it is first asked for (by any request), not at start-up (1.4 MB at level 6 was a fifth of
// civhost's start).
#pragma once

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
  /// A text file's gzip form, made once by the first request that can take it.
  struct Compressed {
    std::once_flag made;
    std::string bytes;  ///< empty when compression does not pay
  };
  struct File {
    std::string content_type;
    std::string body;
    std::unique_ptr<Compressed> gzipped;  ///< null for types not worth compressing (images)
    std::string etag;
    bool immutable = false;  ///< under assets/: the name holds the content hash
  };
  /// The gzip bytes of `file`, or empty.
  static const std::string& gzippedOf(const File& file);
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace civ::host
