// Romanisation of real names: ICU's readings, corrections of polyphonic characters, the national
// spelling rules (specific and generic apart, capitals, apostrophes, the sign form).
#include "../src/romanisation.h"

#include <gtest/gtest.h>

namespace civ::plugins::place_names {
namespace {

Romanised of(const std::string& specific, const std::string& generic, bool one_word = false) {
  return romanise(hanSyllables(specific), hanSyllables(generic), one_word);
}

TEST(Romanisation, IcuReadsEachCharacterWithItsTone) {
  EXPECT_EQ(hanSyllables("西安"), (std::vector<std::string>{"xī", "ān"}));
  EXPECT_EQ(hanSyllables("关庙镇"), (std::vector<std::string>{"guān", "miào", "zhèn"}));
}

TEST(Romanisation, ApostropheBeforeAOESyllablesThatDoNotStartTheWord) {
  EXPECT_EQ(of("西安", "").plain, "Xi'an");
  EXPECT_EQ(of("西安", "").with_tones, "Xī'ān");
  EXPECT_EQ(of("西安", "").sign, "XI'AN");
  EXPECT_EQ(of("延安", "").plain, "Yan'an");
  EXPECT_EQ(of("天安门", "").plain, "Tian'anmen");
  // 东阿: ICU reads 阿 ā; the county reads ē, corrected per name.
  EXPECT_EQ(of("东阿", "县").plain, "Dong'a Xian");
  EXPECT_EQ(romanise(*parseSyllables("dong e"), hanSyllables("县"), false).plain, "Dong'e Xian");
  // No apostrophe at the start of a word: 安康 Ankang, 鄂州 Ezhou.
  EXPECT_EQ(of("安康", "市").plain, "Ankang Shi");
}

TEST(Romanisation, SpecificAndGenericWrittenApartEachCapitalised) {
  EXPECT_EQ(of("关庙", "镇").plain, "Guanmiao Zhen");
  EXPECT_EQ(of("江北", "街道").plain, "Jiangbei Jiedao");
  EXPECT_EQ(of("江北", "街道").sign, "JIANGBEI JIEDAO");
  EXPECT_EQ(of("汉滨", "区").with_tones, "Hànbīn Qū");
  EXPECT_EQ(of("鲤城", "区").plain, "Licheng Qu");
  EXPECT_EQ(of("太行", "山").key, of("太行", "山").key);
}

TEST(Romanisation, NaturalVillageNamesAreOneWord) {
  EXPECT_EQ(of("王", "庄", true).plain, "Wangzhuang");
  EXPECT_EQ(of("王", "庄", false).plain, "Wang Zhuang");
}

TEST(Romanisation, UmlautStaysInTextAndSigns) {
  EXPECT_EQ(of("吕梁", "市").plain, "Lüliang Shi");
  EXPECT_EQ(of("吕梁", "市").sign, "LÜLIANG SHI");
}

TEST(Romanisation, PolyphonicCharactersAreCorrectedPerName) {
  // ICU reads 长 as zhǎng and 厦 as shà; the place names read cháng and xià.
  EXPECT_EQ(of("长安", "区").plain, "Zhang'an Qu");
  const auto corrected = parseSyllables("cháng ān");
  ASSERT_TRUE(corrected);
  EXPECT_EQ(romanise(*corrected, hanSyllables("区"), false).plain, "Chang'an Qu");
  EXPECT_EQ(romanise(*corrected, hanSyllables("区"), false).with_tones, "Cháng'ān Qū");
  EXPECT_EQ(romanise(*parseSyllables("Xia men"), {}, false).plain, "Xiamen");
  EXPECT_EQ(romanise(*parseSyllables("yue qing"), {}, false).plain, "Yueqing") << "乐清";
  EXPECT_EQ(romanise(*parseSyllables("lu an"), {}, false).plain, "Lu'an") << "六安";
  // 重庆: ICU reads chóng already.
  EXPECT_EQ(of("重庆", "").plain, "Chongqing");
  // "v" types ü.
  EXPECT_EQ(romanise(*parseSyllables("lv liang"), {}, false).plain, "Lüliang");
}

TEST(Romanisation, CorrectionsThatAreNotPinyinAreRefused) {
  EXPECT_FALSE(parseSyllables("chang-an"));
  EXPECT_FALSE(parseSyllables("长 an"));
  EXPECT_FALSE(parseSyllables("   "));
}

TEST(Romanisation, HomophoneKeyIsTonelessLettersOnly) {
  EXPECT_EQ(of("建设", "路").key, "jianshelu");
  EXPECT_EQ(of("健设", "路").key, "jianshelu");
  EXPECT_EQ(of("西安", "").key, "xian");
}

TEST(Romanisation, CharacterCountsCodePoints) {
  EXPECT_EQ(characterCount("长安"), 2u);
  EXPECT_EQ(characterCount("𣵦沽"), 2u);
  EXPECT_EQ(characterCount("3号路"), 3u);
}

}  // namespace
}  // namespace civ::plugins::place_names
