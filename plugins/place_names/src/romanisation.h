// 汉语拼音 for place names: ICU's Han-Latin transform gives each character a reading; the
// national spelling rules for place names (地名管理条例 §15; 中国地名汉语拼音字母拼写规则
// (汉语地名部分) 1984, rules.md §5.3) make the written form. Pure functions, no database.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace civ::plugins::place_names {

/// The syllables ICU's Han-Latin transform reads for `text`, one per Han character, with tone
/// marks ("西安" → {"xī", "ān"}). A character ICU cannot read (a rare character outside its
/// data) is kept as it is, so the caller can see which one it was.
std::vector<std::string> hanSyllables(const std::string& text);

/// Syllables typed as a correction for polyphonic characters: separated by spaces, each of
/// pinyin letters with or without tone marks ("cháng ān", "chang an"; "v" stands for "ü").
/// nullopt when a syllable holds anything else.
std::optional<std::vector<std::string>> parseSyllables(const std::string& typed);

/// Whether `syllable` is read as pinyin: lower-case letters a–z, ü and the tone-marked vowels.
bool isPinyinSyllable(const std::string& syllable);

/// Whether `token` is a number in Arabic digits ("5", "12"): a name may hold one, and street
/// ordinals are written so (1984 rules: 经五路 Jing 5 Lu). Such a token stands where a syllable
/// would and is written as a word of its own.
bool isArabicNumber(const std::string& token);

/// The syllable without its tone mark ("ǚ" → "ü", "ān" → "an").
std::string toneless(const std::string& syllable);

/// The syllables of `text` (one per character, as hanSyllables or a correction gives them) as
/// the 1984 rules write them: 儿 after another character joins the syllable before as "r"
/// (盆儿胡同 Penr Hutong); for a street (`street_ordinal`), the Chinese numeral ending `text`
/// (一 to 九十九) is written in Arabic digits (经五路 Jing 5 Lu, 二马路 2 Malu). Returns the
/// syllables unchanged when their number is not the number of characters.
std::vector<std::string> writtenSyllables(const std::string& text,
                                          std::vector<std::string> syllables, bool street_ordinal);

/// One word written from syllables: joined, an apostrophe before a syllable that starts with a,
/// o or e when it is not the word's first (Xi'an), the first letter capitalised.
std::string joinWord(const std::vector<std::string>& syllables);

/// The romanisation of a standard name in its three forms.
struct Romanised {
  std::string with_tones;  ///< "Xī'ān Shì": tone marks, as in gazetteers
  std::string plain;       ///< "Xi'an Shi": the form written in text
  std::string sign;        ///< "XI'AN SHI": upper case without tones, for signs
  std::string key;         ///< "xianshi": letters only, for the homophone check
};

/// Writes a name from the syllables of its specific part (专名) and generic part (通名): the two
/// written apart (太行 Shan), each joined into one word; `one_word` joins them (自然村镇 names,
/// e.g. 王庄 Wangzhuang). An empty generic writes the specific alone. A number in Arabic digits
/// is a word of its own (Jing 5 Lu); digits in a row are one number.
Romanised romanise(const std::vector<std::string>& specific,
                   const std::vector<std::string>& generic, bool one_word);

/// The number of characters (code points) of UTF-8 `text`.
std::size_t characterCount(const std::string& text);

/// The code points of UTF-8 `text` (malformed bytes are skipped).
std::vector<char32_t> codePoints(const std::string& text);

}  // namespace civ::plugins::place_names
