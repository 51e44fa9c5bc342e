// Writes the example run record as a run file, for checks that read it without project code
// (check_run_file.py). Usage: write_example_run OUT_DIR/NAME.h5
#include <cstdio>
#include <exception>
#include <filesystem>

#include "example_run.h"
#include "util/files.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc != 2 || fs::path(argv[1]).extension() != ".h5") {
    std::fprintf(stderr, "usage: write_example_run OUT_DIR/NAME.h5\n");
    return 2;
  }
  fs::path out = fs::absolute(argv[1]);
  rs::runfile::RunRecord record = rs::runfile::testing::example_run_record();
  record.run_id = out.stem().string();  // the run file is named after its run
  try {
    rs::make_dirs(out.parent_path().string());
    std::printf("%s\n", rs::runfile::write_run_file(out.parent_path().string(), record).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "write_example_run: %s\n", e.what());
    return 1;
  }
  return 0;
}
