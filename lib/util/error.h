// Errors that mean "the user's input is wrong" (bad grid file, bad option, bad run file name).
// Executables catch InputError, print its message and exit with status 2; any other exception is
// a bug or an environment failure and exits with status 1.
#pragma once

#include <stdexcept>
#include <string>

namespace rs {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

constexpr int kExitInputError = 2;

}  // namespace rs
