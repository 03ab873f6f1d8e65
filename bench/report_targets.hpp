#pragma once
// The benchmark report's targets (docs/benchmarks.md, "Targets"): each goal, what the run measured, and whether it
// is met, decided here from the results, so the page cannot claim more than the run measured.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bench/report_results.hpp"

namespace tapegrad::report {

// (Every member has an initializer, so a designated initializer may leave any out without a warning.)
struct Target {
    std::string goal{};
    std::string measured{};
    std::optional<bool> met{};  // nullopt: the run did not measure it
    std::string shortfall{};    // where not met: by how much
};

// Every target, measured or not, in the page's order.
std::vector<Target> targets(const BenchmarkResults& results);

// The "Targets" section: how many are met, the shortfalls, and a table of them all.
void write_targets(std::ostream& out, const std::vector<Target>& all);

}  // namespace tapegrad::report
