#include <catch2/catch.hpp>

#include <unistd.h>

#include "util/files.h"
#include "util/hash.h"
#include "util/process.h"
#include "util/text.h"

TEST_CASE("short_hash is XXH3-64 in 16 hex digits") {
  REQUIRE(rs::short_hash("") == "2d06800538d394c2");  // XXH3_64bits of empty input
  REQUIRE(rs::short_hash("a").size() == 16);
  REQUIRE(rs::short_hash("a") != rs::short_hash("b"));
}

TEST_CASE("xxh3_64 and Xxh3Stream agree however the bytes are split") {
  const std::string text = "reprosweep checkpoint digest";
  REQUIRE(rs::xxh3_64("", 0) == 0x2d06800538d394c2);  // short_hash's empty input, as a number
  rs::Xxh3Stream stream;
  stream.add(text.data(), 5);
  stream.add(text.data() + 5, 0);
  stream.add(text.data() + 5, text.size() - 5);
  REQUIRE(stream.value() == rs::xxh3_64(text.data(), text.size()));
  REQUIRE(stream.value() != rs::xxh3_64(text.data(), text.size() - 1));
}

TEST_CASE("is_valid_utf8 accepts UTF-8 and nothing else") {
  REQUIRE(rs::is_valid_utf8(""));
  REQUIRE(rs::is_valid_utf8("plain ASCII"));
  REQUIRE(rs::is_valid_utf8("Gr\xc3\xb6\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x98\x80"));  // Größe € 😀
  REQUIRE_FALSE(rs::is_valid_utf8("\xff"));
  REQUIRE_FALSE(rs::is_valid_utf8("a\x98" "b"));        // stray continuation byte
  REQUIRE_FALSE(rs::is_valid_utf8("\xc3"));             // cut short
  REQUIRE_FALSE(rs::is_valid_utf8("\xc0\xaf"));         // overlong '/'
  REQUIRE_FALSE(rs::is_valid_utf8("\xed\xa0\x80"));     // a surrogate
  REQUIRE_FALSE(rs::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST_CASE("printable escapes malformed UTF-8 and control characters only") {
  const std::string name = "runs/3f9a.h5: Gr\xc3\xb6\xc3\x9f" "e\tok";
  REQUIRE(rs::printable(name) == name);
  REQUIRE(rs::printable("a\xf8" "z") == "a\\xf8z");
  REQUIRE(rs::printable("\xc3") == "\\xc3");
  REQUIRE(rs::printable("line\nnext\x1b[2J") == "line\\x0anext\\x1b[2J");
  REQUIRE(rs::is_valid_utf8(rs::printable("\xff\xfe\xc3\x28")));
}

TEST_CASE("shell_quote makes any text one literal word") {
  std::string evil = "a'b $(id) `id`; \"c\"\n";
  rs::ProcessResult r = rs::run_capture({"sh", "-c", "printf %s " + rs::shell_quote(evil)});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out == evil);
}

TEST_CASE("nearest_word suggests plausible typos only") {
  REQUIRE(rs::nearest_word("repet", {"repeat", "resources"}) == "repeat");
  REQUIRE(rs::nearest_word("zzzzzz", {"repeat", "resources"}).empty());
}

TEST_CASE("format_duration") {
  REQUIRE(rs::format_duration(5) == "5s");
  REQUIRE(rs::format_duration(65) == "1m05s");
  REQUIRE(rs::format_duration(3725) == "1h02m");
}

TEST_CASE("write_file_atomic replaces the file and leaves no temporary behind") {
  std::string dir = "/tmp/rs-util-test-" + std::to_string(::getpid());
  rs::make_dirs(dir);
  rs::write_file_atomic(dir + "/f", "one");
  rs::write_file_atomic(dir + "/f", "two");
  REQUIRE(rs::read_file(dir + "/f") == "two");
  rs::ProcessResult ls = rs::run_capture({"ls", dir});
  REQUIRE(ls.out == "f\n");
  rs::run_capture({"rm", "-rf", dir});
}

TEST_CASE("run_capture reports exit codes and separates stdout and stderr") {
  rs::ProcessResult r = rs::run_capture({"sh", "-c", "echo out; echo err >&2; exit 3"});
  REQUIRE(r.exit_code == 3);
  REQUIRE(r.out == "out\n");
  REQUIRE(r.err == "err\n");
}

TEST_CASE("wrap_text breaks at spaces, indents the lines after the first") {
  CHECK(rs::wrap_text("a bb ccc dddd", 6) == "a bb\n  ccc\n  dddd\n");
  CHECK(rs::wrap_text("short", 100) == "short\n");
  CHECK(rs::wrap_text("averyveryverylongword x", 5, "") == "averyveryverylongword\nx\n");
}
