// Conventions every module's schema keeps, checked on the demo modules after their migrations.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "host/storage/database.h"
#include "tests/support/in_process_host.h"

namespace civ::host {
namespace {

// A column that points at another row without an index makes every lookup by it, and every
// change to the row it points at, scan the table: creating an application once scanned every
// application of the county to find the household's open one (bench/RESULTS.md).
TEST(SchemaConventions, EveryColumnThatPointsAtAnotherRowLeadsAnIndex) {
  Config config;
  config.counties.push_back({"610902",
                             {"汉滨区", "Hanbin"},
                             {"example", "marriage", "social_assistance", "funeral"},
                             {},
                             "610902.yaml"});
  testing::InProcessHost host(config, {"example", "marriage", "social_assistance", "funeral"});
  PooledSession lease(*host.services().database);
  soci::rowset<std::string> unindexed =
      (lease.session().prepare
       << "SELECT m.name || '.' || f.\"from\" || ' -> ' || f.\"table\""
          " FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f"
          " WHERE m.type = 'table'"
          " AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) l"
          "   JOIN pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = f.\"from\")"
          " AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) c"
          "   WHERE c.pk = 1 AND c.name = f.\"from\")"
          " ORDER BY 1");
  const std::vector<std::string> found(unindexed.begin(), unindexed.end());
  std::size_t foreign_keys = 0;
  lease.session() << "SELECT COUNT(*) FROM sqlite_master m JOIN pragma_foreign_key_list(m.name)"
                     " WHERE m.type = 'table'",
      soci::into(foreign_keys);
  EXPECT_GT(foreign_keys, 40u);  // the check saw the modules' tables
  EXPECT_EQ(found, std::vector<std::string>{}) << "add a migration with CREATE INDEX for each";
}

}  // namespace
}  // namespace civ::host
