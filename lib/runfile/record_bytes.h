// A RunRecord as bytes and back, to hand records read in a reader process (reader_process.h)
// to its parent. Not a file format: both ends are the same program.
#pragma once

#include <string>
#include <string_view>

#include "runfile/run_file.h"

namespace rs::runfile {

// Appends `record` to `*bytes`.
void append_record_bytes(const RunRecord& record, std::string* bytes);

// Reads a record that append_record_bytes() wrote at `*offset` of `bytes`, and moves *offset
// past it. Throws std::runtime_error when the bytes end too soon.
RunRecord record_from_bytes(std::string_view bytes, size_t* offset);

// The same for the plain values that travel with a record (report::EvaluatedRun's scan).
void append_bytes(const void* value, size_t size, std::string* bytes);
void read_bytes(std::string_view bytes, size_t* offset, void* value, size_t size);

}  // namespace rs::runfile
