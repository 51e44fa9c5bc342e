#include "sweep/planned_sweep.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "sweep/layout.h"
#include "util/error.h"
#include "util/files.h"

namespace rs::sweep {

using nlohmann::json;

PlannedSweep read_planned_sweep(const std::string& dir_arg) {
  PlannedSweep sweep;
  sweep.dir = absolute_path(dir_arg);
  if (!path_exists(summary_path(sweep.dir)) || !path_exists(plan_path(sweep.dir)))
    throw InputError(fmt::format("{}: not a planned sweep folder (no sweep.json or plan.jsonl); "
                                 "run `sweep plan GRID.yaml -o {}` first", dir_arg, dir_arg));
  json summary;
  try {
    summary = json::parse(read_file(summary_path(sweep.dir)));
    sweep.name = summary.at("name").get<std::string>();
    sweep.points = summary.at("points").get<int64_t>();
    for (const auto& a : summary.at("arrays")) {
      PlannedArray array;
      array.script = a.at("script").get<std::string>();
      array.offset = a.at("offset").get<int64_t>();
      array.count = a.at("count").get<int64_t>();
      array.cpus_per_task = a.at("cpus_per_task").get<int64_t>();
      array.gpus_per_task = a.at("gpus_per_task").get<int64_t>();
      array.resources = a.at("resources");
      sweep.arrays.push_back(std::move(array));
    }
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: unreadable: {}", summary_path(sweep.dir), e.what()));
  }

  std::ifstream in(plan_path(sweep.dir));
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    try {
      json run = json::parse(line);
      sweep.runs.push_back({run.at("index").get<int64_t>(), run.at("run_id").get<std::string>(),
                            run.at("group_id").get<std::string>()});
    } catch (const json::exception& e) {
      throw InputError(fmt::format("{}:{}: unreadable plan line: {}", plan_path(sweep.dir), line_number, e.what()));
    }
    if (sweep.runs.back().index != line_number - 1)
      throw InputError(fmt::format("{}:{}: index {} out of order", plan_path(sweep.dir), line_number,
                                   sweep.runs.back().index));
  }
  return sweep;
}

json read_plan_line(const std::string& plan_path, int64_t index) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(plan_path.c_str(), "rb"), std::fclose);
  if (!file) throw InputError(fmt::format("{}: cannot read plan", plan_path));
  std::vector<char> block(1 << 20);
  std::string line;
  int64_t newlines = 0;
  size_t n;
  while ((n = std::fread(block.data(), 1, block.size(), file.get())) > 0) {
    const char* p = block.data();
    const char* end = p + n;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (newlines == index) line.append(p, nl ? nl : end);
      if (!nl) break;
      if (newlines++ == index) return json::parse(line);
      p = nl + 1;
    }
  }
  if (newlines == index && !line.empty()) return json::parse(line);
  throw InputError(fmt::format("{}: has {} runs, no run with index {}", plan_path, newlines, index));
}

}  // namespace rs::sweep
