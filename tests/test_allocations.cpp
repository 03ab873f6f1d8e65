// After warm-up, recording and differentiating the tutorial's SVD loss allocates nothing from the heap:
// every operator new in this executable is counted (bench/allocation_counter.cpp replaces it).
#include <doctest/doctest.h>

#include "autodiff/autodiff.hpp"
#include "bench/allocation_counter.hpp"
#include "bench/handwritten.hpp"
#include "linalg/losses.hpp"

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
