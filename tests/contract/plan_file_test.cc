#include "contract/plan_file.h"

#include <fstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "contract/plan_index.h"
#include "entry_line.h"
#include "temp_dir.h"
#include "util/error.h"

namespace rs::contract {
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

TEST_CASE("plan file: the writer's lines are canonical JSON, in index order, and read back") {
  TempDir dir;
  const std::string plan = dir.path() + "/plan.jsonl";
  const int64_t runs = 2 * 131072 + 5;  // more than two of the writer's batches of lines
  const std::string sweep_json = nlohmann::json("a \"quoted\" name").dump();
  write_plan_file(plan, plan_index_path(plan), runs, [&](std::string& out, int64_t i) {
    const std::string run_id = fmt::format("{:016x}", i);
    append_plan_line(out, {i, run_id, "00000000000000ff", sweep_json}, [&](std::string& params) {
      params += fmt::format(R"({{"dataset":"digits","replica":{}}})", i);
    });
  });

  std::ifstream in(plan);
  std::string line;
  int64_t lines = 0, not_canonical = 0, out_of_order = 0, not_indexed = 0;
  for (; std::getline(in, line); ++lines) {
    const nlohmann::json parsed = nlohmann::json::parse(line);
    not_canonical += parsed.dump() != line;
    out_of_order += parsed["index"] != lines || parsed["params"]["replica"] != lines;
    // The index the writer wrote alongside leads to every line, across blocks and batches.
    not_indexed += read_indexed_line(plan, lines) != line;
  }
  CHECK(lines == runs);
  CHECK(not_canonical == 0);
  CHECK(out_of_order == 0);
  CHECK(not_indexed == 0);
  CHECK_FALSE(read_indexed_line(plan, runs).has_value());

  const PlanEntry last = read_plan_entry(plan, runs - 1);
  CHECK(last.run_id == fmt::format("{:016x}", runs - 1));
  CHECK(last.group_id == "00000000000000ff");
  CHECK(last.sweep == "a \"quoted\" name");
  CHECK(last.params == nlohmann::json{{"dataset", "digits"}, {"replica", runs - 1}});
  const PlanIds ids = read_plan_ids(plan);
  CHECK(ids.sweep == "a \"quoted\" name");
  REQUIRE(ids.runs.size() == static_cast<size_t>(runs));
  CHECK(ids.runs[131072].run_id == fmt::format("{:016x}", 131072));
}

}  // namespace
}  // namespace rs::contract
