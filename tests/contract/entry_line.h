// A plan.jsonl line for index N in the form `sweep plan` writes, for the plan file's tests.
#pragma once

#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace rs::contract::testing {

inline std::string entry_line(int64_t index, const std::string& params = R"({"dataset": "digits"})") {
  return fmt::format(R"({{"index": {}, "run_id": "{:016x}", "group_id": "00000000000000ff", )"
                     R"("sweep": "s", "params": {}}})",
                     index, index, params);
}

}  // namespace rs::contract::testing
