#pragma once
// Reading and writing a matrix as text, for the demos' --matrix FILE flag.
//
// The format is one row a line:
//
//     # a comment runs from '#' to the end of the line
//     0.7196, 0.6295, 0.6667      entries separated by commas,
//     0.8522  0.3126  0.5006      by spaces or tabs,
//     +1e-3 ,-2,      7           or by both
//
// Blank and comment-only lines are skipped, and every row must have as many entries as the first. A comma
// separates two entries, so a comma at the start or end of a row, or two commas with nothing between them, is
// an error: an empty CSV field usually means a number got lost, and reading it as 0 would hide that.
// Windows line endings (\r\n) and a UTF-8 byte-order mark are tolerated. Numbers are read with std::from_chars,
// so "0.5" is one half whatever the locale; a leading '+' is accepted. NaN, Inf and numbers outside a double's
// range (1e999) are errors: a matrix to invert or factor has none.
//
// Every error is a std::runtime_error that says where, e.g.
//     data.csv:3: expected a number, got "abc"
//     data.csv:4: row has 3 entries, the first row (line 2) has 4
#include <filesystem>
#include <string>
#include <string_view>

#include "autodiff/matrix.hpp"

namespace tapegrad {

// Reads the file at path. Error messages name it as given, e.g. "missing.csv: cannot open file (no such file)".
Matrix read_matrix_file(const std::filesystem::path& path);

// Parses text in the format above; source_name is what error messages call it (a file name, or "<test>").
Matrix parse_matrix(std::string_view text, const std::string& source_name);

// Writes m as comma-separated rows, each number the shortest text that reads back as the same double, so
// read_matrix_file(path) == m exactly. Throws std::invalid_argument for a matrix the format cannot hold (an
// empty one, or one with a NaN or Inf entry) and std::runtime_error naming the path if writing fails.
void write_matrix_file(const Matrix& m, const std::filesystem::path& path);

}  // namespace tapegrad
