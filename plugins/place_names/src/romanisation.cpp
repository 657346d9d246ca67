#include "romanisation.h"

#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <unicode/translit.h>
#include <unicode/unistr.h>

namespace civ::plugins::place_names {

namespace {

/// Tone-marked vowels and their toneless letters (UTF-8).
struct ToneVowel {
  const char* marked;
  const char* plain;
  const char* upper;  // the marked vowel in upper case
};
constexpr ToneVowel kToneVowels[] = {
    {"ā", "a", "Ā"}, {"á", "a", "Á"}, {"ǎ", "a", "Ǎ"}, {"à", "a", "À"}, {"ē", "e", "Ē"},
    {"é", "e", "É"}, {"ě", "e", "Ě"}, {"è", "e", "È"}, {"ī", "i", "Ī"}, {"í", "i", "Í"},
    {"ǐ", "i", "Ǐ"}, {"ì", "i", "Ì"}, {"ō", "o", "Ō"}, {"ó", "o", "Ó"}, {"ǒ", "o", "Ǒ"},
    {"ò", "o", "Ò"}, {"ū", "u", "Ū"}, {"ú", "u", "Ú"}, {"ǔ", "u", "Ǔ"}, {"ù", "u", "Ù"},
    {"ǖ", "ü", "Ǖ"}, {"ǘ", "ü", "Ǘ"}, {"ǚ", "ü", "Ǚ"}, {"ǜ", "ü", "Ǜ"}, {"ü", "ü", "Ü"},
    {"ń", "n", "Ń"}, {"ň", "n", "Ň"}, {"ǹ", "n", "Ǹ"}, {"ḿ", "m", "Ḿ"}, {"ê", "e", "Ê"}};

/// The UTF-8 character starting at `text[at]` and its length in bytes.
std::string characterAt(const std::string& text, std::size_t at) {
  const unsigned char lead = static_cast<unsigned char>(text[at]);
  std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return text.substr(at, length);
}

std::vector<std::string> characters(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    out.push_back(characterAt(text, at));
    at += out.back().size();
  }
  return out;
}

std::string upperFirst(const std::string& word) {
  if (word.empty()) return word;
  const std::string first = characterAt(word, 0);
  std::string upper = first;
  if (first.size() == 1 && first[0] >= 'a' && first[0] <= 'z')
    upper = std::string(1, static_cast<char>(first[0] - 'a' + 'A'));
  for (const auto& vowel : kToneVowels)
    if (first == vowel.marked) upper = vowel.upper;
  return upper + word.substr(first.size());
}

std::string upperAll(const std::string& word) {
  std::string out;
  for (const auto& character : characters(word)) {
    if (character.size() == 1 && character[0] >= 'a' && character[0] <= 'z')
      out += static_cast<char>(character[0] - 'a' + 'A');
    else if (character == "ü")
      out += "Ü";
    else
      out += character;
  }
  return out;
}

/// ICU's transliterator is not thread-safe: one instance, used under a lock.
std::mutex& icuLock() {
  static std::mutex lock;
  return lock;
}

icu::Transliterator& hanLatin() {
  static std::unique_ptr<icu::Transliterator> transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> created(
        icu::Transliterator::createInstance("Han-Latin", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !created)
      throw std::runtime_error(std::string("ICU Han-Latin transform unavailable: ") +
                               u_errorName(status));
    return created;
  }();
  return *transliterator;
}

}  // namespace

std::vector<std::string> hanSyllables(const std::string& text) {
  const auto each = characters(text);
  const auto read = [](const std::string& part) {
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(part);
    {
      std::lock_guard<std::mutex> guard(icuLock());
      hanLatin().transliterate(unicode);
    }
    std::string out;
    unicode.toUTF8String(out);
    return out;
  };
  // The whole text first: ICU's data reads some words as words (重庆 chóng qìng, where 重 alone
  // is zhòng). Han-Latin separates the syllables of Han characters by spaces.
  std::vector<std::string> syllables;
  std::istringstream words(read(text));
  std::string word;
  while (words >> word) syllables.push_back(word);
  if (syllables.size() == each.size()) return syllables;
  // Otherwise character by character, keeping what ICU cannot read as it is.
  syllables.clear();
  for (const auto& character : each) {
    std::istringstream one(read(character));
    std::string syllable;
    one >> syllable;
    syllables.push_back(syllable.empty() ? character : syllable);
  }
  return syllables;
}

bool isPinyinSyllable(const std::string& syllable) {
  if (syllable.empty() || syllable.size() > 24) return false;
  for (const auto& character : characters(syllable)) {
    if (character.size() == 1 && character[0] >= 'a' && character[0] <= 'z') continue;
    bool vowel = false;
    for (const auto& tone : kToneVowels) vowel = vowel || character == tone.marked;
    if (!vowel) return false;
  }
  return true;
}

std::optional<std::vector<std::string>> parseSyllables(const std::string& typed) {
  std::vector<std::string> syllables;
  std::istringstream words(typed);
  std::string word;
  while (words >> word) {
    std::string lowered;
    for (const auto& character : characters(word)) {
      if (character.size() == 1 && character[0] >= 'A' && character[0] <= 'Z')
        lowered += static_cast<char>(character[0] - 'A' + 'a');
      else if (character == "v" || character == "V")
        lowered += "ü";
      else
        lowered += character;
    }
    if (!isPinyinSyllable(lowered) && !isArabicNumber(lowered)) return std::nullopt;
    syllables.push_back(lowered);
  }
  if (syllables.empty()) return std::nullopt;
  return syllables;
}

std::string toneless(const std::string& syllable) {
  std::string out;
  for (const auto& character : characters(syllable)) {
    std::string plain = character;
    for (const auto& vowel : kToneVowels)
      if (character == vowel.marked) plain = vowel.plain;
    out += plain;
  }
  return out;
}

bool isArabicNumber(const std::string& token) {
  if (token.empty() || token.size() > 9) return false;
  for (char c : token)
    if (c < '0' || c > '9') return false;
  return true;
}

namespace {

/// The value of a Chinese numeral from 一 to 九十九 (一, 十, 十五, 二十, 二十三); nullopt for
/// anything else (五一 is a date, not a number: 五一路 stays Wuyi Lu).
std::optional<int> chineseNumeral(const std::vector<std::string>& characters) {
  static const std::vector<std::string> kDigits = {"一", "二", "三", "四", "五",
                                                   "六", "七", "八", "九"};
  const auto digit = [&](const std::string& character) -> std::optional<int> {
    for (std::size_t i = 0; i < kDigits.size(); ++i)
      if (character == kDigits[i]) return static_cast<int>(i) + 1;
    return std::nullopt;
  };
  const auto n = characters.size();
  if (n == 1) return characters[0] == "十" ? std::optional<int>(10) : digit(characters[0]);
  if (n == 2 && characters[0] == "十" && digit(characters[1])) return 10 + *digit(characters[1]);
  if (n == 2 && characters[1] == "十" && digit(characters[0])) return 10 * *digit(characters[0]);
  if (n == 3 && characters[1] == "十" && digit(characters[0]) && digit(characters[2]))
    return 10 * *digit(characters[0]) + *digit(characters[2]);
  return std::nullopt;
}

bool isNumeralCharacter(const std::string& character) {
  static const std::string kNumerals = "一二三四五六七八九十";
  return character.size() == 3 && kNumerals.find(character) != std::string::npos &&
         kNumerals.find(character) % 3 == 0;
}

}  // namespace

std::vector<std::string> writtenSyllables(const std::string& text,
                                          std::vector<std::string> syllables, bool street_ordinal) {
  auto each = characters(text);
  if (each.size() != syllables.size()) return syllables;
  if (street_ordinal) {
    std::size_t start = each.size();
    while (start > 0 && isNumeralCharacter(each[start - 1])) --start;
    const std::vector<std::string> run(each.begin() + static_cast<std::ptrdiff_t>(start),
                                       each.end());
    if (const auto value = run.empty() ? std::nullopt : chineseNumeral(run)) {
      each.resize(start + 1);
      syllables.resize(start + 1);
      each[start] = "#";  // a number now, not a character 儿 could follow
      syllables[start] = std::to_string(*value);
    }
  }
  std::vector<std::string> written;
  for (std::size_t i = 0; i < each.size(); ++i) {
    if (each[i] == "儿" && !written.empty() && !isArabicNumber(written.back()) &&
        toneless(syllables[i]) == "er") {
      written.back() += "r";
      continue;
    }
    written.push_back(syllables[i]);
  }
  return written;
}

std::string joinWord(const std::vector<std::string>& syllables) {
  std::string word;
  for (std::size_t i = 0; i < syllables.size(); ++i) {
    const std::string start = toneless(syllables[i]).substr(0, 1);
    if (i > 0 && (start == "a" || start == "o" || start == "e")) word += "'";
    word += syllables[i];
  }
  return upperFirst(word);
}

Romanised romanise(const std::vector<std::string>& specific,
                   const std::vector<std::string>& generic, bool one_word) {
  std::vector<std::vector<std::string>> words;
  if (one_word) {
    std::vector<std::string> all = specific;
    all.insert(all.end(), generic.begin(), generic.end());
    words.push_back(all);
  } else {
    words.push_back(specific);
    if (!generic.empty()) words.push_back(generic);
  }
  // A number in Arabic digits is a word of its own; digits in a row make one number.
  std::vector<std::vector<std::string>> split;
  for (const auto& word : words) {
    bool number = false;
    for (const auto& token : word) {
      const bool digits = isArabicNumber(token);
      if (split.empty() || digits != number || (&token == &word.front()))
        split.push_back({token});
      else if (digits)
        split.back().back() += token;
      else
        split.back().push_back(token);
      number = digits;
    }
  }
  Romanised out;
  for (const auto& syllables : split) {
    std::vector<std::string> plain;
    for (const auto& syllable : syllables) plain.push_back(toneless(syllable));
    const std::string sep = out.with_tones.empty() ? "" : " ";
    out.with_tones += sep + joinWord(syllables);
    out.plain += sep + joinWord(plain);
    out.sign += sep + upperAll(joinWord(plain));
    for (const auto& syllable : plain) out.key += syllable;
  }
  return out;
}

std::vector<char32_t> codePoints(const std::string& text) {
  std::vector<char32_t> out;
  for (std::size_t at = 0; at < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (at + length > text.size()) break;
    char32_t point = length == 1   ? lead
                     : length == 2 ? lead & 0x1F
                     : length == 3 ? lead & 0x0F
                                   : lead & 0x07;
    for (std::size_t i = 1; i < length; ++i)
      point = (point << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3F);
    out.push_back(point);
    at += length;
  }
  return out;
}

std::size_t characterCount(const std::string& text) { return codePoints(text).size(); }

}  // namespace civ::plugins::place_names
