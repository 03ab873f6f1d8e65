#include "linalg/svd/brockett.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "autodiff/gemm.hpp"
#include "autodiff/random.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

Var brockett_cost(const Var& U, const Var& V, const Var& M, const Var& weights) {
    return -sum(U * matmul(M, V) * weights);  // weights, a 1×k row, scales column j by w_j (broadcasting)
}

namespace {

Matrix tall(const Matrix& M) { return M.rows() < M.cols() ? M.transpose() : M; }

// How many triplets to find: rank, or all min(m, n) of them for rank 0.
std::size_t triplets_wanted(const Matrix& M, std::size_t rank) {
    const std::size_t most = std::min(M.rows(), M.cols());
    if (rank > most)
        throw std::invalid_argument("svd_by_descent: rank " + std::to_string(rank) + " is more than min(m, n) = " +
                                    std::to_string(most) + " for a " + to_string(M.shape()) + " matrix");
    return rank == 0 ? most : rank;
}

}  // namespace

BrockettProblem::BrockettProblem(const Matrix& M, std::size_t rank)
    : A_(tall(M)), k_(triplets_wanted(M, rank)), wide_(M.rows() < M.cols()), weights_(1, k_), U_(Matrix(A_.rows(), k_)),
      V_(Matrix(A_.cols(), k_)), OU_(k_, k_), OV_(k_, k_), ZU_(k_, k_), ZV_(k_, k_), scale_(k_) {
    // Divide by a power of two near the largest entry first (exact), so the sum of squares in the norm can
    // neither overflow (entries near 1e308) nor underflow (near 1e-300). The zero matrix stays as it is: its
    // gradient is 0 from the start.
    const double largest = max_abs(A_);
    if (largest > 0.0) {
        exponent_ = std::ilogb(largest);
        scale_by_power_of_two(A_.ref(), -exponent_);
        norm_ = frobenius_norm(A_);
        A_ *= 1.0 / norm_;
    }
    for (std::size_t j = 0; j < k(); ++j) weights_(0, j) = static_cast<double>(k() - j);  // N = diag(k, ..., 1)
}

std::size_t BrockettProblem::dimension() const { return m() * k() + n() * k() - k() * (k() + 1); }

StiefelPair BrockettProblem::guess(std::uint64_t seed) const {
    Random rng(seed);
    StiefelPair x;
    x.V = random_stiefel(n(), k(), rng);
    x.U = orthonormalize(matmul(A_, x.V));
    return x;
}

double BrockettProblem::record_and_backward() {
    ++tape_passes_;
    tape_.clear();
    U_.zero_grad();
    V_.zero_grad();
    // A is read in place, not copied onto the tape on every pass: the copy cost as much as a product with A.
    cost_ = brockett_cost(tape_.param(U_), tape_.param(V_), tape_.constant_view(A_), tape_.constant_view(weights_));
    backward(cost_);
    return cost_.item();
}

// Forward over reverse on the recording at x (made again only if the tape holds another point, such as a
// rejected candidate): no step size, no lost digits, no recording.
void BrockettProblem::exact_gradient_derivative(const StiefelPair& x, const StiefelPair& eta) {
    if (!(U_.value == x.U && V_.value == x.V)) {
        U_.value = x.U;
        V_.value = x.V;
        record_and_backward();
    }
    ++tape_passes_;
    U_.tangent = eta.U;
    V_.tangent = eta.V;
    U_.zero_grad();
    V_.zero_grad();
    hvp(cost_);
}

BrockettProblem::Evaluation BrockettProblem::evaluate(const StiefelPair& x) {
    Evaluation e;
    evaluate(x, e);
    return e;
}

void BrockettProblem::evaluate(const StiefelPair& x, Evaluation& e) {
    U_.value = x.U;  // copies into storage of the same shape: no allocation
    V_.value = x.V;
    e.cost = record_and_backward();
    e.egrad.U = U_.grad;
    e.egrad.V = V_.grad;
    // The Riemannian gradient: each factor's Euclidean gradient G minus X·sym(XᵀG) (stiefel.hpp's project,
    // keeping sym(XᵀG), which the Hessian needs again).
    project_into(x.U, e.egrad.U, e.grad.U, e.sym_U);
    project_into(x.V, e.egrad.V, e.grad.V, e.sym_V);
    e.grad_norm = norm(e.grad);
    e.loss = 0.0;
    // The tape's ∂f/∂U is -A·V·N and its ∂f/∂V is -Aᵀ·U·N, so A·V and Aᵀ·U come free: σ_j = Σ_i U_ij·(AV)_ij,
    // and, V being square and orthogonal when k = n, ‖A - U·diag(σ)·Vᵀ‖_F = ‖A·V - U·diag(σ)‖_F. Truncated, the
    // residuals of both sides: row-major loops, a running sum per column.
    e.sigma.assign(k(), 0.0);
    for (std::size_t i = 0; i < m(); ++i)
        for (std::size_t j = 0; j < k(); ++j) e.sigma[j] -= x.U(i, j) * e.egrad.U(i, j) / weights_(0, j);
    for (std::size_t i = 0; i < m(); ++i)
        for (std::size_t j = 0; j < k(); ++j) {
            const double r = -e.egrad.U(i, j) / weights_(0, j) - x.U(i, j) * e.sigma[j];
            e.loss += r * r;
        }
    if (truncated())
        for (std::size_t i = 0; i < n(); ++i)
            for (std::size_t j = 0; j < k(); ++j) {
                const double r = -e.egrad.V(i, j) / weights_(0, j) - x.V(i, j) * e.sigma[j];
                e.loss += r * r;
            }
}

// Hess f(x)[η] = project(x, D egrad(x)[η] - η·sym(xᵀ·egrad(x))) for each factor. The second term is the
// manifold's curvature (docs/svd.md). D egrad(x)[η], the derivative of the tape's gradient along η, is either
// the tape's exact Hessian-vector product or a finite difference of two tape gradients, as in Manopt; for this
// cost the difference is exact too, because egrad(U, V) =
// (-A·V·N, -Aᵀ·U·N) is linear in (U, V): any step t gives the same difference, up to rounding, which is
// smallest when x + t·η is about as large as x (‖x‖_F = sqrt(2k)).
StiefelPair BrockettProblem::hessian(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& eta) {
    StiefelPair out;
    hessian(x, at_x, eta, out);
    return out;
}

void BrockettProblem::hessian(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& eta, StiefelPair& out) {
    if (exact_hessian_) {
        exact_gradient_derivative(x, eta);
        gemm(eta.U, Trans::No, at_x.sym_U, Trans::No, U_.grad_tangent.ref(), -1.0, 1.0);
        gemm(eta.V, Trans::No, at_x.sym_V, Trans::No, V_.grad_tangent.ref(), -1.0, 1.0);
        project_into(x.U, U_.grad_tangent, out.U, OU_);
        project_into(x.V, V_.grad_tangent, out.V, OV_);
        return;
    }
    const double size = norm(eta);
    if (size == 0.0) {
        out = eta;
        return;
    }
    const double t = std::sqrt(2.0 * static_cast<double>(k())) / size;
    U_.value = x.U;
    U_.value.add_scaled(eta.U, t);
    V_.value = x.V;
    V_.value.add_scaled(eta.V, t);
    record_and_backward();
    // In place in the gradients: (egrad(x + t·η) - egrad(x))/t - η·sym(xᵀ·egrad(x)), then projected.
    U_.grad -= at_x.egrad.U;
    U_.grad *= 1.0 / t;
    gemm(eta.U, Trans::No, at_x.sym_U, Trans::No, U_.grad.ref(), -1.0, 1.0);
    V_.grad -= at_x.egrad.V;
    V_.grad *= 1.0 / t;
    gemm(eta.V, Trans::No, at_x.sym_V, Trans::No, V_.grad.ref(), -1.0, 1.0);
    project_into(x.U, U_.grad, out.U, OU_);
    project_into(x.V, V_.grad, out.V, OV_);
}

// Write a tangent vector as (U·Ω_U + K_U, V·Ω_V + K_V), Ω skew-symmetric, K_U ⊥ U, K_V ⊥ V (K_V = 0 when V is
// square). Where UᵀAV = diag(s) the Hessian
// acts on each pair (i < j) of a = (Ω_U)_ij, b = (Ω_V)_ij on its own, as the 2×2 matrix ½[[P, -Q], [-Q, P]]
// with P = s_i·w_i + s_j·w_j, Q = s_j·w_i + s_i·w_j: eigenvalue λ₋ = (s_i - s_j)(w_i - w_j)/2 along a = b
// (turning U and V together) and λ₊ = (s_i + s_j)(w_i + w_j)/2 along a = -b; and on column j of K_U as s_j·w_j.
// K_V's columns get the same s_j·w_j: at the answer the Hessian couples K_U and K_V through the singular values
// left out, so there it is a model, positive definite, as a preconditioner must be.
// Dividing each part by its eigenvalue inverts the Hessian there. Elsewhere it is only a model, so every
// eigenvalue is used in absolute value and kept above a floor: 0.03 times the gradient's norm (the model's
// error grows with the distance to the answer, and so does the gradient) and never below 1e-10·k. The floor
// also keeps repeated (λ₋ = 0) and zero (s_j = 0) singular values from dividing by 0. (A tenth, the floor
// before issue 9, flattened the ever smaller gaps of larger matrices for longer: 119 tape passes at 128×128
// where 0.03 takes 63, with the suite still all converged; 0.01 let a suite matrix take 72 iterations.)
StiefelPair BrockettProblem::precondition(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& r) {
    StiefelPair out;
    precondition(x, at_x, r, out);
    return out;
}

void BrockettProblem::precondition(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& r, StiefelPair& z) {
    const std::vector<double>& s = at_x.sigma;
    const double floor = std::max(0.03 * at_x.grad_norm, 1e-10 * static_cast<double>(k()));
    const auto inverse = [floor](double lambda) { return 1.0 / std::max(std::abs(lambda), floor); };
    Matrix &OU = OU_, &OV = OV_, &ZU = ZU_, &ZV = ZV_;  // ZU's and ZV's diagonals stay 0: only i < j is written
    gemm(x.U, Trans::Yes, r.U, Trans::No, OU.ref());  // Ω_U = Uᵀ·r_U
    gemm(x.V, Trans::Yes, r.V, Trans::No, OV.ref());  // Ω_V = Vᵀ·r_V
    Matrix& K = z.U;
    K = r.U;
    gemm(x.U, Trans::No, OU, Trans::No, K.ref(), -1.0, 1.0);  // K_U = r_U - U·Ω_U
    Matrix& KV = z.V;
    KV = r.V;
    if (truncated()) gemm(x.V, Trans::No, OV, Trans::No, KV.ref(), -1.0, 1.0);  // K_V = r_V - V·Ω_V
    for (std::size_t i = 0; i < k(); ++i)
        for (std::size_t j = i + 1; j < k(); ++j) {
            const double wi = weights_(0, i), wj = weights_(0, j);
            const double a = 0.5 * (OU(i, j) - OU(j, i)), b = 0.5 * (OV(i, j) - OV(j, i));  // skew parts
            const double together = (a + b) * inverse(0.5 * (s[i] - s[j]) * (wi - wj));       // z_a + z_b
            const double opposite = (a - b) * inverse(0.5 * (s[i] + s[j]) * (wi + wj));       // z_a - z_b
            ZU(i, j) = 0.5 * (together + opposite);
            ZU(j, i) = -ZU(i, j);
            ZV(i, j) = 0.5 * (together - opposite);
            ZV(j, i) = -ZV(i, j);
        }
    std::vector<double>& scale = scale_;
    for (std::size_t j = 0; j < k(); ++j) scale[j] = inverse(s[j] * weights_(0, j));
    for (std::size_t i = 0; i < m(); ++i)
        for (std::size_t j = 0; j < k(); ++j) K(i, j) *= scale[j];
    if (truncated()) {
        for (std::size_t i = 0; i < n(); ++i)
            for (std::size_t j = 0; j < k(); ++j) KV(i, j) *= scale[j];
    } else {
        KV.fill(0.0);
    }
    gemm(x.U, Trans::No, ZU, Trans::No, z.U.ref(), 1.0, 1.0);  // z_U = U·Z_U + K_U/λ
    gemm(x.V, Trans::No, ZV, Trans::No, z.V.ref(), 1.0, 1.0);  // z_V = V·Z_V + K_V/λ
}

SvdFactors BrockettProblem::result(StiefelPair x) const {
    const Matrix AV = matmul(A_, x.V);
    std::vector<double> sigma(k(), 0.0);
    for (std::size_t j = 0; j < k(); ++j) {
        for (std::size_t i = 0; i < m(); ++i) sigma[j] += x.U(i, j) * AV(i, j);
        if (sigma[j] < 0.0) {  // not at the minimum (or a value 0 up to rounding): σ_j·u_j·v_jᵀ = |σ_j|·u_j·(-v_j)ᵀ
            sigma[j] = -sigma[j];
            for (std::size_t i = 0; i < n(); ++i) x.V(i, j) = -x.V(i, j);
        }
        sigma[j] = std::ldexp(sigma[j] * norm_, exponent_);  // norm first: σ_j·norm is at most about 2^exponent
    }
    SvdFactors out{wide_ ? std::move(x.V) : std::move(x.U), std::move(sigma), wide_ ? std::move(x.U) : std::move(x.V)};
    sort_and_fix_signs(out.U, out.singular_values, out.V);
    return out;
}

}  // namespace tapegrad
