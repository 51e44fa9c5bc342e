#include <catch2/catch.hpp>

#include "contract/layout.h"

namespace rs::contract {
namespace {

TEST_CASE("layout: the ranks of one distributed run hold different locks, a second task the same ones") {
  CHECK(lock_path("d/runs", "00ab") == "d/runs/00ab.lock");
  CHECK(lock_path("d/runs", "00ab", 0) == lock_path("d/runs", "00ab"));
  CHECK(lock_path("d/runs", "00ab", 1) == "d/runs/00ab.rank1.lock");
  CHECK(lock_path("d/runs", "00ab", 1) != lock_path("d/runs", "00ab", 2));
}

}  // namespace
}  // namespace rs::contract
