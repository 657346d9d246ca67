// The console's files as civhost serves them: security headers on every answer, hashed assets
// cached for a year, index.html revalidated by ETag, gzip only when the browser takes it, and
// nothing outside the loaded files.
#include "host/http/console_files.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace civ::host {
namespace {

namespace fs = std::filesystem;

std::string header(const HttpReply& reply, const std::string& name) {
  for (const auto& [key, value] : reply.headers)
    if (key == name) return value;
  return "";
}

class ConsoleFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("civ-console-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(dir_ / "assets");
    write("index.html", "<!doctype html><script type=module src=/assets/app-1a2b.js></script>");
    write("assets/app-1a2b.js", std::string(20000, 'x'));  // compresses well
    write("assets/app-1a2b.js.map", "{}");                 // never served
    write("../secret.txt", "outside");
  }
  void TearDown() override {
    fs::remove_all(dir_);
    fs::remove(dir_.parent_path() / "secret.txt");
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  HttpExchange get(const std::string& path) {
    HttpExchange exchange;
    exchange.method = "GET";
    exchange.target = path;
    return exchange;
  }
  fs::path dir_;
};

TEST_F(ConsoleFilesTest, ServesIndexAndAssetsWithCachingAndSecurityHeaders) {
  ConsoleFiles files(dir_.string());
  ASSERT_TRUE(files.available());
  const HttpReply index = files.answer(get("/"), "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("app-1a2b.js"), std::string::npos);
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  const std::string csp = header(index, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(header(index, "X-Content-Type-Options"), "nosniff");

  const HttpReply asset = files.answer(get("/assets/app-1a2b.js"), "/assets/app-1a2b.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(asset, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(asset.body.size(), 20000u);  // no Accept-Encoding: plain
  EXPECT_EQ(header(asset, "Content-Encoding"), "");
}

TEST_F(ConsoleFilesTest, GzipWhenAcceptedAndNotModifiedByEtag) {
  ConsoleFiles files(dir_.string());
  auto exchange = get("/assets/app-1a2b.js");
  exchange.accept_encoding = "gzip, deflate, br";
  const HttpReply zipped = files.answer(exchange, "/assets/app-1a2b.js");
  EXPECT_EQ(header(zipped, "Content-Encoding"), "gzip");
  EXPECT_LT(zipped.body.size(), 1000u);
  ASSERT_GE(zipped.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(zipped.body[0]), 0x1f);  // the gzip magic
  EXPECT_EQ(static_cast<unsigned char>(zipped.body[1]), 0x8b);

  const std::string etag = header(files.answer(get("/"), "/"), "ETag");
  ASSERT_FALSE(etag.empty());
  auto again = get("/");
  again.if_none_match = etag;
  const HttpReply not_modified = files.answer(again, "/");
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
}

TEST_F(ConsoleFilesTest, UnknownFilesSourceMapsAndPathsOutsideAreNotServed) {
  ConsoleFiles files(dir_.string());
  for (const std::string path : {"/assets/app-1a2b.js.map", "/../secret.txt", "/nothing.js",
                                 "/assets/../../secret.txt", "/index.html/"}) {
    const HttpReply reply = files.answer(get(path), path);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(reply.content_type, "application/problem+json") << path;
    EXPECT_NE(header(reply, "Content-Security-Policy"), "") << path;
  }
  ConsoleFiles none("");
  EXPECT_FALSE(none.available());
  EXPECT_NE(none.answer(get("/"), "/").body.find("not installed"), std::string::npos);
}

TEST_F(ConsoleFilesTest, AFileReplacedOrRemovedSinceStartIsNotServedUnderItsOldEtag) {
  ConsoleFiles files(dir_.string());
  const std::string etag = header(files.answer(get("/"), "/"), "ETag");  // read once: kept
  // Replaced after start-up, before its first request: 503 naming the fix, never the new bytes
  // under the old validator; a file already served keeps being served as it was read.
  write("assets/app-1a2b.js", "changed");
  fs::last_write_time(dir_ / "assets/app-1a2b.js",
                      fs::last_write_time(dir_ / "assets/app-1a2b.js") + std::chrono::seconds(5));
  const HttpReply changed = files.answer(get("/assets/app-1a2b.js"), "/assets/app-1a2b.js");
  EXPECT_EQ(changed.status, 503);
  EXPECT_EQ(changed.content_type, "application/problem+json");
  EXPECT_NE(changed.body.find("restart civhost"), std::string::npos);
  EXPECT_EQ(header(changed, "ETag"), "");
  fs::remove(dir_ / "index.html");
  const HttpReply index = files.answer(get("/"), "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(header(index, "ETag"), etag);
  EXPECT_NE(index.body.find("app-1a2b.js"), std::string::npos);
}

}  // namespace
}  // namespace civ::host
