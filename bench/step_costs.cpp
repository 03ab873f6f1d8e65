// step_costs: one descent step of bench/step_problems.hpp, run many times, for scripts/step-costs.sh to count
// under callgrind. Instruction counts repeat to the instruction from run to run, where times on a shared
// machine move by 10–30%, so they show what a change to the engine saves. Callgrind counts only inside
// counted_steps (--toggle-collect), after two warm-up steps: the counts are the steps' and nothing else's.
//
// `ratio` times instead: blocks of <steps> tape steps and <steps> hand-derived steps, alternating, and prints the
// median of the blocks' tape ÷ hand ratios. A shared core's speed drifts widely from one minute to the next; two
// blocks milliseconds apart see the same speed, where two benchmarks run minutes apart may not, so this is the
// ratio to trust when comparing two builds of the engine.
//
//   step_costs <svd|inverse> <autodiff|handwritten|ratio> <rows> <cols> <steps>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

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

// The `ratio` way: 21 rounds of a tape block then a hand-derived block; the median ratio, and each way's fastest.
template <class Problem>
void time_ratio(const std::string& name, Problem& problem, long steps) {
    constexpr int rounds = 21;
    run(problem, true, 1);
    run(problem, false, 1);
    using Clock = std::chrono::steady_clock;
    const auto ns_per_step = [steps](Clock::time_point from, Clock::time_point to) {
        return std::chrono::duration<double, std::nano>(to - from).count() / static_cast<double>(steps);
    };
    std::vector<double> ratios;
    double fastest_tape = std::numeric_limits<double>::infinity(), fastest_hand = fastest_tape;
    for (int round = 0; round < rounds; ++round) {
        const bool tape_first = round % 2 == 0;  // each way goes first in every other round, so neither gains by place
        const Clock::time_point start = Clock::now();
        counted_steps(problem, tape_first, steps);
        const Clock::time_point middle = Clock::now();
        counted_steps(problem, !tape_first, steps);
        const Clock::time_point end = Clock::now();
        const double first = ns_per_step(start, middle), second = ns_per_step(middle, end);
        const double tape = tape_first ? first : second, hand = tape_first ? second : first;
        fastest_tape = std::min(fastest_tape, tape);
        fastest_hand = std::min(fastest_hand, hand);
        ratios.push_back(tape / hand);
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("%s: tape ÷ hand-derived %.3f (median of %d rounds; from %.3f to %.3f); fastest block: tape %.0f ns, "
                "hand-derived %.0f ns a step.\n",
                name.c_str(), ratios[rounds / 2], rounds, ratios.front(), ratios.back(), fastest_tape, fastest_hand);
}

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr, "step_costs: %s\nusage: step_costs <svd|inverse> <autodiff|handwritten|ratio> <rows> <cols> <steps>\n",
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
    if (way != "autodiff" && way != "handwritten" && way != "ratio")
        usage("the second argument is autodiff, handwritten or ratio, got '" + std::string(way) + "'");
    const bool autodiff = way == "autodiff", ratio = way == "ratio";
    const auto rows = static_cast<std::size_t>(positive(argv[3], "rows"));
    const auto cols = static_cast<std::size_t>(positive(argv[4], "cols"));
    const long steps = positive(argv[5], "steps");
    const std::string size = std::to_string(rows) + "×" + std::to_string(cols);
    bool finite = false;
    if (problem == "svd") {
        bench::SvdProblem p(rows, cols);
        ratio ? time_ratio("SVD step at " + size, p, steps) : run(p, autodiff, steps);
        finite = all_finite(p.U.value) && all_finite(p.d.value) && all_finite(p.V.value);
    } else if (problem == "inverse") {
        if (rows != cols) usage("the inverse problem is square, got " + std::to_string(rows) + "x" + std::to_string(cols));
        bench::InverseProblem p(rows);
        ratio ? time_ratio("inverse step at " + size, p, steps) : run(p, autodiff, steps);
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
