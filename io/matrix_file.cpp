#include "io/matrix_file.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace tapegrad {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// "abc" with its quotes, as messages show a token. (Built by appending: GCC 12 warns falsely, -Wrestrict, on
// "\"" + std::string(token) + "\"".)
std::string quote(std::string_view token) {
    std::string quoted = "\"";
    quoted += token;
    quoted += '"';
    return quoted;
}

// One entry of a row; entry counts from 1 and at is the "data.csv:3: " that starts every message.
double parse_entry(std::string_view token, std::size_t entry, const std::string& at) {
    const std::string quoted = quote(token);
    std::string_view number = token;
    // from_chars refuses a leading '+', but people write one. "+-1" must stay an error, so only one sign goes.
    if (number.size() > 1 && number[0] == '+' && number[1] != '-') number.remove_prefix(1);
    double value = 0.0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error == std::errc::result_out_of_range)
        throw std::runtime_error(at + "entry " + std::to_string(entry) + " is out of range for a double (" + quoted + ")");
    // from_chars stops at the first character that cannot continue a number, so "1.5x" parses "1.5": check it all went.
    if (error != std::errc() || end != number.data() + number.size())
        throw std::runtime_error(at + "expected a number, got " + quoted);
    if (!std::isfinite(value))
        throw std::runtime_error(at + "entry " + std::to_string(entry) + " is not finite (" + quoted + ")");
    return value;
}

// The numbers on one line, whose comment is already cut off.
std::vector<double> parse_row(std::string_view line, const std::string& at) {
    std::vector<double> row;
    bool comma_waiting = false;  // a comma was read and no entry has followed it yet
    std::size_t pos = 0;
    while (true) {
        while (pos < line.size() && is_blank(line[pos])) ++pos;
        if (pos == line.size()) break;
        if (line[pos] == ',') {
            const std::string column = "(column " + std::to_string(pos + 1) + ")";
            if (row.empty()) throw std::runtime_error(at + "a comma before the first entry " + column);
            if (comma_waiting) throw std::runtime_error(at + "two commas with no entry between them " + column);
            comma_waiting = true;
            ++pos;
            continue;
        }
        const std::size_t start = pos;
        while (pos < line.size() && !is_blank(line[pos]) && line[pos] != ',') ++pos;
        row.push_back(parse_entry(line.substr(start, pos - start), row.size() + 1, at));
        comma_waiting = false;
    }
    if (comma_waiting) throw std::runtime_error(at + "a comma after the last entry (entries are separated by commas, not ended by them)");
    return row;
}

}  // namespace

Matrix parse_matrix(std::string_view text, const std::string& source_name) {
    const std::string_view byte_order_mark = "\xEF\xBB\xBF";  // some editors start UTF-8 files with it
    if (text.starts_with(byte_order_mark)) text.remove_prefix(byte_order_mark.size());

    std::vector<double> entries;  // row after row
    std::size_t rows = 0, cols = 0, first_row_line = 0;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        line = line.substr(0, line.find('#'));

        const std::string at = source_name + ":" + std::to_string(line_number) + ": ";
        const std::vector<double> row = parse_row(line, at);
        if (row.empty()) continue;  // blank or comment-only
        if (rows == 0) {
            cols = row.size();
            first_row_line = line_number;
        } else if (row.size() != cols) {
            throw std::runtime_error(at + "row has " + std::to_string(row.size()) + " entries, the first row (line " +
                                     std::to_string(first_row_line) + ") has " + std::to_string(cols));
        }
        entries.insert(entries.end(), row.begin(), row.end());
        ++rows;
    }
    if (rows == 0) throw std::runtime_error(source_name + ": no numbers found (the file is empty or all comments)");

    Matrix m(rows, cols);
    for (std::size_t k = 0; k < entries.size(); ++k) m.data()[k] = entries[k];
    return m;
}

Matrix read_matrix_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    // Checked first: on Linux an ifstream opens a directory without complaint and only fails when read.
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) throw std::runtime_error(name + ": cannot open file (it is a directory)");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const bool missing = !std::filesystem::exists(path, ignored);
        throw std::runtime_error(name + ": cannot open file" + (missing ? " (no such file)" : ""));
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw std::runtime_error(name + ": cannot read file");
    return parse_matrix(text, name);
}

void write_matrix_file(const Matrix& m, const std::filesystem::path& path) {
    const std::string name = path.string();
    if (m.empty())
        throw std::invalid_argument("write_matrix_file: cannot write a " + to_string(m.shape()) + " matrix to " + name +
                                    " (the format has no way to say empty)");
    std::string text;
    for (std::size_t i = 0; i < m.rows(); ++i) {
        for (std::size_t j = 0; j < m.cols(); ++j) {
            if (!std::isfinite(m(i, j)))
                throw std::invalid_argument("write_matrix_file: entry (" + std::to_string(i) + ", " + std::to_string(j) +
                                            ") is not finite, and " + name + " could not be read back");
            // to_chars with no precision gives the shortest text that reads back exactly, and unlike printf's
            // "%.17g" it never writes a locale's decimal comma.
            char buffer[32];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, m(i, j));
            if (j > 0) text += ',';
            text.append(buffer, result.ptr);
        }
        text += '\n';
    }
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error(name + ": cannot open file for writing");
    out << text;
    out.close();
    if (!out) throw std::runtime_error(name + ": error while writing");
}

}  // namespace tapegrad
