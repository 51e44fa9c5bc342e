// How many processes train a run and where: `world_size` ranks (a GPU each) on `nodes` nodes
// (docs/trainer.md, "Distributed runs").
//
// These two are a run's placement rather than what it trains, and two parts read them apart
// from the rest of the params schema (params.h): the planner, which makes them array-level
// resources (one array per world size, --ntasks and --nodes), and the trainer's start-up,
// which joins the other ranks. Like every parameter they stay out of a run's params unless a grid sets them.
// Plain C++, like params.h.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

namespace rs::contract {

struct RanksConfig {
  int64_t world_size = 1;  // >= 1
  int64_t nodes = 1;       // 1 .. world_size
};

// From a run's params (the other keys are parse_train_config()'s). Throws rs::InputError("<key>:
// expected ..., got ...") on a bad value.
RanksConfig parse_ranks_config(const nlohmann::json& params);

}  // namespace rs::contract
