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

Romanised written(const std::string& specific, const std::string& generic, bool street) {
  return romanise(writtenSyllables(specific, hanSyllables(specific), street),
                  writtenSyllables(generic, hanSyllables(generic), false), false);
}

TEST(Romanisation, ErIsWrittenRAfterAnotherCharacter) {
  // 1984 rules: 儿 written as r (盆儿胡同 Penr Hutong); at the start of a word it is a syllable.
  EXPECT_EQ(written("盆儿", "胡同", false).plain, "Penr Hutong");
  EXPECT_EQ(written("盆儿", "胡同", false).with_tones, "Pénr Hútóng");
  EXPECT_EQ(written("盆儿", "胡同", false).sign, "PENR HUTONG");
  EXPECT_EQ(written("盆儿", "胡同", false).key, "penrhutong");
  EXPECT_EQ(written("儿童", "公园", false).plain, "Ertong Gongyuan");
  // 洱 reads er too but is not 儿化.
  EXPECT_EQ(written("洱", "海", false).plain, "Er Hai");
}

TEST(Romanisation, StreetOrdinalsAreWrittenInArabicDigits) {
  EXPECT_EQ(written("经五", "路", true).plain, "Jing 5 Lu");
  EXPECT_EQ(written("经五", "路", true).sign, "JING 5 LU");
  EXPECT_EQ(written("经五", "路", true).with_tones, "Jīng 5 Lù");
  EXPECT_EQ(written("二", "马路", true).plain, "2 Malu");
  EXPECT_EQ(written("纬十二", "路", true).plain, "Wei 12 Lu");
  EXPECT_EQ(written("中山二十", "街", true).plain, "Zhongshan 20 Jie");
  // Not an ordinal: 五一 is a date; a numeral inside the name; a name that is not a street.
  EXPECT_EQ(written("五一", "路", true).plain, "Wuyi Lu");
  EXPECT_EQ(written("三眼井", "胡同", true).plain, "Sanyanjing Hutong");
  EXPECT_EQ(written("五指", "山", false).plain, "Wuzhi Shan");
  // Digits in the name itself, or typed in a correction, are one word too.
  EXPECT_EQ(written("经12", "路", true).plain, "Jing 12 Lu");
  ASSERT_TRUE(parseSyllables("dōng sì 10"));
  EXPECT_EQ(romanise(*parseSyllables("dōng sì 10"), hanSyllables("条"), false).plain,
            "Dongsi 10 Tiao");
  EXPECT_TRUE(isArabicNumber("10"));
  EXPECT_FALSE(isArabicNumber("1o"));
}

TEST(Romanisation, CharacterCountsCodePoints) {
  EXPECT_EQ(characterCount("长安"), 2u);
  EXPECT_EQ(characterCount("𣵦沽"), 2u);
  EXPECT_EQ(characterCount("3号路"), 3u);
}

}  // namespace
}  // namespace civ::plugins::place_names
