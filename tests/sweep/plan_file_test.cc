#include "sweep/plan_file.h"

#include <fstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "entry_line.h"
#include "temp_dir.h"
#include "util/error.h"

namespace rs::sweep {
namespace {

using rs::testing::TempDir;

using testing::entry_line;

TEST_CASE("plan entry: reads line N and checks it") {
  TempDir dir;
  const std::string plan = dir.path() + "/plan.jsonl";
  std::ofstream(plan) << entry_line(0) << "\n" << entry_line(1) << "\n" << entry_line(2) << "\n";

  PlanEntry entry = read_plan_entry(plan, 2);
  CHECK(entry.index == 2);
  CHECK(entry.run_id == "0000000000000002");
  CHECK(entry.group_id == "00000000000000ff");
  CHECK(entry.sweep == "s");
  CHECK(entry.params == nlohmann::json{{"dataset", "digits"}});
  CHECK(read_plan_entry(plan, 0).index == 0);

  CHECK_THROWS_WITH(read_plan_entry(plan, 3), Catch::Contains("no line 3"));
  CHECK_THROWS_AS(read_plan_entry(dir.path() + "/missing.jsonl", 0), InputError);
}

TEST_CASE("plan entry: wrong index, bad ids and broken JSON are input errors") {
  TempDir dir;
  const std::string plan = dir.path() + "/plan.jsonl";
  std::ofstream(plan)
      << entry_line(1) << "\n"
      << R"({"index": 1, "run_id": "XYZ", "group_id": "00000000000000ff", "sweep": "s", "params": {}})"
      << "\n{\"index\": 2,\n";
  CHECK_THROWS_WITH(read_plan_entry(plan, 0), Catch::Contains("holds index 1, expected 0"));
  CHECK_THROWS_WITH(read_plan_entry(plan, 1), Catch::Contains("16 lowercase hex"));
  CHECK_THROWS_WITH(read_plan_entry(plan, 2), Catch::Contains("not JSON"));
}

TEST_CASE("plan entry: lines across block boundaries, far into a big plan") {
  TempDir dir;
  const std::string plan = dir.path() + "/plan.jsonl";
  const int64_t lines = 300000;  // about 30 MB: many 1 MiB blocks
  {
    std::ofstream out(plan);
    out << entry_line(0, fmt::format(R"({{"long": "{}"}})", std::string(3 << 20, 'x'))) << "\n";
    for (int64_t i = 1; i < lines; ++i) out << entry_line(i) << "\n";
  }
  CHECK(read_plan_entry(plan, 0).params["long"].get<std::string>().size() == (3u << 20));

  CHECK(read_plan_entry(plan, lines - 1).index == lines - 1);
  CHECK(read_plan_ids(plan).runs.size() == static_cast<size_t>(lines));
}

}  // namespace
}  // namespace rs::sweep
