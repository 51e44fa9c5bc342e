#include "util/parallel.h"

#include <vector>

#include <catch2/catch.hpp>

using rs::parallel_for;

TEST_CASE("parallel_for calls the work once for every item", "[parallel]") {
  std::vector<int> calls(1001, 0);
  parallel_for(static_cast<int64_t>(calls.size()), [&](int64_t i) { calls[i] += 1; });
  CHECK(calls == std::vector<int>(1001, 1));
  int none = 0;
  parallel_for(0, [&](int64_t) { ++none; });
  CHECK(none == 0);
}
