#pragma once
// Each benchmark file registers its family with Google Benchmark; main() calls these before running them.
namespace tapegrad::bench {

void register_step_benchmarks();    // bench_steps.cpp: one descent step, tape vs hand-derived gradient
void register_lapack_benchmarks();  // bench_lapack.cpp: LAPACK's direct SVD and inverse, for scale
void register_gemm_benchmarks();    // bench_gemm.cpp: our loops vs OpenBLAS, to place blas_threshold
void register_solve_benchmarks();   // bench_solve.cpp: whole descents to a tolerance on the tutorial's matrices
void register_scale_benchmarks();   // bench_scale.cpp: whole solves on random n×n, n = 4 to 512, against LAPACK
void register_truncated_benchmarks();  // bench_truncated.cpp: the k largest triplets vs Spectra and dgesdd

}  // namespace tapegrad::bench
