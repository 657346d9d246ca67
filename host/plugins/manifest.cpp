#include "host/plugins/manifest.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace civ::host {

namespace {

using nlohmann::json;

std::string requireString(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
    throw std::invalid_argument(std::string("field '") + key + "' must be a non-empty string");
  return it->get<std::string>();
}

std::string optionalString(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string())
    throw std::invalid_argument(std::string("field '") + key + "' must be a string");
  return it->get<std::string>();
}

std::vector<PluginRequirement> readRequirements(const json& object, const char* key) {
  std::vector<PluginRequirement> requirements;
  auto it = object.find(key);
  if (it == object.end()) return requirements;
  if (!it->is_array())
    throw std::invalid_argument(std::string("field '") + key + "' must be a list");
  for (const auto& entry : *it) {
    if (!entry.is_object())
      throw std::invalid_argument(std::string("entries of '") + key + "' must be objects");
    const std::string id = requireString(entry, "id");
    const std::string range_text = requireString(entry, "version");
    auto range = VersionRange::parse(range_text);
    if (!range)
      throw std::invalid_argument(std::string(key) + " " + id + ": version range '" + range_text +
                                  "' is not of the form [1.0,2.0)");
    requirements.push_back({id, *range});
  }
  return requirements;
}

}  // namespace

std::variant<Manifest, std::string> readManifest(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return "cannot be read";
  std::stringstream text;
  text << in.rdbuf();
  json root;
  try {
    root = json::parse(text.str());
  } catch (const json::parse_error& error) {
    return std::string("is not valid JSON: ") + error.what();
  }
  if (!root.is_object()) return std::string("must be a JSON object");
  try {
    Manifest manifest;
    manifest.file = file;
    auto version_it = root.find("manifest_version");
    if (version_it == root.end() || !version_it->is_number_integer())
      throw std::invalid_argument("field 'manifest_version' must be an integer");
    manifest.manifest_version = version_it->get<int>();
    manifest.id = requireString(root, "id");
    static const std::regex id_pattern("[a-z][a-z0-9_]*");
    if (!std::regex_match(manifest.id, id_pattern))
      throw std::invalid_argument("id '" + manifest.id + "' must match [a-z][a-z0-9_]*");
    // The host's own routes live under these names (request_pipeline.h).
    static const std::set<std::string> kReserved = {"civ",     "admin",           "indicators",
                                                    "audit",   "security_events", "parameters",
                                                    "history", "session"};
    if (kReserved.count(manifest.id) != 0)
      throw std::invalid_argument("id '" + manifest.id + "' is reserved for the host's own routes");
    auto name = root.find("name");
    if (name == root.end() || !name->is_object())
      throw std::invalid_argument("field 'name' must be an object with zh and en");
    manifest.name = {requireString(*name, "zh"), requireString(*name, "en")};
    const std::string version_text = requireString(root, "version");
    auto version = SemVer::parse(version_text);
    if (!version) throw std::invalid_argument("version '" + version_text + "' is not x.y.z");
    manifest.version = *version;
    manifest.vendor = optionalString(root, "vendor");
    manifest.license = optionalString(root, "license");
    manifest.description = optionalString(root, "description");
    auto sdk = root.find("sdk");
    if (sdk == root.end() || !sdk->is_object() || !sdk->contains("abi") ||
        !(*sdk)["abi"].is_number_integer())
      throw std::invalid_argument(
          "field 'sdk' must be {\"abi\": <major>, \"built_with\": \"x.y.z\"}");
    manifest.sdk_abi = (*sdk)["abi"].get<int>();
    const std::string built_with = requireString(*sdk, "built_with");
    auto built = SemVer::parse(built_with);
    if (!built) throw std::invalid_argument("sdk.built_with '" + built_with + "' is not x.y.z");
    manifest.sdk_built_with = *built;
    manifest.requires_ = readRequirements(root, "requires");
    manifest.optional = readRequirements(root, "optional");
    manifest.library = requireString(root, "library");
    if (manifest.library.find('/') != std::string::npos)
      throw std::invalid_argument("library '" + manifest.library +
                                  "' must be a file name beside the manifest");
    manifest.platform = requireString(root, "platform");
    return manifest;
  } catch (const std::exception& error) {
    return std::string(error.what());
  }
}

}  // namespace civ::host
