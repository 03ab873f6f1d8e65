// Matrix files: the tutorial's matrices read to the bit, the formats people actually write, an exact message
// for every mistake, and writing that reads back unchanged.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <fstream>
#include <string>

#include "autodiff/matrix.hpp"
#include "helpers.hpp"
#include "io/matrix_file.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::TempDir;

namespace {

// TAPEGRAD_DATA_DIR is io/data in the source tree, passed in by tests/CMakeLists.txt.
std::filesystem::path data_file(const std::string& name) { return std::filesystem::path(TAPEGRAD_DATA_DIR) / name; }

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// The message parse_matrix throws for text, named "data.csv".
std::string parse_error(const std::string& text) {
    return error_message([&] { parse_matrix(text, "data.csv"); });
}

}  // namespace

TEST_CASE("matrix file: the tutorial's SVD matrix M1 is read to the bit") {
    const Matrix m = read_matrix_file(data_file("svd_M1_5x4.csv"));
    CHECK(m.shape() == Shape{5, 4});
    CHECK(m(0, 0) == 0.7196354866027832);
    CHECK(m(0, 1) == 0.6294925808906555);
    CHECK(m(2, 0) == 0.008270680904388428);
    CHECK(m(4, 3) == 0.42343664169311523);
    // The values are float32 numbers (torch.rand), so each converts to float and back unchanged.
    for (std::size_t k = 0; k < m.size(); ++k) CHECK(static_cast<double>(static_cast<float>(m.data()[k])) == m.data()[k]);
}

TEST_CASE("matrix file: every tutorial matrix has its shape, and the files agree with each other") {
    const Matrix inverse_m1 = read_matrix_file(data_file("inverse_M1_4x4.csv"));
    const Matrix inverse_m2 = read_matrix_file(data_file("inverse_M2_diag.csv"));
    const Matrix svd_m1 = read_matrix_file(data_file("svd_M1_5x4.csv"));
    const Matrix svd_m2 = read_matrix_file(data_file("svd_M2_4x4.csv"));
    const Matrix svd_m3 = read_matrix_file(data_file("svd_M3_7x4.csv"));
    const Matrix svd_m4 = read_matrix_file(data_file("svd_M4_4x3.csv"));
    const Matrix svd_m5 = read_matrix_file(data_file("svd_M5_4x3.csv"));
    CHECK(inverse_m2 == Matrix{{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 4}});
    CHECK(svd_m2.shape() == Shape{4, 4});
    CHECK(svd_m3.shape() == Shape{7, 4});
    // Seed 314 draws the same first 16 numbers whether torch.rand is asked for 4x4 or 5x4.
    CHECK(inverse_m1 == Matrix(ConstMatrixRef(svd_m1.data(), 4, 4)));
    // M4 is rand(3,4).T and M5 is rand(4,3), both from seed 317: M4ᵀ holds M5's numbers in M5's order.
    CHECK(svd_m4.shape() == Shape{4, 3});
    CHECK(svd_m5.shape() == Shape{4, 3});
    CHECK(Matrix(ConstMatrixRef(svd_m4.transpose().data(), 4, 3)) == svd_m5);
}

TEST_CASE("matrix file: commas, spaces, tabs, comments, blank lines and Windows line endings") {
    const Matrix expected{{1, 2, 3}, {-4, 0.5, 6e-3}};
    CHECK(parse_matrix("1,2,3\n-4,0.5,6e-3\n", "t") == expected);
    CHECK(parse_matrix("1 2 3\n-4 0.5 6e-3", "t") == expected);  // no final newline
    CHECK(parse_matrix("1, 2, 3\n-4 ,0.5 , 6E-3\n", "t") == expected);
    CHECK(parse_matrix("\t1\t2  3 \n  -4\t, 0.5,6e-3\t\n", "t") == expected);
    CHECK(parse_matrix("# a comment\n\n1,2,3  # the first row\n   \n# another\n-4,0.5,6e-3\n\n", "t") == expected);
    CHECK(parse_matrix("1,2,3\r\n-4,0.5,6e-3\r\n", "t") == expected);
    CHECK(parse_matrix("\xEF\xBB\xBF" "1,2,3\n-4,0.5,6e-3\n", "t") == expected);  // a UTF-8 byte-order mark
    CHECK(parse_matrix("+1,+2,3.\n-4,.5,+0.006\n", "t") == expected);
    CHECK(parse_matrix("42", "t") == Matrix{{42}});
    CHECK(parse_matrix("1e-310", "t")(0, 0) == 1e-310);  // subnormal numbers are finite, so they are fine
}

TEST_CASE("matrix file: a number that is not one names the line and the text") {
    CHECK(parse_error("1,2\n3,abc\n") == "data.csv:2: expected a number, got \"abc\"");
    CHECK(parse_error("# header\n1,2\n\n3,4x\n") == "data.csv:4: expected a number, got \"4x\"");
    CHECK(parse_error("1;2\n") == "data.csv:1: expected a number, got \"1;2\"");
    CHECK(parse_error("0x10\n") == "data.csv:1: expected a number, got \"0x10\"");
    CHECK(parse_error("+-1\n") == "data.csv:1: expected a number, got \"+-1\"");
    CHECK(parse_error("+\n") == "data.csv:1: expected a number, got \"+\"");
    CHECK(parse_error("1,\"2\"\n") == "data.csv:1: expected a number, got \"\"2\"\"");
}

TEST_CASE("matrix file: NaN, Inf and numbers out of a double's range are rejected") {
    CHECK(parse_error("1,2,3\n4,5,inf\n") == "data.csv:2: entry 3 is not finite (\"inf\")");
    CHECK(parse_error("nan\n") == "data.csv:1: entry 1 is not finite (\"nan\")");
    CHECK(parse_error("1 -Infinity\n") == "data.csv:1: entry 2 is not finite (\"-Infinity\")");
    CHECK(parse_error("1, +inf\n") == "data.csv:1: entry 2 is not finite (\"+inf\")");
    CHECK(parse_error("1,2,1e999\n") == "data.csv:1: entry 3 is out of range for a double (\"1e999\")");
    CHECK(parse_error("-1e999\n") == "data.csv:1: entry 1 is out of range for a double (\"-1e999\")");
}

TEST_CASE("matrix file: stray commas are errors, not silent zeros") {
    CHECK(parse_error("1,2,\n3,4,\n") ==
          "data.csv:1: a comma after the last entry (entries are separated by commas, not ended by them)");
    CHECK(parse_error("1,2\n3, 4 , # note\n") ==
          "data.csv:2: a comma after the last entry (entries are separated by commas, not ended by them)");
    CHECK(parse_error("1,2\n,3,4\n") == "data.csv:2: a comma before the first entry (column 1)");
    CHECK(parse_error("1,,2\n") == "data.csv:1: two commas with no entry between them (column 3)");
    CHECK(parse_error("1, ,2\n") == "data.csv:1: two commas with no entry between them (column 4)");
}

TEST_CASE("matrix file: ragged rows and files without numbers") {
    CHECK(parse_error("1,2,3,4\n5,6,7,8\n\n9,10,11\n") == "data.csv:4: row has 3 entries, the first row (line 1) has 4");
    CHECK(parse_error("# M\n1 2\n3 4 5\n") == "data.csv:3: row has 3 entries, the first row (line 2) has 2");
    const std::string empty = "data.csv: no numbers found (the file is empty or all comments)";
    CHECK(parse_error("") == empty);
    CHECK(parse_error("\n\r\n  \n") == empty);
    CHECK(parse_error("# just a comment\n# and another\n") == empty);
}

TEST_CASE("matrix file: files that cannot be read name themselves") {
    const TempDir dir;
    const std::filesystem::path missing = dir / "missing.csv";
    CHECK(error_message([&] { read_matrix_file(missing); }) == missing.string() + ": cannot open file (no such file)");
    CHECK(error_message([&] { read_matrix_file(dir.path()); }) == dir.path().string() + ": cannot open file (it is a directory)");
    CHECK_THROWS_AS(read_matrix_file(dir.path()), std::runtime_error);

    // Errors in a file are reported under the path it was opened by.
    const std::filesystem::path bad = dir / "bad.csv";
    write_text(bad, "1,2\n3,x\n");
    CHECK(error_message([&] { read_matrix_file(bad); }) == bad.string() + ":2: expected a number, got \"x\"");
}

TEST_CASE("matrix file: writing reads back exactly, in the tutorial's own format") {
    const TempDir dir;
    const Matrix m{{0.1, 1.0 / 3.0, -2.5e300}, {5e-324, -0.0, 123456789.0}};
    write_matrix_file(m, dir / "m.csv");
    CHECK(read_text(dir / "m.csv") == "0.1,0.3333333333333333,-2.5e+300\n5e-324,-0,123456789\n");
    const Matrix back = read_matrix_file(dir / "m.csv");
    CHECK(back == m);
    CHECK(std::signbit(back(1, 1)));  // == cannot tell -0 from 0

    // Writing the tutorial's M1 gives back the file's data lines, number for number.
    const Matrix tutorial = read_matrix_file(data_file("svd_M1_5x4.csv"));
    write_matrix_file(tutorial, dir / "M1.csv");
    std::string original = read_text(data_file("svd_M1_5x4.csv"));
    original.erase(0, original.find('\n') + 1);  // the comment line
    CHECK(read_text(dir / "M1.csv") == original);
}

TEST_CASE("matrix file: writing refuses what it could not read back, and names a path it cannot write") {
    const TempDir dir;
    const std::filesystem::path path = dir / "m.csv";
    CHECK(error_message([&] { write_matrix_file(Matrix(), path); }) ==
          "write_matrix_file: " + path.string() + ": cannot write a 0x0 matrix (the format has no way to say empty)");
    CHECK_THROWS_AS(write_matrix_file(Matrix(3, 0), path), std::invalid_argument);
    CHECK(error_message([&] { write_matrix_file(Matrix{{1, 2}, {3, std::nan("")}}, path); }) ==
          "write_matrix_file: " + path.string() + ": entry (1, 1) is not finite (the format could not read it back)");
    CHECK_FALSE(std::filesystem::exists(path));

    const std::filesystem::path nowhere = dir / "no-such-dir" / "m.csv";
    CHECK(error_message([&] { write_matrix_file(Matrix{{1}}, nowhere); }) == nowhere.string() + ": cannot open file for writing");
}

TEST_CASE("matrix file: old Mac line endings (a lone \\r) end a line") {
    CHECK(parse_matrix("1,2\r3,4\r", "t") == Matrix{{1, 2}, {3, 4}});
    CHECK(parse_matrix("1,2\r\r\n3,4", "t") == Matrix{{1, 2}, {3, 4}});  // \r, then \r\n: a blank line between
    CHECK(parse_error("1,2\r3,4,5\r") == "data.csv:2: row has 3 entries, the first row (line 1) has 2");
}

TEST_CASE("matrix file: a number too small for a double underflows to 0 or a subnormal, as strtod reads it") {
    CHECK(parse_matrix("1e-400", "t")(0, 0) == 0.0);
    CHECK(std::signbit(parse_matrix("-1e-400", "t")(0, 0)));
    CHECK(parse_matrix("2.4e-324", "t")(0, 0) == 0.0);  // under half the smallest subnormal
    CHECK(parse_matrix("3e-324", "t")(0, 0) == std::numeric_limits<double>::denorm_min());
    CHECK(parse_matrix("2.5e-308", "t")(0, 0) == 2.5e-308);
    CHECK(parse_error("1e309\n") == "data.csv:1: entry 1 is out of range for a double (\"1e309\")");
    // strtod's extras are not the format's: hexadecimal, and leading white space other than spaces and tabs.
    CHECK(parse_error("0X1p3\n") == "data.csv:1: expected a number, got \"0X1p3\"");
    CHECK(parse_error("\v1\n") == "data.csv:1: expected a number, got \"\\x0B1\"");
}

TEST_CASE("matrix file: text that is not UTF-8 or ASCII is named as such, and bytes are shown escaped") {
    const std::string utf16("\xFF\xFE" "1\0,\0002\0\n\0", 10);
    CHECK(parse_error(utf16) == "data.csv: not UTF-8 / ASCII text (it starts with a UTF-16 byte-order mark; save it as UTF-8)");
    CHECK(parse_error(std::string("1,2\n3,\0", 7)) == "data.csv: not UTF-8 / ASCII text (a NUL byte at byte 7)");
    // A terminal escape sequence in a file is shown as bytes, never sent to the terminal.
    CHECK(parse_error("1,\x1b[2J\n") == "data.csv:1: expected a number, got \"\\x1B[2J\"");
    CHECK(parse_error("1,\x7f\n") == "data.csv:1: expected a number, got \"\\x7F\"");
    CHECK(parse_error("1,é\n") == "data.csv:1: expected a number, got \"é\"");  // UTF-8 is printable
    CHECK(parse_error("1,2€x😀\n") == "data.csv:1: expected a number, got \"2€x😀\"");
    // Latin-1's é (a stray byte in UTF-8), a C1 control (CSI, U+009B) and an overlong '/' are shown as bytes.
    CHECK(parse_error("1,\xE9\n") == "data.csv:1: expected a number, got \"\\xE9\"");
    CHECK(parse_error("1,\xC2\x9B" "2J\n") == "data.csv:1: expected a number, got \"\\xC2\\x9B2J\"");
    CHECK(parse_error("1,\x9B" "2J\n") == "data.csv:1: expected a number, got \"\\x9B2J\"");
    CHECK(parse_error("1,\xC0\xAF\n") == "data.csv:1: expected a number, got \"\\xC0\\xAF\"");
    CHECK(parse_error("1,\xE2\x82\n") == "data.csv:1: expected a number, got \"\\xE2\\x82\"");  // cut short
}

TEST_CASE("matrix file: limits on the file and on a line, checked while reading") {
    const TempDir dir;
    // /dev/zero never ends: it is refused at its first chunk.
    CHECK(error_message([] { read_matrix_file("/dev/zero"); }) == "/dev/zero: not UTF-8 / ASCII text (a NUL byte at byte 1)");
    const std::filesystem::path long_line = dir / "long.csv";
    write_text(long_line, "1,2\n" + std::string(max_line_bytes + 1, ' ') + "3,4\n");
    CHECK(error_message([&] { read_matrix_file(long_line); }) ==
          long_line.string() + ": line 2 is longer than 16 MiB, more than any row needs");
    CHECK(parse_error("1\n" + std::string(max_line_bytes + 1, ' ')) ==
          "data.csv:2: the line is longer than 16 MiB, more than any row needs");
    // A file over the size limit is refused by its size, before a byte is read (sparse, so it costs no disk); one
    // at the limit is read, and its holes, which read as NUL bytes, refused as they come.
    const std::filesystem::path big = dir / "big.csv";
    write_text(big, "1\n");
    std::filesystem::resize_file(big, max_file_bytes + 1);
    CHECK(error_message([&] { read_matrix_file(big); }) ==
          big.string() + ": the file is larger than 1024 MiB, the most a matrix file may hold");
    std::filesystem::resize_file(big, max_file_bytes);
    CHECK(error_message([&] { read_matrix_file(big); }) == big.string() + ": not UTF-8 / ASCII text (a NUL byte at byte 3)");
}

TEST_CASE("matrix file: format_matrix writes what parse_matrix reads back to the bit") {
    const Matrix m{{1e-310, -0.0, 1.0 / 7.0}, {-1.7976931348623157e308, 2.0, 4.9406564584124654e-324}};
    const std::string text = format_matrix(m);
    const Matrix back = parse_matrix(text, "t");
    REQUIRE(back.shape() == m.shape());
    for (std::size_t k = 0; k < m.size(); ++k) CHECK(std::bit_cast<std::uint64_t>(back.data()[k]) == std::bit_cast<std::uint64_t>(m.data()[k]));
    CHECK(error_message([] { format_matrix(Matrix(0, 3)); }) == "cannot write a 0x3 matrix (the format has no way to say empty)");
}
