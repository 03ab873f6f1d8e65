#pragma once
// Small helpers shared by the tests.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "autodiff/autodiff.hpp"

namespace tapegrad::testing {

// A seeded random matrix with entries uniform in [low, high).
inline Matrix uniform(std::size_t rows, std::size_t cols, std::uint64_t seed, double low = -1.0, double high = 1.0) {
    Random rng(seed);
    Matrix m(rows, cols);
    for (std::size_t k = 0; k < m.size(); ++k) m.data()[k] = rng.uniform(low, high);
    return m;
}

// The message of the exception f throws, or "" if it throws none.
template <class F>
std::string error_message(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

// The whole of a text file; "" if there is none.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The curves of a plot that gnuplot drew as SVG: the legend entry of each series that draws more than its legend
// sample, in order. gnuplot writes a series as <g id="gnuplot_plot_N"><title>entry</title>...</g>, its line as a
// path of "L" segments (the sample is one of them), its points as <use> marks (the sample is one).
inline std::vector<std::string> plotted_series(const std::string& svg) {
    const auto count = [](const std::string& text, const std::string& part) {
        std::size_t n = 0;
        for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
        return n;
    };
    const std::string group = "<g id=\"gnuplot_plot_";
    std::vector<std::string> titles;
    for (std::size_t at = svg.find(group); at != std::string::npos;) {
        const std::size_t next = svg.find(group, at + 1);
        const std::string body = svg.substr(at, next == std::string::npos ? std::string::npos : next - at);
        const std::size_t begin = body.find("<title>") + 7;
        const std::string title = body.substr(begin, body.find("</title>") - begin);
        if (title.rfind("gnuplot_plot_", 0) != 0 && count(body, " L") + count(body, "<use") > 1) titles.push_back(title);
        at = next;
    }
    return titles;
}

// A fresh directory under the system's temporary directory, removed with all it holds when this goes out of
// scope. Its name is random, so test processes that ctest runs in parallel never share one.
class TempDir {
public:
    TempDir() {
        std::random_device entropy;
        do path_ = std::filesystem::temp_directory_path() / ("tapegrad-test-" + std::to_string(entropy()));
        while (!std::filesystem::create_directory(path_));  // false: it already existed, draw another name
    }
    ~TempDir() {
        std::error_code ignored;  // a destructor must not throw; a leftover temporary directory is harmless
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// What a program run as a user runs it did: its exit status, stdout and stderr.
struct Run {
    int exit_code = -1;
    std::string out, err;
};

// Runs build/bin/<program> <args> with a time limit, capturing stdout, stderr and the exit status; `environment`
// (e.g. "PATH=/nonexistent") is set for the program alone.
inline Run run(const std::string& program, const std::string& args, const std::string& environment = "") {
    const TempDir dir;
    const std::string command = "timeout 120 env " + environment + " " + std::string(TAPEGRAD_BIN_DIR) + "/" + program +
                                " " + args + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
    const int status = std::system(command.c_str());
    Run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(dir / "out");
    r.err = read_file(dir / "err");
    return r;
}

}  // namespace tapegrad::testing
