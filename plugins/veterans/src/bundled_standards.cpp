// The bundled national table, compiled in from data/national_standards.csv (CMake writes
// bundled_standards_csv.inc from it), so the migration loads it wherever the plugin is installed.
#include "national_table.h"

namespace civ::plugins::veterans {

const char* bundledStandardsCsv() {
  return
#include "bundled_standards_csv.inc"
      ;
}

}  // namespace civ::plugins::veterans
