#include <civ/sdk/uscc.h>

namespace civ::sdk {

namespace {

constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int usccValue(char c) {
  const auto at = kCharset.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

int organisationValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

}  // namespace

char usccCheckCharacter(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  int weight = 1;  // 3^i mod 31
  for (char c : first17) {
    const int value = usccValue(c);
    if (value < 0) return '\0';
    sum += value * weight;
    weight = weight * 3 % 31;
  }
  return kCharset[(31 - sum % 31) % 31];
}

char organisationCodeCheckCharacter(std::string_view body8) {
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  if (body8.size() != 8) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const int value = organisationValue(body8[i]);
    if (value < 0) return '\0';
    sum += value * kWeights[i];
  }
  const int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

std::optional<UsccProblem> checkUscc(std::string_view text) {
  if (text.size() != 18)
    return UsccProblem{"length", "a unified social credit code has 18 characters, got " +
                                     std::to_string(text.size())};
  for (char c : text)
    if (usccValue(c) < 0)
      return UsccProblem{"characters",
                         "a unified social credit code uses digits and the upper-case letters "
                         "ABCDEFGHJKLMNPQRTUWXY only"};
  const std::string_view organisation = text.substr(8, 9);
  if (organisationCodeCheckCharacter(organisation.substr(0, 8)) != organisation[8])
    return UsccProblem{
        "organisation_code",
        "characters 9-17 are not an organisation code (GB 11714): the check "
        "character should be " +
            std::string(1, organisationCodeCheckCharacter(organisation.substr(0, 8)))};
  const char expected = usccCheckCharacter(text.substr(0, 17));
  if (expected != text[17])
    return UsccProblem{"checksum", "the check character (GB 32100) should be " +
                                       std::string(1, expected) + ", got " +
                                       std::string(1, text[17])};
  return std::nullopt;
}

}  // namespace civ::sdk
