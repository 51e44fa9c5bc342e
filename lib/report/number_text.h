// How the collector writes numbers for people, in every table and plot label: a fixed number of
// decimals, "-" for a value that is not defined, and never "-0.00" (a value that rounds to zero
// is "0.00", whatever its sign).
#pragma once

#include <optional>
#include <string>

namespace rs::report {

inline constexpr char kUndefined[] = "-";

// "1.25"; "-" for nullopt.
std::string fixed(std::optional<double> value, int decimals);

// "+1.25", "-0.50", "0.00".
std::string signed_fixed(std::optional<double> value, int decimals);

// A fraction in percent with two decimals: 0.9 -> "90.00".
std::string percent(std::optional<double> fraction);

// "0.477", "3.2e-05", and "0" for exactly 0.
std::string p_value_text(std::optional<double> p);

// Three significant digits in exponent form, for distances that span many decades: "7.50e-06",
// "0" for exactly 0, "-" for nullopt.
std::string scientific(std::optional<double> value);

}  // namespace rs::report
