#pragma once
// The report's section on solvers at scale (issue 9): the whole-solve families of bench_scale.cpp and
// bench_truncated.cpp as tables, and two log-log plots of time against n.
#include <filesystem>
#include <ostream>
#include <vector>

#include "bench/report_results.hpp"
#include "io/output_dir.hpp"
#include "bench/report_targets.hpp"

namespace tapegrad::report {

// The tables: the full SVD by trust region and the CG inverse against LAPACK at each n, and the truncated SVD
// against Spectra and dgesdd; with the plots' images where they were drawn. "(not run)" where nothing ran.
void write_scale(std::ostream& out, const BenchmarkResults& results, const std::filesystem::path& dir);

// benchmarks_scale.{csv,svg} in out (time against n: trust region, dgesdd, CG inverse, dgetrf+dgetri) and
// benchmarks_truncated.{csv,svg} (k = 5: trust region, Spectra, dgesdd, both spectra). A plot with nothing to
// draw is skipped (true); false if gnuplot did not draw one.
bool plot_scale(const BenchmarkResults& results, OutputDir& out);

// Issue 9's targets, at the sizes the run measured: the trust region ≤ 10× dgesdd from 4 to 256 and ≤ 20× at 512;
// the 5 largest triplets at 2000×1000 faster than dgesdd and within 3× of Spectra, every σ within 1e-8·σ₁; the CG
// inverse ≤ 10× dgetrf + dgetri from 4 to 256.
std::vector<Target> scale_targets(const BenchmarkResults& results);

}  // namespace tapegrad::report
