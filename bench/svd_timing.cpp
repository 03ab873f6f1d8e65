// Wall time of each SVD method on the tutorial's M1 against LAPACK's dgesdd on the same matrix, in one run:
// each is repeated `reps` times per round, and the fastest of 20 rounds is kept (the least disturbed by
// anything else on the machine). docs/svd.md quotes it.
//
//   build/bin/svd_timing [reps]     (default 2000), a markdown table on stdout
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "io/tutorial_matrices.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;

namespace {

template <class F>
double seconds_per_call(F f, int reps) {
    double best = 1e300, sink = 0.0;
    for (int round = 0; round < 20; ++round) {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; ++i) sink += f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / reps);
    }
    if (sink == 0.123456789) std::printf(" ");  // keeps the calls from being optimised away
    return best;
}

// "24 µs", "16.9 ms": three digits at most.
std::string time_text(double seconds) {
    char text[32];
    if (seconds < 1e-3) std::snprintf(text, sizeof text, "%.3g µs", seconds * 1e6);
    else std::snprintf(text, sizeof text, "%.3g ms", seconds * 1e3);
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::stoi(argv[1]) : 2000;
    // io/data/svd_M1_5x4.csv: torch.manual_seed(314); torch.rand(5, 4), in float32.
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    const double lapack = seconds_per_call([&] { return lapack_svd(M1).singular_values[0]; }, reps);
    // A markdown table: docs/svd.md shows it as printed (scripts/generate-docs.sh).
    std::printf("| | iterations | tape passes | time | vs LAPACK dgesdd (%.2g µs) |\n| --- | --- | --- | --- | --- |\n", lapack * 1e6);
    for (const SvdMethod method : {SvdMethod::trust_region, SvdMethod::stiefel_cg, SvdMethod::stiefel_descent, SvdMethod::penalty}) {
        const SvdOptions options = default_svd_options(method);
        const SvdResult r = svd_by_descent(M1, options);
        const int n = method == SvdMethod::penalty ? std::max(1, reps / 500) : reps;  // 20,000 steps a call
        const double t = seconds_per_call([&] { return svd_by_descent(M1, options).singular_values[0]; }, n);
        std::printf("| `%s` | %ld | %ld | %s | %.*f× |\n", std::string(to_string(method)).c_str(), r.report.iterations,
                    r.report.tape_passes, time_text(t).c_str(), t / lapack < 100 ? 1 : 0, t / lapack);
    }
}
