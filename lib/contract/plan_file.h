// plan.jsonl: the runs of a planned sweep, one line each, line N (0-based) holding run N
// (docs/sweep-folder.md), with its index plan.jsonl.idx (plan_index.h). `sweep plan` writes
// both; the trainer reads one line through the index, `sweep run`, `sweep submit`,
// `sweep preflight` and the collector read the ids of all of them.
//
//   {"group_id":"<16 hex>","index":N,"params":{...},"run_id":"<16 hex>","sweep":"<name>"}
//
// The writer writes the keys sorted and no spaces, as nlohmann's dump() does, so that a line is
// canonical JSON and its params are exactly the text the run id is the hash of
// (lib/grid/plan.h). The readers take any JSON object with these keys.
#pragma once

#include <charconv>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rs::contract {

// --- Writing ---

// What a line holds besides the params.
struct PlanLineIds {
  int64_t index = 0;
  std::string_view run_id, group_id;
  std::string_view sweep_json;  // the sweep's name as JSON text (quoted, escaped): made once
};

// Appends `value` in decimal, without a temporary string: the plan's lines are built in hot
// loops (lib/grid/plan.cc writes a run's params with it too).
inline void append_decimal(std::string& out, int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// Appends the line (no line end) to `out`. append_params(out) appends the run's params as
// canonical JSON text: written in place, because a million-run plan is written in seconds.
template <class AppendParams>
void append_plan_line(std::string& out, const PlanLineIds& ids, AppendParams&& append_params) {
  out += "{\"group_id\":\"";
  out += ids.group_id;
  out += "\",\"index\":";
  append_decimal(out, ids.index);
  out += ",\"params\":";
  append_params(out);
  out += ",\"run_id\":\"";
  out += ids.run_id;
  out += "\",\"sweep\":";
  out += ids.sweep_json;
  out += '}';
}

// Writes a plan of `runs` lines to `path` (created or truncated) and its index (plan_index.h),
// the offsets of its lines recorded as they are written, to `index_path`; fsyncs both.
// append_line(out, index) appends line `index` without its line end (append_plan_line); it is
// called from several threads at once, each with its own `out`. Lines are formatted in parallel,
// a bounded batch at a time, while another thread writes the batch before, in index order.
void write_plan_file(const std::string& path, const std::string& index_path, int64_t runs,
                     const std::function<void(std::string& out, int64_t index)>& append_line);

// --- Reading ---

struct PlanEntry {
  int64_t index = -1;
  std::string run_id, group_id, sweep;
  nlohmann::json params;  // parse_train_config() (params.h) checks it
};

// Reads line `index` of the plan at `path`: through the plan's index (plan_index.h), a few
// hundred bytes whatever the plan's size, or, without one, by scanning the file in large blocks
// for newlines. Throws rs::InputError when the file cannot be read or has no such line, when
// the line is not an entry as above, or when its "index" is not `index`.
PlanEntry read_plan_entry(const std::string& path, int64_t index);

// The entry that `text`, line `index` of the plan at `path`, holds; throws as above.
PlanEntry parse_plan_entry(const std::string& path, int64_t index, const std::string& text);

struct PlannedRun {
  int64_t index = 0;
  std::string run_id, group_id;
};

struct PlanIds {
  std::string sweep;             // the sweep's name ("" for an empty plan)
  std::vector<PlannedRun> runs;  // by index
};

// The ids of every run in the plan at `path`, without their params. Throws rs::InputError
// ("path:line: ...") on a line that is not an entry as above or out of order.
PlanIds read_plan_ids(const std::string& path);

}  // namespace rs::contract
