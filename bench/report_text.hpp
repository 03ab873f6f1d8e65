#pragma once
// The benchmark report's text (bench/report.cpp): the page's template, numbers as docs/benchmarks.md writes them,
// and its markdown tables.
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tapegrad::report {

// bench/benchmarks.md.in, compiled in by cmake/embed_data.cmake: the page's prose, with {{name}} where the report
// puts a part it computes (a table, a list).
struct TemplateFile {
    std::string_view name;
    std::string_view text;
};
const std::vector<TemplateFile>& template_files();
inline std::string_view page_template() { return template_files().at(0).text; }

// x with that many decimals: fixed(0.1234, 2) is "0.12".
std::string fixed(double x, int decimals);
// Three significant digits, never in e-notation for the sizes a table holds (0.1 up to 999,000).
std::string three_digits(double x);
// A time in the unit that keeps it between 1 and 1000: "633 ns", "12.4 µs", "13.5 ms", "1.20 s".
std::string time_text(double us);
// An error, in two digits: "1.2e-05".
std::string error_text(double x);
// As short as it is exact: 0.9, 0.01.
std::string plain(double x);
// A count with thousands separated: 66,175.
std::string count_text(double x);
// "659×", "13,791×": how many times one time is another.
std::string times_text(double ratio);
// "svd" and "inverse" as a sentence names them.
std::string problem_name(const std::string& problem);
// "73%": how far a measured value is past its bound, as a fraction of the bound.
std::string percent_over(double measured, double bound);
// "5/4" (a benchmark's arguments) as "5×4".
std::string shape_text(const std::string& args);
// The rows of "5/4": 5. Used as the plots' x and to pick the sizes from 64×64 up.
double rows_of(const std::string& args);
double cols_of(const std::string& args);
// What follows the last '/' of a name: "M1" of "svd_solve/penalty/adam/M1".
std::string last_part(const std::string& name);

// The first text_columns columns hold words, left-aligned; the rest numbers, right-aligned. A '|' in a cell is
// escaped, so a command's regex in backticks stays in its cell.
class Table {
public:
    explicit Table(std::vector<std::string> header, std::size_t text_columns = 1)
        : header_(std::move(header)), text_columns_(text_columns) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.empty(); }

    void write(std::ostream& out) const {
        write_row(out, header_);
        out << "|";
        for (std::size_t i = 0; i < header_.size(); ++i) out << (i < text_columns_ ? " --- |" : " ---: |");
        out << "\n";
        for (const std::vector<std::string>& row : rows_) write_row(out, row);
        out << "\n";
    }

private:
    static void write_row(std::ostream& out, const std::vector<std::string>& cells) {
        out << "|";
        for (const std::string& cell : cells) {
            out << " ";
            for (const char c : cell) {
                if (c == '|') out << '\\';
                out << c;
            }
            out << " |";
        }
        out << "\n";
    }

    std::vector<std::string> header_;
    std::size_t text_columns_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace tapegrad::report
