#include "runfile/verify.h"

#include <algorithm>
#include <string_view>

#include "runfile/run_file.h"
#include "util/text.h"

namespace rs::runfile {
namespace {

constexpr int64_t kBlock = int64_t{1} << 20;  // weights read at a time
constexpr std::string_view kCorrupt = "corrupt: ", kUnreadable = "unreadable: ";

// In the reader process: the whole file read, every digest checked. Leaves `bytes` empty for a
// file with digests, "-" for one without; throws RunFileError for any other.
void read_everything(const std::string& path, std::string* bytes) {
  RunFileReader file(path);
  file.check_structure();
  ReadParts all;
  all.weights = false;  // in blocks below, which checks the digest at the end
  file.read(all);
  const int64_t size = file.weights_size();
  std::vector<float> block(static_cast<size_t>(std::min(kBlock, size)));
  for (int64_t offset = 0; offset < size; offset += kBlock)
    file.read_weights(offset, std::min(kBlock, size - offset), block.data());
  if (!file.has_digests()) *bytes = "-";
}

}  // namespace

std::vector<Verdict> verify_run_files(const std::vector<std::string>& paths, double timeout_s) {
  ReaderProcess reader(paths, read_everything, timeout_s);
  std::vector<Verdict> verdicts;
  for (const std::string& path : paths) {
    ReadOutcome outcome = reader.next();
    Verdict verdict;
    verdict.path = printable(path);
    if (outcome.read) {
      verdict.integrity = outcome.bytes.empty() ? Integrity::kGood : Integrity::kNoDigests;
    } else {
      std::string_view reason = outcome.reason;
      verdict.integrity = Integrity::kUnreadable;
      if (reason.substr(0, kCorrupt.size()) == kCorrupt) {
        verdict.integrity = Integrity::kCorrupt;
        reason.remove_prefix(kCorrupt.size());
      } else if (reason.substr(0, kUnreadable.size()) == kUnreadable) {
        reason.remove_prefix(kUnreadable.size());
      }
      verdict.reason = reason;
    }
    verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

}  // namespace rs::runfile
