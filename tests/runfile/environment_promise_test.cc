#include "runfile/environment_promise.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "util/error.h"
#include "util/files.h"

using rs::runfile::broken_promises;
using rs::runfile::environment_name;
using rs::runfile::read_environment_promises;

TEST_CASE("a run that saw another torch or thread count than its environment promised is named") {
  rs::testing::TempDir dir;
  CHECK(read_environment_promises(dir.path()).empty());  // no sweep.json: nothing promised
  rs::write_file_atomic(dir.path() + "/sweep.json", R"({"name": "s", "environments": [
      {"name": "debian", "threads": 2, "expect": {"torch_version": "1.13.0"}},
      {"name": "wheel", "threads": 0, "expect": {}}]})");
  const auto promises = read_environment_promises(dir.path());
  REQUIRE(promises.size() == 2);

  rs::runfile::RunRecord record;
  record.params_json = R"({"environment": "debian", "seed": 0})";
  record.env.torch_version = "1.13.0";
  record.settings = {{"cpu_threads", "2"}};
  CHECK(environment_name(record) == "debian");
  CHECK(broken_promises(promises, record).empty());
  record.env.torch_version = "2.11.0";
  record.settings = {{"cpu_threads", "1"}};
  CHECK(broken_promises(promises, record) ==
        std::vector<std::string>{"torch_version: expected 1.13.0, the run saw 2.11.0",
                                 "threads: expected 2, the run used 1 (/settings cpu_threads)"});
  record.params_json = R"({"environment": "wheel"})";  // promised nothing
  CHECK(broken_promises(promises, record).empty());
  record.params_json = R"({"seed": 0})";  // a run of no environment
  CHECK(broken_promises(promises, record).empty());

  rs::write_file_atomic(dir.path() + "/sweep.json", R"({"environments": [{"threads": 1}]})");
  CHECK_THROWS_AS(read_environment_promises(dir.path()), rs::InputError);
}
