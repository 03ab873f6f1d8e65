// The docs' numbers are the programs' (scripts/generate-docs.sh fills their generated blocks): these tests hold
// docs/svd.md to what the programs print now, so a change that moves a number fails here until make bench is
// run again.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <string>

#include "helpers.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;
using testing::read_file;
using testing::TempDir;

namespace {

// The text between "<!-- generated: command -->\n" and "<!-- end generated -->" in the file; "" if none.
std::string generated_block(const std::string& text, const std::string& command) {
    const std::string begin = "<!-- generated: " + command + " -->\n";
    const std::size_t at = text.find(begin);
    if (at == std::string::npos) return "";
    const std::size_t start = at + begin.size();
    return text.substr(start, text.find("<!-- end generated -->", start) - start);
}

// Errors at the level of rounding (below 1e-13, e.g. "1.9e-16") written as "<1e-13": their last digits depend on
// the CPU's BLAS kernels, the rest of the table does not.
std::string rounding_masked(const std::string& table) {
    std::string out;
    std::size_t from = 0;
    for (std::size_t e = table.find("e-"); e != std::string::npos; e = table.find("e-", e + 2)) {
        std::size_t end = e + 2;
        while (end < table.size() && std::isdigit(static_cast<unsigned char>(table[end]))) ++end;
        const bool mantissa = e >= from + 3 && std::isdigit(static_cast<unsigned char>(table[e - 3])) &&
                              table[e - 2] == '.' && std::isdigit(static_cast<unsigned char>(table[e - 1]));
        if (!mantissa || end == e + 2 || std::stoi(table.substr(e + 2, end - e - 2)) < 13) continue;
        out += table.substr(from, e - 3 - from) + "<1e-13";  // "d.de-NN", NN ≥ 13
        from = end;
    }
    return out + table.substr(from);
}

std::string svd_md() { return read_file(std::string(TAPEGRAD_SOURCE_DIR) + "/docs/svd.md"); }

}  // namespace

TEST_CASE("docs/svd.md: the convergence table on M1 is what svd_convergence --table prints") {
    const TempDir dir;
    const std::string command = std::string(TAPEGRAD_BIN_DIR) + "/svd_convergence --table > " + (dir / "table").string();
    REQUIRE(std::system(command.c_str()) == 0);
    const std::string printed = read_file(dir / "table");
    CHECK(printed.find("(converged)") != std::string::npos);
    CHECK(rounding_masked(generated_block(svd_md(), "build/bin/svd_convergence --table")) == rounding_masked(printed));
}

TEST_CASE("docs/svd.md: the iterations and tape passes of each method on M1 are the methods' own") {
    const std::string block = generated_block(svd_md(), "build/bin/svd_timing 200");
    REQUIRE(!block.empty());
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    for (const SvdMethod method : all_svd_methods) {
        const std::string name(to_string(method));
        CAPTURE(name);
        const Report report = svd_by_descent(M1, default_svd_options(method)).report;
        const std::string row = "| `" + name + "` | " + std::to_string(report.iterations) + " | " +
                                std::to_string(report.tape_passes) + " | ";
        CHECK(block.find(row) != std::string::npos);
    }
}
