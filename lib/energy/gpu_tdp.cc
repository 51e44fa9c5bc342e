#include "energy/gpu_tdp.h"

#include <algorithm>
#include <cctype>

namespace rs::energy {
namespace {

// Searched in order, so a more specific model must come before one whose name it contains
// ("H100 PCIe" before "H100", the SXM form factor, which NVML calls "NVIDIA H100 80GB HBM3").
const GpuTdp kTable[] = {
    {"H200 NVL", 600},       {"H200", 700},
    {"H100 NVL", 400},       {"H100 PCIe", 350},      {"H100", 700},
    {"A100 80GB PCIe", 300}, {"A100-PCIE-40GB", 250}, {"A100-SXM4", 400},
    {"L40S", 350},           {"L40", 300},            {"L4", 72},
    {"A40", 300},            {"A30", 165},            {"A10", 150},
    {"V100S", 250},          {"V100-PCIE", 250},      {"V100-SXM2", 300},
    {"P100-PCIE", 250},      {"P100-SXM2", 300},      {"T4", 70},
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// True when `word` occurs in `text` with no letter or digit right before or after it, so that
// "A10" does not match "A100" nor "L4" match "L40".
bool contains_word(const std::string& text, const std::string& word) {
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    size_t end = at + word.size();
    if ((at == 0 || !is_word_char(text[at - 1])) && (end == text.size() || !is_word_char(text[end])))
      return true;
  }
  return false;
}

}  // namespace

std::optional<GpuTdp> find_gpu_tdp(const std::string& gpu_name) {
  std::string name = lower(gpu_name);
  for (const GpuTdp& entry : kTable)
    if (contains_word(name, lower(entry.model))) return entry;
  return std::nullopt;
}

}  // namespace rs::energy
