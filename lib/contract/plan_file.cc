#include "contract/plan_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "contract/plan_index.h"
#include "util/error.h"
#include "util/files.h"
#include "util/parallel.h"

namespace rs::contract {
namespace {

constexpr size_t kBlockSize = 1 << 20;

const char* find_newline(const char* begin, const char* end) {
  return static_cast<const char*>(std::memchr(begin, '\n', static_cast<size_t>(end - begin)));
}

// Line `index` (0-based) of the file, without its line end.
std::string read_line(const std::string& path, int64_t index) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw InputError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));

  std::vector<char> block(kBlockSize);
  int64_t newlines_seen = 0;
  std::string line;
  size_t n = 0;
  while ((n = std::fread(block.data(), 1, block.size(), file.get())) > 0) {
    const char* p = block.data();
    const char* end = p + n;
    // Skip to the start of the wanted line.
    while (newlines_seen < index) {
      const char* newline = find_newline(p, end);
      if (newline == nullptr) {
        p = end;
        break;
      }
      ++newlines_seen;
      p = newline + 1;
    }
    if (newlines_seen < index) continue;
    const char* newline = find_newline(p, end);
    line.append(p, newline != nullptr ? newline : end);
    if (newline != nullptr) break;
  }
  if (std::ferror(file.get())) throw InputError(fmt::format("{}: read error", path));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (newlines_seen < index || line.empty())
    throw InputError(fmt::format("{}: no line {} (0-based): the plan has fewer runs", path, index));
  return line;
}

bool is_id(const nlohmann::json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  return s.size() == 16 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

void write_plan_file(const std::string& path, const std::string& index_path, int64_t runs,
                     const std::function<void(std::string& out, int64_t index)>& append_line) {
  // A million-run plan is ~350 MB. After each batch the kernel is asked to start writing it to
  // disk, so that the final fsync has little left to wait for.
  const int64_t kBlockRuns = 16384, kBatchBlocks = 8;
  OutputFile out(path);
  std::vector<std::string> formatting(kBatchBlocks), writing(kBatchBlocks);
  // Where each line starts within its block; the writing thread makes them offsets in the file.
  std::vector<std::vector<uint64_t>> formatting_starts(kBatchBlocks), writing_starts(kBatchBlocks);
  std::vector<uint64_t> line_offsets;
  line_offsets.reserve(static_cast<size_t>(std::max<int64_t>(runs, 0)));
  uint64_t size = 0;
  std::future<void> written;
  for (int64_t first = 0; first < runs; first += kBlockRuns * kBatchBlocks) {
    parallel_for(kBatchBlocks, [&](int64_t b) {
      formatting[b].clear();
      formatting_starts[b].clear();
      int64_t begin = std::min(runs, first + b * kBlockRuns), end = std::min(runs, begin + kBlockRuns);
      for (int64_t i = begin; i < end; ++i) {
        formatting_starts[b].push_back(formatting[b].size());
        append_line(formatting[b], i);
        formatting[b] += '\n';
      }
    });
    if (written.valid()) written.get();
    std::swap(formatting, writing);
    std::swap(formatting_starts, writing_starts);
    written = std::async(std::launch::async, [&] {
      for (size_t b = 0; b < writing.size(); ++b) {
        for (uint64_t start : writing_starts[b]) line_offsets.push_back(size + start);
        out.write(writing[b]);
        size += writing[b].size();
      }
      out.start_writeback();
    });
  }
  if (written.valid()) written.get();
  out.sync_and_close();
  write_plan_index(index_path, line_offsets, size);
}

PlanEntry read_plan_entry(const std::string& path, int64_t index) {
  // Through the plan's index when it has one that fits; a line that is not entry `index` after
  // all (an index left from another plan) sends it to the scan, which decides.
  if (const std::optional<std::string> indexed = read_indexed_line(path, index)) {
    try {
      return parse_plan_entry(path, index, *indexed);
    } catch (const InputError&) {
    }
  }
  return parse_plan_entry(path, index, read_line(path, index));
}

PlanEntry parse_plan_entry(const std::string& path, int64_t index, const std::string& text) {
  const std::string where = fmt::format("{} line {}", path, index);
  nlohmann::json line;
  try {
    line = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}: not JSON: {}", where, e.what()));
  }
  if (!line.is_object()) throw InputError(where + ": expected a JSON object");
  if (!line.contains("index") || !line["index"].is_number_integer())
    throw InputError(where + ": \"index\" missing or not an integer");
  if (!is_id(line.value("run_id", nlohmann::json())) || !is_id(line.value("group_id", nlohmann::json())))
    throw InputError(where + ": \"run_id\" and \"group_id\" must be 16 lowercase hex digits");
  if (!line.contains("sweep") || !line["sweep"].is_string())
    throw InputError(where + ": \"sweep\" missing");
  if (!line.contains("params") || !line["params"].is_object())
    throw InputError(where + ": \"params\" missing or not an object");

  PlanEntry entry;
  entry.index = line["index"].get<int64_t>();
  if (entry.index != index)
    throw InputError(fmt::format("{}: holds index {}, expected {}: the plan is out of order", where,
                                 entry.index, index));
  entry.run_id = line["run_id"].get<std::string>();
  entry.group_id = line["group_id"].get<std::string>();
  entry.sweep = line["sweep"].get<std::string>();
  entry.params = line["params"];
  return entry;
}

PlanIds read_plan_ids(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  PlanIds plan;
  std::string text;
  for (int64_t line_number = 1; std::getline(in, text); ++line_number) {
    std::string where = fmt::format("{}:{}", path, line_number);
    nlohmann::json line;
    try {
      line = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(fmt::format("{}: not JSON: {}", where, e.what()));
    }
    if (!line.is_object() || !line.contains("index") || !line["index"].is_number_integer() ||
        !is_id(line.value("run_id", nlohmann::json())) || !is_id(line.value("group_id", nlohmann::json())) ||
        !line.contains("sweep") || !line["sweep"].is_string())
      throw InputError(where + ": expected {\"index\", \"run_id\", \"group_id\", \"sweep\", \"params\"}");
    PlannedRun run{line["index"].get<int64_t>(), line["run_id"].get<std::string>(),
                   line["group_id"].get<std::string>()};
    if (run.index != line_number - 1)
      throw InputError(fmt::format("{}: holds index {}, expected {}: the plan is out of order", where,
                                   run.index, line_number - 1));
    plan.sweep = line["sweep"].get<std::string>();
    plan.runs.push_back(std::move(run));
  }
  return plan;
}

}  // namespace rs::contract
