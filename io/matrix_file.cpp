#include "io/matrix_file.hpp"

#include <locale.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace tapegrad {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The length of the printable character text starts with: 1 for printable ASCII, 2 to 4 for a well-formed UTF-8
// sequence of a character from U+00A0 up; 0 for anything else (control characters, C1 controls, stray bytes).
std::size_t printable_length(std::string_view text) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(0);
    if (lead >= 0x20 && lead < 0x7F) return 1;
    const std::size_t length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || text.size() < length) return 0;
    char32_t code = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(k) & 0xC0) != 0x80) return 0;
        code = (code << 6) | (byte(k) & 0x3F);
    }
    const char32_t least[] = {0, 0, 0xA0, 0x800, 0x10000};  // below: a C1 control, or an overlong encoding
    const bool ok = code >= least[length] && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
    return ok ? length : 0;
}

// "abc" with its quotes, as messages show a token: bytes that are not printable text (control characters, escape
// sequences, bytes that are not UTF-8) as \xNN, so a file cannot send a terminal commands.
std::string quote(std::string_view token) {
    std::string quoted = "\"";
    while (!token.empty()) {
        if (const std::size_t length = printable_length(token)) {
            quoted += token.substr(0, length);
            token.remove_prefix(length);
            continue;
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(token[0])));
        quoted += hex;
        token.remove_prefix(1);
    }
    quoted += '"';
    return quoted;
}

// The C locale, for strtod_l: "0.5" is one half whatever the user's locale says.
locale_t c_locale() {
    static const locale_t c = newlocale(LC_ALL_MASK, "C", locale_t{});
    if (c == locale_t{}) throw std::runtime_error("cannot make the C locale to read numbers in (newlocale failed)");
    return c;
}

// One entry of a row; entry counts from 1 and at is the "data.csv:3: " that starts every message. Read by strtod_l
// in the C locale, which rounds a number too small for a double to 0 or a subnormal, as numpy does; from_chars
// would refuse it.
double parse_entry(std::string_view token, std::size_t entry, const std::string& at) {
    const std::string quoted = quote(token);
    const auto not_a_number = [&] { return std::runtime_error(at + "expected a number, got " + quoted); };
    // strtod would also skip leading spaces and read hexadecimal ("0x10"); the format has neither. "+-1" stays an error.
    const std::size_t digits = token.starts_with('+') || token.starts_with('-') ? 1 : 0;
    if (token.size() == digits || token.find_first_of("xX") != std::string_view::npos ||
        !(std::isalnum(static_cast<unsigned char>(token[digits])) || token[digits] == '.'))
        throw not_a_number();
    const std::string text(token);
    char* end = nullptr;
    errno = 0;
    const double value = strtod_l(text.c_str(), &end, c_locale());
    if (end != text.c_str() + text.size()) throw not_a_number();  // "1.5x": strtod stops at the x
    if (errno == ERANGE && std::isinf(value))
        throw std::runtime_error(at + "entry " + std::to_string(entry) + " is out of range for a double (" + quoted + ")");
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

// Refuses text that is not UTF-8 or ASCII where the cause shows: a UTF-16 byte-order mark, or a NUL byte (which
// text never has, and binary files and UTF-16 are full of). offset is where text starts in the file.
void check_text(std::string_view text, std::size_t offset, const std::string& source_name) {
    const std::string not_text = source_name + ": not UTF-8 / ASCII text (";
    if (offset == 0 && (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")))
        throw std::runtime_error(not_text + "it starts with a UTF-16 byte-order mark; save it as UTF-8)");
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
        throw std::runtime_error(not_text + "a NUL byte at byte " + std::to_string(offset + nul + 1) + ")");
}

std::string mebibytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

Matrix parse_matrix(std::string_view text, const std::string& source_name) {
    const std::string_view byte_order_mark = "\xEF\xBB\xBF";  // some editors start UTF-8 files with it
    check_text(text, 0, source_name);
    if (text.starts_with(byte_order_mark)) text.remove_prefix(byte_order_mark.size());

    std::vector<double> entries;  // row after row
    std::size_t rows = 0, cols = 0, first_row_line = 0;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        // A line ends at \n, \r\n, or a lone \r (old Mac files).
        const std::size_t end = text.find_first_of("\r\n");
        std::string_view line = text.substr(0, end);
        const bool crlf = end != std::string_view::npos && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n';
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + (crlf ? 2 : 1));
        line = line.substr(0, line.find('#'));

        const std::string at = source_name + ":" + std::to_string(line_number) + ": ";
        if (line.size() > max_line_bytes)
            throw std::runtime_error(at + "the line is longer than " + mebibytes(max_line_bytes) + ", more than any row needs");
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
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!in) {
        const bool missing = !std::filesystem::exists(path, ignored);
        throw std::runtime_error(name + ": cannot open file" + (missing ? " (no such file)" : ""));
    }
    const auto too_large = [&name] {
        return std::runtime_error(name + ": the file is larger than " + mebibytes(max_file_bytes) +
                                  ", the most a matrix file may hold");
    };
    // A regular file's size is known before reading it; a pipe's or a device's is not, so the chunks below count too.
    std::error_code no_size;
    if (const std::uintmax_t size = std::filesystem::file_size(path, no_size); !no_size && size > max_file_bytes)
        throw too_large();
    // Read in chunks, checked as they come, so that /dev/zero or a huge binary file is refused at once, not
    // after filling memory.
    std::string text;
    std::size_t line_length = 0;  // of the line the last chunk ended in
    std::vector<char> chunk(1 << 20);
    while (const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), in.get())) {
        const std::string_view part(chunk.data(), got);
        check_text(part, text.size(), name);
        if (text.size() + got > max_file_bytes) throw too_large();
        // A line within one chunk is shorter than the limit; one that runs over chunks is counted.
        const std::size_t first_end = part.find_first_of("\r\n"), last_end = part.find_last_of("\r\n");
        const bool too_long = line_length + std::min(first_end, got) > max_line_bytes;
        line_length = last_end == std::string_view::npos ? line_length + got : got - last_end - 1;
        if (too_long || line_length > max_line_bytes)
            throw std::runtime_error(name + ": line " + std::to_string(1 + std::count(text.begin(), text.end(), '\n')) +
                                     " is longer than " + mebibytes(max_line_bytes) + ", more than any row needs");
        text += part;
    }
    if (std::ferror(in.get())) throw std::runtime_error(name + ": cannot read file");
    return parse_matrix(text, name);
}

std::string format_matrix(const Matrix& m) {
    if (m.empty())
        throw std::invalid_argument("cannot write a " + to_string(m.shape()) + " matrix (the format has no way to say empty)");
    std::string text;
    for (std::size_t i = 0; i < m.rows(); ++i) {
        for (std::size_t j = 0; j < m.cols(); ++j) {
            if (!std::isfinite(m(i, j)))
                throw std::invalid_argument("entry (" + std::to_string(i) + ", " + std::to_string(j) +
                                            ") is not finite (the format could not read it back)");
            // to_chars with no precision gives the shortest text that reads back exactly, and unlike printf's
            // "%.17g" it never writes a locale's decimal comma.
            char buffer[32];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, m(i, j));
            if (j > 0) text += ',';
            text.append(buffer, result.ptr);
        }
        text += '\n';
    }
    return text;
}

void write_matrix_file(const Matrix& m, const std::filesystem::path& path) {
    const std::string name = path.string();
    std::string text;
    try {
        text = format_matrix(m);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("write_matrix_file: " + name + ": " + e.what());
    }
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error(name + ": cannot open file for writing");
    out << text;
    out.close();
    if (!out) throw std::runtime_error(name + ": error while writing");
}

}  // namespace tapegrad
