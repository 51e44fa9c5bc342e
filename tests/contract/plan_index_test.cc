#include "contract/plan_index.h"

#include <fstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "contract/plan_file.h"
#include "entry_line.h"
#include "temp_dir.h"
#include "util/files.h"

namespace rs::contract {
namespace {

using rs::testing::TempDir;

using testing::entry_line;

// A plan of `lines` entries of unequal length, with its index; returns the plan's size.
uint64_t write_indexed_plan(const std::string& plan, int64_t lines) {
  std::string text;
  std::vector<uint64_t> offsets;
  for (int64_t i = 0; i < lines; ++i) {
    offsets.push_back(text.size());
    text += entry_line(i, fmt::format(R"({{"pad": "{}"}})", std::string(static_cast<size_t>(i % 7), 'x'))) + "\n";
  }
  std::ofstream(plan) << text;
  write_plan_index(plan_index_path(plan), offsets, text.size());
  return text.size();
}

TEST_CASE("plan index: each line in a few reads, the first and the last too") {
  TempDir dir;
  const std::string plan = dir.path() + "/plan.jsonl";
  write_indexed_plan(plan, 50);
  REQUIRE(plan_index_path(plan) == plan + ".idx");
  for (int64_t i : {0, 1, 17, 48, 49}) {
    INFO(i);
    REQUIRE(read_indexed_line(plan, i) == entry_line(i, fmt::format(R"({{"pad": "{}"}})", std::string(i % 7, 'x'))));
  }
  CHECK_FALSE(read_indexed_line(plan, 50).has_value());
  CHECK_FALSE(read_indexed_line(plan, -1).has_value());
  CHECK(read_plan_entry(plan, 49).run_id == fmt::format("{:016x}", 49));
}

TEST_CASE("plan index: one that is not this plan's is not used, and the plan is scanned instead") {
  TempDir dir;
  const std::string plan = dir.path() + "/plan.jsonl";
  const uint64_t size = write_indexed_plan(plan, 20);
  // Another plan of another size: the index's recorded size does not match.
  std::ofstream(plan, std::ios::app) << entry_line(20) << "\n";
  CHECK_FALSE(read_indexed_line(plan, 3).has_value());
  CHECK(read_plan_entry(plan, 20).index == 20);
  // The same size but other lines (offsets that point into the middle of lines): the entry the
  // index leads to does not parse as line N, and the scan finds it.
  std::string text = read_file(plan).substr(0, size);
  std::ofstream(plan, std::ios::trunc) << text;
  std::vector<uint64_t> wrong(20);
  for (size_t i = 0; i < wrong.size(); ++i) wrong[i] = 5 * i + 3;
  write_plan_index(plan_index_path(plan), wrong, size);
  REQUIRE(read_indexed_line(plan, 7).has_value());
  CHECK(read_plan_entry(plan, 7).index == 7);
  // No index at all: scanned, as before plans had one.
  std::remove(plan_index_path(plan).c_str());
  CHECK_FALSE(read_indexed_line(plan, 7).has_value());
  CHECK(read_plan_entry(plan, 19).index == 19);
}

}  // namespace
}  // namespace rs::contract
