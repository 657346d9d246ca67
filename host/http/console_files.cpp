#include "host/http/console_files.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "host/common/gzip.h"
#include "host/http/problem.h"

namespace civ::host {

namespace {

namespace fs = std::filesystem;

std::string contentType(const std::string& extension) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}};
  const auto it = kTypes.find(extension);
  return it == kTypes.end() ? "" : it->second;
}

}  // namespace

ConsoleFiles::ConsoleFiles(const std::string& directory) {
  std::error_code error;
  if (directory.empty() || !fs::is_directory(directory, error)) return;
  for (const auto& entry : fs::recursive_directory_iterator(directory, error)) {
    if (!entry.is_regular_file()) continue;
    const std::string type = contentType(entry.path().extension().string());
    if (type.empty()) continue;  // source maps and anything unexpected stay unserved
    File file;
    file.path = entry.path().string();
    file.content_type = type;
    file.compressible =
        type.starts_with("text/") || type == "application/json" || type == "image/svg+xml";
    // nginx's validator: modification time and size in hex. Hashing every file's bytes was a
    // tenth of civhost's start-up; the built assets carry their content hash in their names.
    file.modified = fs::last_write_time(entry.path(), error);
    file.size = static_cast<std::size_t>(entry.file_size(error));
    char etag[64];
    std::snprintf(etag, sizeof etag, "\"%llx-%zx\"",
                  static_cast<unsigned long long>(file.modified.time_since_epoch().count()),
                  file.size);
    file.etag = etag;
    const std::string relative = "/" + fs::relative(entry.path(), directory).generic_string();
    file.immutable = relative.starts_with("/assets/");
    files_.emplace(relative, std::move(file));
  }
}

const std::string& ConsoleFiles::bodyOf(const File& file) {
  // A throw leaves the flag unset: the next request tries again.
  std::call_once(file.contents->read, [&file] {
    std::error_code error;
    if (fs::last_write_time(file.path, error) != file.modified || error)
      throw std::runtime_error(file.path + " changed or vanished since civhost started");
    std::ifstream in(file.path, std::ios::binary);
    if (!in) throw std::runtime_error(file.path + " could not be opened");
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (body.size() != file.size) throw std::runtime_error(file.path + " could not be read whole");
    file.contents->body = std::move(body);
  });
  return file.contents->body;
}

const std::string& ConsoleFiles::gzippedOf(const File& file) {
  if (!file.compressible) return file.contents->gzipped;  // stays empty
  std::call_once(file.contents->compressed, [&file] {
    const std::string& body = bodyOf(file);
    std::string compressed = gzip(body);
    if (compressed.size() + 100 < body.size()) file.contents->gzipped = std::move(compressed);
  });
  return file.contents->gzipped;
}

void ConsoleFiles::addSecurityHeaders(HttpReply& reply) {
  // Element Plus sets element styles from script (allowed by style-src via CSSOM) and Vite
  // emits no inline script; 'unsafe-inline' for styles only covers the style attributes that
  // Vue renders into templates.
  reply.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
      "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  reply.headers.emplace_back("X-Frame-Options", "DENY");
}

HttpReply ConsoleFiles::answer(const HttpExchange& exchange, const std::string& path) const {
  const auto it = files_.find(path == "/" ? std::string_view("/index.html") : path);
  if (it == files_.end()) {
    HttpReply reply = problemReply(
        404, "not-found", "Not found",
        available() ? "no console file at " + path
                    : "the web console is not installed on this server (http.console_dir); the "
                      "API is under /api/v1/",
        path);
    addSecurityHeaders(reply);
    return reply;
  }
  const File& file = it->second;
  try {
    bodyOf(file);  // read now: an answer never carries the ETag of bytes it cannot send
  } catch (const std::exception& error) {
    HttpReply reply = problemReply(
        503, "console-unavailable", "Console file unavailable",
        std::string(error.what()) +
            "; the console's files are read as they were when civhost started: restart civhost "
            "after replacing them",
        path);
    addSecurityHeaders(reply);
    return reply;
  }
  HttpReply reply;
  reply.metric_route = "console";
  addSecurityHeaders(reply);
  reply.headers.emplace_back("ETag", file.etag);
  reply.headers.emplace_back("Cache-Control",
                             file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!exchange.if_none_match.empty() && exchange.if_none_match == file.etag) {
    reply.status = 304;
    reply.content_type.clear();
    return reply;
  }
  reply.content_type = file.content_type;
  if (const auto& gzipped = gzippedOf(file); !gzipped.empty()) {
    reply.headers.emplace_back("Vary", "Accept-Encoding");
    if (exchange.accept_encoding.find("gzip") != std::string::npos) {
      reply.headers.emplace_back("Content-Encoding", "gzip");
      reply.body = gzipped;
      return reply;
    }
  }
  reply.body = bodyOf(file);
  return reply;
}

}  // namespace civ::host
