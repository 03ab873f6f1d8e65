// step_costs: one descent step of bench/step_problems.hpp, run many times, for scripts/step-costs.sh to count
// under callgrind. Instruction counts repeat to the instruction from run to run, where times on a shared
// machine move by 10–30%, so they show what a change to the engine saves. Callgrind counts only inside
// counted_steps (--toggle-collect), after two warm-up steps: the counts are the steps' and nothing else's.
//
//   step_costs <svd|inverse> <autodiff|handwritten> <rows> <cols> <steps>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bench/step_problems.hpp"

namespace {

template <class Problem>
void step(Problem& problem, bool autodiff) {
    autodiff ? problem.step_autodiff() : problem.step_handwritten();
}

// The steps callgrind counts, after two warm-up steps (the tape's arena and node list reach their size).
template <class Problem>
[[gnu::noinline]] void counted_steps(Problem& problem, bool autodiff, long steps) {
    for (long i = 0; i < steps; ++i) step(problem, autodiff);
}

template <class Problem>
void run(Problem& problem, bool autodiff, long steps) {
    step(problem, autodiff);
    step(problem, autodiff);
    counted_steps(problem, autodiff, steps);
}

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr, "step_costs: %s\nusage: step_costs <svd|inverse> <autodiff|handwritten> <rows> <cols> <steps>\n",
                 why.c_str());
    std::exit(2);
}

long positive(const char* text, const char* what) {
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || value <= 0) usage(std::string(what) + " must be a positive integer, got '" + text + "'");
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace tapegrad;
    if (argc != 6) usage("expects 5 arguments, got " + std::to_string(argc - 1));
    const std::string_view problem = argv[1], way = argv[2];
    if (way != "autodiff" && way != "handwritten") usage("the second argument is autodiff or handwritten, got '" + std::string(way) + "'");
    const bool autodiff = way == "autodiff";
    const auto rows = static_cast<std::size_t>(positive(argv[3], "rows"));
    const auto cols = static_cast<std::size_t>(positive(argv[4], "cols"));
    const long steps = positive(argv[5], "steps");
    bool finite = false;
    if (problem == "svd") {
        bench::SvdProblem p(rows, cols);
        run(p, autodiff, steps);
        finite = all_finite(p.U.value) && all_finite(p.d.value) && all_finite(p.V.value);
    } else if (problem == "inverse") {
        if (rows != cols) usage("the inverse problem is square, got " + std::to_string(rows) + "x" + std::to_string(cols));
        bench::InverseProblem p(rows);
        run(p, autodiff, steps);
        finite = all_finite(p.X.value);
    } else {
        usage("the first argument is svd or inverse, got '" + std::string(problem) + "'");
    }
    if (!finite) {
        std::fprintf(stderr, "step_costs: the descent diverged (a parameter is not finite)\n");
        return 1;
    }
    return 0;
}
