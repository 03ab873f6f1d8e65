// After warm-up, recording and differentiating the tutorial's SVD loss allocates nothing from the heap, and neither
// does an iteration of the robust methods: every operator new in this executable is counted
// (bench/allocation_counter.cpp replaces it).
#include <doctest/doctest.h>

#include "autodiff/autodiff.hpp"
#include "bench/allocation_counter.hpp"
#include "bench/handwritten.hpp"
#include "linalg/iterate.hpp"
#include "linalg/losses.hpp"
#include "linalg/inverse/methods.hpp"
#include "linalg/svd/methods.hpp"

#include <memory>
#include <tuple>

using namespace tapegrad;

namespace {

// Runs `iterations` steps of the tutorial's SVD descent at m x n and returns the heap allocations they made.
// With hvp, each step also takes an exact Hessian-vector product (along the parameters' tangents).
long allocations_per_run(std::size_t m, std::size_t n, int iterations, bool with_optimizer, bool with_hvp = false) {
    const std::size_t k = std::min(m, n);
    const Matrix M = Matrix::random(m, n, 314), I = Matrix::identity(k);
    Parameter U(Matrix::random(m, k, 1)), d(Matrix::random(1, k, 2)), V(Matrix::random(n, k, 3));
    U.tangent = Matrix::random(m, k, 4), d.tangent = Matrix::random(1, k, 5), V.tangent = Matrix::random(n, k, 6);
    Sgd sgd({&U, &d, &V}, {.lr = 0.01, .momentum = 0.9});
    Tape tape;
    const auto step = [&] {
        tape.clear();
        sgd.zero_grad();
        const Var loss = svd_penalty_loss(tape.param(U), tape.param(d), tape.param(V), M, I);
        if (with_hvp)
            hvp(loss);
        else
            backward(loss);
        if (with_optimizer) sgd.step();
    };
    for (int i = 0; i < 3; ++i) step();  // warm-up: the tape's node list and arena reach their size
    const long before = bench::heap_allocations();
    for (int i = 0; i < iterations; ++i) step();
    return bench::heap_allocations() - before;
}

}  // namespace

TEST_CASE("allocations: the counter sees allocations") {
    const long before = bench::heap_allocations();
    const Matrix m(10, 10);
    CHECK(bench::heap_allocations() - before == 1);
}

TEST_CASE("allocations: the counter sees over-aligned allocations too, as the tape's node list makes them") {
    static_assert(alignof(Node) > __STDCPP_DEFAULT_NEW_ALIGNMENT__);  // else this test would not test the aligned form
    const long before = bench::heap_allocations();
    std::vector<Node> nodes;
    nodes.reserve(3);
    CHECK(bench::heap_allocations() - before == 1);
    CHECK(reinterpret_cast<std::uintptr_t>(nodes.data()) % alignof(Node) == 0);
}

TEST_CASE("allocations: 100 iterations of the tutorial's SVD loss, record and backward, allocate nothing") {
    CHECK(allocations_per_run(5, 4, 100, false) == 0);
}

TEST_CASE("allocations: with the optimiser step and at a BLAS-sized 64x64, still nothing") {
    CHECK(allocations_per_run(5, 4, 100, true) == 0);
    CHECK(allocations_per_run(64, 64, 10, true) == 0);
}

TEST_CASE("allocations: an exact Hessian-vector product per step (forward over reverse) allocates nothing either") {
    CHECK(allocations_per_run(5, 4, 100, true, true) == 0);
    CHECK(allocations_per_run(64, 64, 10, true, true) == 0);
}

TEST_CASE("allocations: the hand-derived gradients allocate nothing per call, small and BLAS-sized") {
    for (const std::size_t n : {std::size_t{4}, std::size_t{64}}) {
        CAPTURE(n);  // before the count starts: doctest's first CAPTURE allocates
        const Matrix M = Matrix::random(n + 1, n, 314), U = Matrix::random(n + 1, n, 1), d = Matrix::random(1, n, 2),
                     V = Matrix::random(n, n, 3), X = Matrix::random(n, n, 4), square = Matrix::random(n, n, 5);
        SvdWorkspace svd_ws(n + 1, n);
        InverseWorkspace inverse_ws(n);
        Matrix dU(n + 1, n), dd(1, n), dV(n, n), dX(n, n);
        const long before = bench::heap_allocations();
        for (int i = 0; i < 10; ++i) {
            svd_penalty_loss_and_gradient(U, d, V, M, svd_ws, dU, dd, dV);
            for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both})
                inverse_loss_and_gradient(X, square, v, inverse_ws, dX);
        }
        CHECK(bench::heap_allocations() - before == 0);
    }
}

namespace {

// The heap allocations a robust method makes in `steps` iterations (step, evaluate, judge) after its first few:
// a method that stops on the way (its message is a new string) is reported as -1.
long allocations_per_iteration(Method& method, int steps) {
    History history(100);
    history.log(method.evaluate());
    const auto iteration = [&] {
        if (method.step()) return false;
        history.log(method.evaluate());
        return !method.judge(history);
    };
    for (int i = 0; i < 2; ++i)  // warm-up: the first iterations size every workspace
        if (!iteration()) return -1;
    const long before = bench::heap_allocations();
    for (int i = 0; i < steps; ++i)
        if (!iteration()) return -1;
    return bench::heap_allocations() - before;
}

}  // namespace

TEST_CASE("allocations: the Riemannian SVD methods allocate nothing per iteration, full and truncated, small and BLAS-sized") {
    for (const auto& [m, n, rank] : {std::tuple{6, 4, 0L}, std::tuple{70, 64, 0L}, std::tuple{80, 50, 3L}}) {
        CAPTURE(m);  // before the count starts: doctest's first CAPTURE allocates
        CAPTURE(rank);
        const Matrix M = Matrix::random(static_cast<std::size_t>(m), static_cast<std::size_t>(n), 314);
        const std::unique_ptr<SvdSolver> methods[] = {
            trust_region(M, TrustRegionOptions{.tolerance = 0.0, .rank = rank}),
            stiefel_cg(M, StiefelCgOptions{.tolerance = 0.0, .rank = rank}),
            stiefel_descent(M, StiefelDescentOptions{.tolerance = 0.0, .rank = rank})};
        for (const std::unique_ptr<SvdSolver>& method : methods) CHECK(allocations_per_iteration(*method, 4) == 0);
    }
}

TEST_CASE("allocations: the conjugate-gradient and Newton–Schulz inverses allocate nothing per iteration, small and BLAS-sized") {
    // CG takes about n steps, Newton–Schulz about log₂(n·κ²) + 6 (over 15 here): none stops within these five.
    for (const std::size_t n : {std::size_t{12}, std::size_t{64}}) {
        for (const InverseVariant variant : {InverseVariant::right, InverseVariant::left}) {
            CAPTURE(n);
            const Matrix M = Matrix::random(n, n, 314);
            const std::unique_ptr<InverseSolver> methods[] = {
                conjugate_gradient(M, ConjugateGradientOptions{.variant = variant, .tolerance = 0.0}),
                newton_schulz(M, NewtonSchulzOptions{.variant = variant, .tolerance = 0.0})};
            for (const std::unique_ptr<InverseSolver>& method : methods) CHECK(allocations_per_iteration(*method, 3) == 0);
        }
    }
}
