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
// A line ends at \n, at Windows' \r\n or at old Macs' lone \r, and a UTF-8 byte-order mark is tolerated; the
// text must be UTF-8 or ASCII (a UTF-16 file, or one with NUL bytes, is refused as "not UTF-8 / ASCII text").
// Numbers are read in the C locale, so "0.5" is one half whatever the locale; a leading '+' is accepted. A number
// too small for a double becomes 0 or a subnormal, as numpy reads it. NaN, Inf and numbers too large for a double
// (1e999) are errors: a matrix to invert or factor has none. Messages show the file's bytes that are not
// printable text (control characters, C1 controls, bytes that are not UTF-8) as \xNN, so a file cannot send a
// terminal escape sequences.
//
// Limits: a file of at most max_file_bytes, a line of at most max_line_bytes. read_matrix_file refuses a regular
// file by its size before reading it, and reads in chunks and checks as it goes, so --matrix /dev/zero is refused
// at its first byte.
//
// Every error is a std::runtime_error that says where, e.g.
//     data.csv:3: expected a number, got "abc"
//     data.csv:4: row has 3 entries, the first row (line 2) has 4
#include <filesystem>
#include <string>
#include <string_view>

#include "autodiff/matrix.hpp"

namespace tapegrad {

constexpr std::size_t max_file_bytes = std::size_t{1} << 30;  // 1 GiB: a 10,000 x 5,000 matrix in full digits
constexpr std::size_t max_line_bytes = std::size_t{1} << 24;  // 16 MiB: a row of 600,000 numbers in full digits

// Reads the file at path. Error messages name it as given, e.g. "missing.csv: cannot open file (no such file)".
Matrix read_matrix_file(const std::filesystem::path& path);

// Parses text in the format above; source_name is what error messages call it (a file name, or "<test>").
Matrix parse_matrix(std::string_view text, const std::string& source_name);

// m as comma-separated rows, each number the shortest text that reads back as the same double, so
// parse_matrix(format_matrix(m)) == m exactly. Throws std::invalid_argument for a matrix the format cannot hold
// (an empty one, or one with a NaN or Inf entry).
std::string format_matrix(const Matrix& m);

// Writes format_matrix(m) to path; the same std::invalid_argument (naming the path), and std::runtime_error naming
// the path if writing fails.
void write_matrix_file(const Matrix& m, const std::filesystem::path& path);

}  // namespace tapegrad
