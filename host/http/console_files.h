// The web console's built files (console/dist), served at / with the headers a government
// site needs: a strict Content-Security-Policy (scripts and styles only from this origin, no
// framing), hashed assets cached for a year, index.html revalidated on every visit (ETag), and
// gzip when the browser takes it. The files are read once at start-up: a request never
// touches the file system, so no path can escape the directory.
#pragma once

#include <map>
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
  struct File {
    std::string content_type;
    std::string body;
    std::string gzipped;  ///< empty when compression does not pay
    std::string etag;
    bool immutable = false;  ///< under assets/: the name holds the content hash
  };
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace civ::host
