// Program coverage: "which assistance programs covered this person on this date?" A question
// any module may ask (funeral fee exemptions, medical-assistance lists), answered by the
// modules that run the programs (social_assistance answers dibao, tekun, ...). The asker never
// links against the answerer: both only see this interface.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>

namespace soci {
class session;
}

namespace civ::sdk {

/// One program that covered the person on the date asked about.
struct ProgramCoverage {
  std::string program;        ///< "dibao", "dibao_edge", "tekun", "disability_living", ...
  std::string module;         ///< the plugin that answered
  std::string reference;      ///< its case number, for the asker's record
  Date from;                  ///< first day covered
  std::optional<Date> until;  ///< last day covered; nullopt while open
};

/// The answer to one question. `answered_programs` lists every program some module enabled for
/// the county answers for: a program in it and not in `covered` means "not covered"; a program
/// not in it means "nobody here can say" (the module is disabled in this county), and the asker
/// must fall back to evidence it records itself.
struct CIV_SDK_API CoverageAnswer {
  std::vector<ProgramCoverage> covered;
  std::vector<std::string> answered_programs;

  bool answers(std::string_view program) const;
  const ProgramCoverage* find(std::string_view program) const;
};

/// Answers for the programs a module runs. Called in the asker's transaction (`db`), on the
/// asker's thread; must only read.
using CoverageProvider = std::function<std::vector<ProgramCoverage>(
    soci::session& db, std::string_view county, std::int64_t person_id, Date on)>;

/// Host-implemented; a plugin gets it from Context::coverage().
class CIV_SDK_API CoverageDirectory {
 public:
  virtual ~CoverageDirectory();
  /// Declares that this plugin answers for `programs`. Call from start().
  virtual void provide(std::vector<std::string> programs, CoverageProvider provider) = 0;
  /// Asks every module enabled for `county` that provides an answer.
  virtual CoverageAnswer coverageOn(soci::session& db, std::string_view county,
                                    std::int64_t person_id, Date on) const = 0;
};

}  // namespace civ::sdk
