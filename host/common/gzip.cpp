#include "host/common/gzip.h"

#include <sstream>

#include <Poco/DeflatingStream.h>

namespace civ::host {

std::string gzip(const std::string& body) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 6);
  deflate.write(body.data(), static_cast<std::streamsize>(body.size()));
  deflate.close();
  return out.str();
}

}  // namespace civ::host
