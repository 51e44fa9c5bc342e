#include "report/number_text.h"

#include <fmt/format.h>

namespace rs::report {

std::string fixed(std::optional<double> value, int decimals) {
  if (!value) return kUndefined;
  std::string text = fmt::format("{:.{}f}", *value, decimals);
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string signed_fixed(std::optional<double> value, int decimals) {
  std::string text = fixed(value, decimals);
  if (text == kUndefined || text[0] == '-' || text.find_first_not_of("0.") == std::string::npos) {
    return text;
  }
  return "+" + text;
}

std::string percent(std::optional<double> fraction) {
  return fraction ? fixed(100 * *fraction, 2) : kUndefined;
}

std::string p_value_text(std::optional<double> p) {
  if (!p) return kUndefined;
  if (*p == 0) return "0";
  return *p < 0.001 ? fmt::format("{:.1e}", *p) : fmt::format("{:.3f}", *p);
}

std::string scientific(std::optional<double> value) {
  if (!value) return kUndefined;
  if (*value == 0) return "0";
  return fmt::format("{:.2e}", *value);
}

}  // namespace rs::report
