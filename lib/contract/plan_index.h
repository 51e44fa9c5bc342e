// The plan index, `<plan>.idx` (DIR/plan.jsonl.idx): where each line of plan.jsonl starts, so
// that a task reads its own line without reading the plan from the start (docs/trainer.md).
//
//   bytes 0-7    "RSPIDX01"
//   bytes 8-15   the size of plan.jsonl in bytes (uint64, little-endian)
//   then         one uint64 (little-endian) per line: the byte offset where line N starts
//
// Line N is the bytes from offset N up to the newline before offset N + 1 (or the end of the
// plan). Written with the plan by write_plan_file() (plan_file.h); a plan without an index
// (planned before there were any), or whose size is not the one its index records, is scanned
// instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rs::contract {

// `<plan_path>.idx`.
std::string plan_index_path(const std::string& plan_path);

// Writes the index of a plan of `plan_size` bytes whose lines start at `line_offsets` to
// `path` (fsynced; the caller renames it into place): write_plan_file() calls it with the
// offsets it recorded. Throws std::runtime_error.
void write_plan_index(const std::string& path, const std::vector<uint64_t>& line_offsets, uint64_t plan_size);

// Line `index` (0-based, without its newline) of the plan at `plan_path`, found through its
// index with three small reads; nullopt when there is no index, it does not belong to this plan
// (another size) or has no such line. The caller still checks that the line is line `index`.
std::optional<std::string> read_indexed_line(const std::string& plan_path, int64_t index);

}  // namespace rs::contract
