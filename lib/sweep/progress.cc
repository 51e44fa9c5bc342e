#include "sweep/progress.h"

#include <unistd.h>

#include <fmt/format.h>

#include "util/text.h"

namespace rs::sweep {

Progress::Progress(int64_t total, FILE* stream)
    : total_(total), stream_(stream), terminal_(::isatty(::fileno(stream)) != 0),
      start_(std::chrono::steady_clock::now()) {}

void Progress::update(int64_t done, const std::string& detail) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  int64_t percent = total_ > 0 ? done * 100 / total_ : 100;
  std::string eta = done > 0 && done < total_
                        ? ", ETA " + format_duration(elapsed / static_cast<double>(done) *
                                                     static_cast<double>(total_ - done))
                        : "";
  std::string line = fmt::format("runs {}/{} ({}%){}{}, {}{}", done, total_, percent,
                                 detail.empty() ? "" : ", ", detail, format_duration(elapsed), eta);
  if (terminal_) {
    fmt::print(stream_, "\r\033[K{}", line);
    std::fflush(stream_);
    return;
  }
  int64_t tenth = total_ > 0 ? done * 10 / total_ : 10;
  if (tenth == last_printed_tenth_) return;
  last_printed_tenth_ = tenth;
  fmt::print(stream_, "{}\n", line);
  std::fflush(stream_);
}

void Progress::finish() {
  if (terminal_) fmt::print(stream_, "\n");
}

}  // namespace rs::sweep
