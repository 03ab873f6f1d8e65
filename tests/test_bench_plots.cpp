// The bench tools' plots, drawn as make bench draws them: tapegrad_method_plots (docs/img/*_methods.svg) and
// tapegrad_report's two step plots (docs/benchmarks*.svg), each checked for the series it was asked for and, through
// the CSV it was drawn from, for the numbers.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "helpers.hpp"

using tapegrad::testing::plotted_series;
using tapegrad::testing::read_file;
using tapegrad::testing::TempDir;

namespace {

// Runs build/bin/<program> <args>, its output into dir/log; its exit status.
int run(const std::string& program, const std::string& args, const TempDir& dir) {
    const std::string command = "timeout 120 " + std::string(TAPEGRAD_BIN_DIR) + "/" + program + " " + args + " >" +
                                (dir / "log").string() + " 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A CSV's lines.
std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> all;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) all.push_back(line);
    return all;
}

}  // namespace

TEST_CASE("tapegrad_method_plots: every method's error on M1, for the SVD and the inverse") {
    const TempDir out;
    REQUIRE(run("tapegrad_method_plots", "--out " + out.path().string(), out) == 0);
    CHECK(plotted_series(read_file(out / "svd_methods.svg")) ==
          std::vector<std::string>{"penalty (the tutorial's)", "stiefel", "stiefel-cg", "trust-region"});
    CHECK(plotted_series(read_file(out / "inverse_methods.svg")) ==
          std::vector<std::string>{"descent (the tutorial's)", "scaled_descent", "line_search", "conjugate_gradient",
                                   "newton_schulz"});
    const std::vector<std::string> svd = lines(read_file(out / "svd_methods.csv"));
    REQUIRE(svd.size() > 20);
    CHECK(svd[0] == "iteration,penalty,stiefel,stiefel-cg,trust-region");
    CHECK(svd[1].rfind("1,", 0) == 0);
    CHECK(svd.back().rfind("20000,", 0) == 0);  // the penalty method's 20,000 iterations
    // The inverse's first row: the methods' starting residuals ‖X·M − I‖_F, all of order 1.
    const std::vector<std::string> inverse = lines(read_file(out / "inverse_methods.csv"));
    CHECK(inverse[0] == "iteration,descent,scaled_descent,line_search,conjugate_gradient,newton_schulz");
    CHECK(inverse.back().rfind("10000,", 0) == 0);  // the tutorial's 10,000 iterations
    const std::string svg = read_file(out / "svd_methods.svg");
    CHECK(svg.find("LAPACK's own accuracy") != std::string::npos);  // the floor, labelled
}

TEST_CASE("tapegrad_report: the step plots hold the tape, the hand-derived gradient and PyTorch, at each size") {
    const TempDir dir;
    // Google Benchmark's JSON for two sizes of each step, and bench/pytorch_reference.py's for one of them.
    std::ofstream(dir / "results.json") << R"({"context": {}, "benchmarks": [
        {"name": "svd_step_autodiff/5/4", "cpu_time": 550, "real_time": 560, "time_unit": "ns"},
        {"name": "svd_step_handwritten/5/4", "cpu_time": 230, "real_time": 240, "time_unit": "ns"},
        {"name": "svd_step_autodiff/64/64", "cpu_time": 77.5, "real_time": 78, "time_unit": "us"},
        {"name": "svd_step_handwritten/64/64", "cpu_time": 67.9, "real_time": 68, "time_unit": "us"},
        {"name": "inverse_step_autodiff/4/4", "cpu_time": 162, "real_time": 170, "time_unit": "ns"},
        {"name": "inverse_step_handwritten/4/4", "cpu_time": 58.8, "real_time": 60, "time_unit": "ns"}]})";
    std::ofstream(dir / "pytorch.json") << R"({"context": {}, "command": "test",
        "svd_step_tutorial": [{"m": 5, "n": 4, "us_per_step": 91.8}], "svd_step_broadcast": [],
        "inverse_step": []})";
    const std::string args = "--results " + (dir / "results.json").string() + " --pytorch " +
                             (dir / "pytorch.json").string() + " --out " + dir.path().string();
    REQUIRE(run("tapegrad_report", args, dir) == 0);
    CHECK(plotted_series(read_file(dir / "benchmarks.svg")) ==
          std::vector<std::string>{"tapegrad, tape", "tapegrad, hand-derived gradient", "PyTorch, the tutorial's loop"});
    CHECK(read_file(dir / "benchmarks.csv") == "n,tape,hand-derived,PyTorch\n5,0.55,0.23,91.8\n64,77.5,67.9,\n");
    CHECK(plotted_series(read_file(dir / "benchmarks_inverse.svg")) ==
          std::vector<std::string>{"tapegrad, tape", "tapegrad, hand-derived gradient"});  // no PyTorch inverse times
    CHECK(read_file(dir / "benchmarks_inverse.csv") == "n,tape,hand-derived\n4,0.162,0.0588\n");
    const std::string page = read_file(dir / "benchmarks.md");
    CHECK(page.find("| 5×4 | 550 ns | 230 ns | 2.39 |") != std::string::npos);
    CHECK(page.find("](benchmarks.svg)") != std::string::npos);  // the plots are on the page
    CHECK(page.find("{{") == std::string::npos);                  // every part of the template filled in
}

TEST_CASE("tapegrad_report: sizes in the order the benchmarks were registered, though their repetitions ran interleaved") {
    const TempDir dir;
    // make bench interleaves repetitions at random, so the JSON can hold the larger size first; Google Benchmark's
    // family and instance indices say where each was registered.
    // 16/16 after 5/4: an order by name would put it first.
    std::ofstream(dir / "results.json") << R"({"context": {}, "benchmarks": [
        {"name": "svd_step_handwritten/16/16", "family_index": 1, "per_family_instance_index": 1, "cpu_time": 3.19, "real_time": 3.2, "time_unit": "us"},
        {"name": "svd_step_autodiff/16/16", "family_index": 0, "per_family_instance_index": 1, "cpu_time": 4.18, "real_time": 4.2, "time_unit": "us"},
        {"name": "svd_step_handwritten/5/4", "family_index": 1, "per_family_instance_index": 0, "cpu_time": 230, "real_time": 240, "time_unit": "ns"},
        {"name": "svd_step_autodiff/5/4", "family_index": 0, "per_family_instance_index": 0, "cpu_time": 550, "real_time": 560, "time_unit": "ns"}]})";
    std::ofstream(dir / "pytorch.json") << R"({"context": {}, "command": "test", "svd_step_tutorial": [],
        "svd_step_broadcast": [], "inverse_step": []})";
    const std::string args = "--results " + (dir / "results.json").string() + " --pytorch " +
                             (dir / "pytorch.json").string() + " --out " + dir.path().string();
    REQUIRE(run("tapegrad_report", args, dir) == 0);
    CHECK(read_file(dir / "benchmarks.csv") == "n,tape,hand-derived\n5,0.55,0.23\n16,4.18,3.19\n");
    const std::string page = read_file(dir / "benchmarks.md");
    const std::size_t small = page.find("| 5×4 | 550 ns | 230 ns |"), large = page.find("| 16×16 | 4.18 µs | 3.19 µs |");
    REQUIRE(small != std::string::npos);
    REQUIRE(large != std::string::npos);
    CHECK(small < large);
}
