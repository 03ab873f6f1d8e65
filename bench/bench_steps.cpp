// One step of each of the tutorial's descents, timed two ways: through the tape (record, backward) and with the
// hand-derived gradient (bench/handwritten.hpp), followed by the same optimiser update. The ratio of the two is
// what the tape costs over the floor.
//
// Names: svd_step_{autodiff,handwritten,hvp}/m/n and inverse_step_{autodiff,handwritten}/n/n. Counters:
// allocs_per_iter (heap allocations per timed step, after two warm-up steps) and flops (a rate: the flops of
// one step, formulas below, times iterations over time).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "autodiff/autodiff.hpp"
#include "bench/allocation_counter.hpp"
#include "bench/benchmarks.hpp"
#include "bench/step_problems.hpp"

namespace tapegrad::bench {

namespace {

// Flops of one SVD step at m×n, k = min(m, n), counted on the hand-derived algorithm (the tape does the same
// products; its extra work is copies and bookkeeping, which is no arithmetic):
//   R = U·S·Vᵀ, R·V and Rᵀ·(U·S): three m×n×k products                          6mnk
//   UᵀU and VᵀV: upper triangles only, k(k+1)/2 dot products of length m (n)   (m + n)·k(k+1)
//   U·E_U and V·E_V                                                               2(m + n)·k²
//   R − M and ‖R‖²: 3mn;  U·S and the dU/dd pass: 6mk;  ‖E_U‖², ‖E_V‖²: 2k²
//   the optimiser: momentum buffer and parameter update, 4 per parameter entry   4(mk + k + nk)
double svd_step_flops(std::size_t m, std::size_t n) {
    const double M = static_cast<double>(m), N = static_cast<double>(n), K = static_cast<double>(std::min(m, n));
    return 6 * M * N * K + (M + N) * K * (K + 1) + 2 * (M + N) * K * K + 3 * M * N + 6 * M * K + 2 * K * K +
           4 * (M * K + K + N * K);
}

// Flops of one inverse step at n×n (right variant): X·M and (X·M − I)·Mᵀ, two n³ products: 4n³;
// ‖X·M − I‖²: 2n²; the optimiser: 4n².
double inverse_step_flops(std::size_t n) {
    const double N = static_cast<double>(n);
    return 4 * N * N * N + 6 * N * N;
}

// Runs `step` twice to warm up, then times it, and reports the allocations the timed steps made and the flop
// rate. Two, because the tape's first step grows its arena block by block and the second step's clear() merges
// the blocks into one (one allocation); from then on the arena and the node list are big enough.
template <class Step>
void time_steps(benchmark::State& state, Step step, double flops_per_step) {
    step();
    step();
    const long before = heap_allocations();
    for (auto _ : state) step();
    const long allocations = heap_allocations() - before;
    state.counters["allocs_per_iter"] = static_cast<double>(allocations) / static_cast<double>(state.iterations());
    state.counters["flops"] = benchmark::Counter(flops_per_step, benchmark::Counter::kIsIterationInvariantRate);
}

// A step that produced NaN or Inf measured nothing worth reporting.
void require_finite(benchmark::State& state, std::initializer_list<const Parameter*> params) {
    for (const Parameter* p : params)
        if (!all_finite(p->value)) return state.SkipWithError("the descent diverged: a parameter is not finite");
}

std::size_t arg(const benchmark::State& state, int i) { return static_cast<std::size_t>(state.range(i)); }

void svd_step_autodiff(benchmark::State& state) {
    SvdProblem p(arg(state, 0), arg(state, 1));
    time_steps(state, [&] { p.step_autodiff(); }, svd_step_flops(arg(state, 0), arg(state, 1)));
    require_finite(state, {&p.U, &p.d, &p.V});
}

// The autodiff step with an exact Hessian-vector product along fixed random tangents in place of backward (hvp
// runs the reverse sweep too): its ratio to svd_step_autodiff is what the second order costs.
void svd_step_hvp(benchmark::State& state) {
    SvdProblem p(arg(state, 0), arg(state, 1));
    for (Parameter* x : {&p.U, &p.d, &p.V}) x->tangent = Matrix::random(x->value.rows(), x->value.cols(), 4);
    time_steps(state, [&] {
        p.tape.clear();
        p.sgd.zero_grad();
        hvp(svd_penalty_loss(p.tape.param_view(p.U), p.tape.param_view(p.d), p.tape.param_view(p.V), p.M, p.I));
        p.sgd.step();
    }, svd_step_flops(arg(state, 0), arg(state, 1)));
    require_finite(state, {&p.U, &p.d, &p.V});
}

void svd_step_handwritten(benchmark::State& state) {
    SvdProblem p(arg(state, 0), arg(state, 1));
    time_steps(state, [&] { p.step_handwritten(); }, svd_step_flops(arg(state, 0), arg(state, 1)));
    require_finite(state, {&p.U, &p.d, &p.V});
}

void inverse_step_autodiff(benchmark::State& state) {
    InverseProblem p(arg(state, 0));
    time_steps(state, [&] { p.step_autodiff(); }, inverse_step_flops(arg(state, 0)));
    require_finite(state, {&p.X});
}

void inverse_step_handwritten(benchmark::State& state) {
    InverseProblem p(arg(state, 0));
    time_steps(state, [&] { p.step_handwritten(); }, inverse_step_flops(arg(state, 0)));
    require_finite(state, {&p.X});
}

// One family: a name and its (rows, cols) arguments, timed in microseconds.
void register_family(const char* name, void (*run)(benchmark::State&), const std::vector<Shape>& shapes) {
    benchmark::internal::Benchmark* family = benchmark::RegisterBenchmark(name, run);
    for (const Shape s : shapes) family->Args({static_cast<std::int64_t>(s.rows), static_cast<std::int64_t>(s.cols)});
    family->Unit(benchmark::kMicrosecond);
}

}  // namespace

void register_step_benchmarks() {
    const std::vector<Shape> svd_shapes = {{5, 4}, {16, 16}, {64, 64}, {256, 256}, {512, 512}};
    const std::vector<Shape> inverse_shapes = {{4, 4}, {16, 16}, {64, 64}, {256, 256}, {512, 512}};
    register_family("svd_step_autodiff", svd_step_autodiff, svd_shapes);
    register_family("svd_step_handwritten", svd_step_handwritten, svd_shapes);
    register_family("svd_step_hvp", svd_step_hvp, svd_shapes);
    register_family("inverse_step_autodiff", inverse_step_autodiff, inverse_shapes);
    register_family("inverse_step_handwritten", inverse_step_handwritten, inverse_shapes);
}

}  // namespace tapegrad::bench
