#pragma once
// The report's section on solvers at scale (issue 9): the whole-solve families of bench_scale.cpp and
// bench_truncated.cpp as tables, and two log-log plots of time against n.
#include <filesystem>
#include <ostream>

#include "bench/report_results.hpp"

namespace tapegrad::report {

// The tables: the full SVD by trust region and the CG inverse against LAPACK at each n, and the truncated SVD
// against Spectra and dgesdd; with the plots' images where they were drawn. "(not run)" where nothing ran.
void write_scale(std::ostream& out, const BenchmarkResults& results, const std::filesystem::path& dir);

// dir/benchmarks_scale.{csv,svg} (time against n: trust region, dgesdd, CG inverse, dgetrf+dgetri) and
// dir/benchmarks_truncated.{csv,svg} (k = 5: trust region, Spectra, dgesdd, both spectra). A plot with nothing to
// draw is skipped (true); false if gnuplot did not draw one.
bool plot_scale(const BenchmarkResults& results, const std::filesystem::path& dir);

}  // namespace tapegrad::report
