// civ-bench-gen: a synthetic county, deterministic from a seed and a size, written in the
// social_assistance import layout (docs/import-layout.md) so it loads through the module's own
// import, or directly with sqlite3 .import / COPY for the reference figures.
//
//   civ-bench-gen --persons 100000 [--seed 1] [--county 610902] > households.csv
//   civ-bench-gen --households 1000 ...
//
// Realistic shapes, not real people: household sizes 1-5 (30/25/25/12/8%), 35% urban, ages
// by role, 6% of members disabled (grades 1-4), 8% seriously ill, incomes low enough that most
// households qualify for 低保. Citizen IDs are valid (GB 11643) in the county's region code.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/date.h>

namespace {

/// Uniform integers from the raw engine (std distributions differ between libraries).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  int between(int low, int high) {  // inclusive
    return low + static_cast<int>(engine_() % static_cast<std::uint64_t>(high - low + 1));
  }
  bool percent(int p) { return between(1, 100) <= p; }

 private:
  std::mt19937_64 engine_;
};

struct Options {
  long long persons = 0;
  long long households = 0;
  std::uint64_t seed = 1;
  std::string county = "610902";
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--persons")
      options.persons = std::atoll(argv[i + 1]);
    else if (flag == "--households")
      options.households = std::atoll(argv[i + 1]);
    else if (flag == "--seed")
      options.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--county")
      options.county = argv[i + 1];
  }
  if (options.persons <= 0 && options.households <= 0) {
    std::fprintf(stderr,
                 "usage: civ-bench-gen (--persons N | --households N) [--seed S] [--county C]\n");
    std::exit(2);
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  Random random(options.seed);
  std::map<std::string, int> next_sequence;  // birth date -> next sequence number
  const auto citizenId = [&](int year, int month, int day) {
    char birth[9];
    std::snprintf(birth, sizeof birth, "%04d%02d%02d", year, month, day);
    int& sequence = next_sequence[birth];
    char first17[18];
    std::snprintf(first17, sizeof first17, "%s%s%03d", options.county.c_str(), birth,
                  sequence++ % 1000);
    return std::string(first17) + civ::sdk::CitizenId::checkCharacter(first17);
  };
  const char* townships[] = {"江北街道", "老城街道", "新城街道", "关庙镇", "五里镇", "恒口镇"};
  const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
  const char* given[] = {"建国", "秀英", "桂兰", "志强", "丽娟", "小明", "文华", "海燕"};

  std::printf(
      "household_ref,category,township,village,hukou_address,residence_address,income_stability,"
      "bank_name,bank_account,citizen_id,name,relationship,lives_together,inclusion_reason,"
      "work_capacity,disability_grade,disability_type,serious_illness,student,"
      "needs_long_term_care,income_category,income_amount,income_period_from,income_period_to\n");
  long long persons = 0, households = 0;
  while ((options.persons > 0 && persons < options.persons) ||
         (options.households > 0 && households < options.households)) {
    ++households;
    const int roll = random.between(1, 100);
    const int size = roll <= 30 ? 1 : roll <= 55 ? 2 : roll <= 80 ? 3 : roll <= 92 ? 4 : 5;
    const bool urban = random.percent(35);
    const int township = urban ? random.between(0, 2) : random.between(3, 5);
    const int village = random.between(1, 40);
    // Monthly per-capita income 0-600 yuan; six months counted on the applicant's row.
    const long long income_fen = static_cast<long long>(random.between(0, 60000)) * size * 6;
    const bool unstable = random.percent(30);
    const int hukou_number = random.between(1, 300);
    const int residence_number = random.percent(80) ? hukou_number : random.between(1, 300);
    for (int m = 0; m < size; ++m) {
      const char* relationship = m == 0 ? "applicant" : m == 1 ? "spouse" : "child";
      const int age = m == 0   ? random.between(25, 88)
                      : m == 1 ? random.between(25, 85)
                               : random.between(0, 24);
      const std::string id =
          citizenId(2026 - age - 1, random.between(1, 12), random.between(1, 28));
      const bool disabled = random.percent(6);
      const int grade = disabled ? random.between(1, 4) : 0;
      std::printf(
          "B%lld,%s,%s,%s第%d村,%s第%d村%d号,%s第%d村%d号,%s,汉滨农商银行,62301%011lld,%s,"
          "%s%s,%s,是,共同生活,%s,",
          households, urban ? "urban" : "rural", townships[township], townships[township], village,
          townships[township], village, hukou_number, townships[township], village,
          residence_number, unstable ? "unstable" : "stable", households, id.c_str(),
          surnames[random.between(0, 9)], given[random.between(0, 7)], relationship,
          age >= 60 || age < 16 || grade == 1 ? "none" : "full");
      if (disabled)
        std::printf("%d,%s,", grade, random.percent(50) ? "physical" : "intellectual");
      else
        std::printf(",,");
      std::printf("%s,%s,%s,", random.percent(8) ? "是" : "否",
                  (age >= 16 && age <= 22 && m >= 2) ? "是" : "否",
                  grade != 0 && grade <= 2 ? "是" : "否");
      if (m == 0)
        std::printf("wages,%lld.%02lld,2025-09-01,2026-02-28\n", income_fen / 100,
                    income_fen % 100);
      else
        std::printf(",,,\n");
      ++persons;
    }
  }
  std::fprintf(stderr, "civ-bench-gen: %lld households, %lld persons (seed %llu)\n", households,
               persons, static_cast<unsigned long long>(options.seed));
  return 0;
}
