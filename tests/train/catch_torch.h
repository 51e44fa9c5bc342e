// Catch2 for tests that include LibTorch. LibTorch's logging header defines a CHECK macro (its
// own, or glog's in Debian's LibTorch 1.13) that would silently replace Catch's CHECK in every
// line after it. Including it first and dropping its CHECK keeps Catch's, whatever the test
// includes next: the logging headers have include guards and do not define CHECK again.
#pragma once

#include <c10/util/Logging.h>
#undef CHECK

#include <catch2/catch.hpp>
