// The hand-derived gradients (bench/handwritten.hpp) against the tape's, on the same numbers: two independent
// derivations that must agree to rounding.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>

#include "autodiff/autodiff.hpp"
#include "bench/handwritten.hpp"
#include "helpers.hpp"
#include "linalg/losses.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

namespace {

constexpr double tolerance = 1e-13;
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Largest entry difference relative to the largest entry of the reference.
double relative_difference(const Matrix& got, const Matrix& reference) {
    return max_abs_diff(got, reference) / std::max(max_abs(reference), std::numeric_limits<double>::min());
}

double relative_difference(double got, double reference) { return std::abs(got - reference) / std::abs(reference); }

// Tall, square, wide and 1x1, which take the dot-product path, and 16x12 and 40x30, which are well above
// blas_threshold and take the BLAS path.
const Shape shapes[] = {{5, 4}, {4, 4}, {3, 5}, {7, 4}, {1, 1}, {16, 12}, {40, 30}};

}  // namespace

TEST_CASE("handwritten: the SVD loss and its gradients equal the tape's") {
    std::uint64_t seed = 100;
    for (const Shape shape : shapes) {
        const std::size_t m = shape.rows, n = shape.cols, k = std::min(m, n);
        CAPTURE(to_string(shape));
        const Matrix M = uniform(m, n, ++seed), I = Matrix::identity(k);
        Parameter U(uniform(m, k, ++seed)), d(uniform(1, k, ++seed)), V(uniform(n, k, ++seed));
        Tape tape;
        const Var loss = svd_penalty_loss(tape.param(U), tape.param(d), tape.param(V), M, I);
        backward(loss);

        // NaN-filled outputs, so an entry the function forgets to write fails the comparison.
        SvdWorkspace ws(m, n);
        Matrix dU(m, k, not_a_number), dd(1, k, not_a_number), dV(n, k, not_a_number);
        const double value = svd_penalty_loss_and_gradient(U.value, d.value, V.value, M, ws, dU, dd, dV);
        CHECK(relative_difference(value, loss.item()) <= tolerance);
        CHECK(relative_difference(dU, U.grad) <= tolerance);
        CHECK(relative_difference(dd, d.grad) <= tolerance);
        CHECK(relative_difference(dV, V.grad) <= tolerance);

        // The gradients are written, not added: a second call gives the same numbers.
        const Matrix first_dU = dU;
        svd_penalty_loss_and_gradient(U.value, d.value, V.value, M, ws, dU, dd, dV);
        CHECK(dU == first_dU);
    }
}

TEST_CASE("handwritten: the inverse loss and its gradient equal the tape's, for all three variants") {
    std::uint64_t seed = 200;
    for (const InverseVariant variant : {InverseVariant::right, InverseVariant::left, InverseVariant::both})
        for (const std::size_t n : {1, 4, 5, 16, 40}) {  // both paths, as above
            CAPTURE(static_cast<int>(variant));
            CAPTURE(n);
            const Matrix M = uniform(n, n, ++seed), I = Matrix::identity(n);
            Parameter X(uniform(n, n, ++seed));
            Tape tape;
            const Var loss = inverse_loss(tape.param(X), tape.constant(M), I, variant);
            backward(loss);

            InverseWorkspace ws(n);
            Matrix dX(n, n, not_a_number);
            const double value = inverse_loss_and_gradient(X.value, M, variant, ws, dX);
            CHECK(relative_difference(value, loss.item()) <= tolerance);
            CHECK(relative_difference(dX, X.grad) <= tolerance);
        }
}

TEST_CASE("handwritten: wrong shapes are reported by name") {
    SvdWorkspace ws(5, 4);
    const Matrix M(5, 4), U(5, 4), d(1, 4), V(4, 4);
    Matrix dU(5, 4), dd(1, 3), dV(4, 4);
    CHECK(error_message([&] { svd_penalty_loss_and_gradient(U, d, V, M, ws, dU, dd, dV); }) ==
          "svd_penalty_loss_and_gradient: dd is 1x3 but should be 1x4");
    InverseWorkspace inverse_ws(3);
    Matrix dX(3, 3);
    CHECK(error_message([&] { inverse_loss_and_gradient(Matrix(3, 3), Matrix(3, 2), InverseVariant::right, inverse_ws, dX); }) ==
          "inverse_loss_and_gradient: M is 3x2 but should be 3x3");
}
