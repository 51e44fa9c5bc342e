#include "slurm/command.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

namespace rs::slurm {
namespace {

// What SLURM's commands print when they could not reach the controller at all.
constexpr std::string_view kNotConnected[] = {"Unable to contact slurm controller", "Connection refused",
                                              "temporarily unable to accept"};
// ... and when the conversation broke off or the controller was too busy to answer.
constexpr std::string_view kInterrupted[] = {"Socket timed out", "Connection timed out",
                                             "Zero Bytes were transmitted or received",
                                             "Resource temporarily unavailable", "Transport endpoint"};

bool says_any(const std::string& text, const std::string_view* begin, const std::string_view* end) {
  for (auto it = begin; it != end; ++it)
    if (text.find(*it) != std::string::npos) return true;
  return false;
}

bool transient(const ProcessResult& r, Repeat repeat) {
  if (r.exit_code == 0) return false;
  const std::string said = r.err + r.out;
  if (says_any(said, std::begin(kNotConnected), std::end(kNotConnected))) return true;
  if (repeat != Repeat::kSafe) return false;
  return r.timed_out || says_any(said, std::begin(kInterrupted), std::end(kInterrupted));
}

}  // namespace

double command_timeout_s() {
  const char* text = std::getenv("REPROSWEEP_SLURM_TIMEOUT_S");
  if (text == nullptr) return kDefaultTimeoutS;
  char* end = nullptr;
  const double seconds = std::strtod(text, &end);
  return end != text && *end == '\0' && seconds > 0 ? seconds : kDefaultTimeoutS;
}

ProcessResult run_slurm(const std::vector<std::string>& argv, Repeat repeat) {
  ProcessResult result;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    result = run_capture(argv, command_timeout_s());
    if (!transient(result, repeat) || attempt == kAttempts) break;
    ::sleep(static_cast<unsigned>(attempt));  // 1 s, then 2 s: the controller may be restarting
  }
  return result;
}

std::string failure_message(const std::string& program, const ProcessResult& result) {
  if (result.timed_out) return fmt::format("{} did not answer within {:g} s", program, command_timeout_s());
  std::string said = result.err + result.out;
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  return fmt::format("{}: {}", program, said);
}

}  // namespace rs::slurm
