#include "linalg/svd.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "autodiff/random.hpp"
#include "autodiff/tape.hpp"
#include "linalg/losses.hpp"
#include "linalg/svd_riemannian.hpp"

namespace tapegrad {

std::string_view to_string(SvdMethod method) {
    switch (method) {
        case SvdMethod::penalty: return "penalty";
        case SvdMethod::stiefel_descent: return "stiefel";
        case SvdMethod::stiefel_cg: return "stiefel-cg";
        case SvdMethod::trust_region: return "trust-region";
    }
    return "?";
}

SvdMethod parse_svd_method(std::string_view name) {
    for (const SvdMethod m : {SvdMethod::penalty, SvdMethod::stiefel_descent, SvdMethod::stiefel_cg, SvdMethod::trust_region})
        if (name == to_string(m)) return m;
    throw std::invalid_argument("unknown SVD method \"" + std::string(name) +
                                "\" (choose penalty, stiefel, stiefel-cg or trust-region)");
}

SvdMethod most_robust_svd_method() { return SvdMethod::trust_region; }

SvdOptions default_svd_options(SvdMethod method) {
    switch (method) {
        case SvdMethod::penalty: return {};
        case SvdMethod::stiefel_descent:
        case SvdMethod::stiefel_cg: return {.method = method, .descent = {.max_iterations = 20000, .tolerance = 1e-10}};
        case SvdMethod::trust_region: return {.method = method, .descent = {.max_iterations = 1000, .tolerance = 1e-10}};
    }
    throw std::invalid_argument("default_svd_options: unknown method");
}

void sort_and_fix_signs(Matrix& U, std::vector<double>& singular_values, Matrix& V) {
    const std::size_t k = singular_values.size();
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return singular_values[a] > singular_values[b]; });
    const Matrix U0 = U, V0 = V;
    const std::vector<double> s0 = singular_values;
    for (std::size_t j = 0; j < k; ++j) {
        const std::size_t from = order[j];
        // The sign rule: the largest-magnitude entry of u_j is positive (the first such entry on a tie).
        std::size_t top = 0;
        for (std::size_t i = 1; i < U0.rows(); ++i)
            if (std::abs(U0(i, from)) > std::abs(U0(top, from))) top = i;
        const double sign = U0(top, from) < 0.0 ? -1.0 : 1.0;
        singular_values[j] = s0[from];
        for (std::size_t i = 0; i < U.rows(); ++i) U(i, j) = sign * U0(i, from);
        for (std::size_t i = 0; i < V.rows(); ++i) V(i, j) = sign * V0(i, from);
    }
}

SvdResult svd_by_descent(const Matrix& M, const SvdOptions& options) {
    switch (options.method) {
        case SvdMethod::penalty: break;  // below: the tutorial's loop
        case SvdMethod::stiefel_descent: return svd_stiefel_descent(M, options);
        case SvdMethod::stiefel_cg: return svd_stiefel_cg(M, options);
        case SvdMethod::trust_region: return svd_trust_region(M, options);
    }
    require_finite_nonempty("svd_by_descent", M);
    const std::size_t m = M.rows(), n = M.cols(), k = std::min(m, n);
    const Matrix I = Matrix::identity(k);

    // Guess: uniform [0, 1) entries, like the tutorial's torch.rand, from one seeded stream.
    Random rng(options.descent.seed);
    const auto guess = [&](std::size_t rows, std::size_t cols) {
        Matrix g(rows, cols);
        for (std::size_t i = 0; i < g.size(); ++i) g.data()[i] = rng.uniform();
        return g;
    };
    Parameter U(guess(m, k)), d(guess(1, k)), V(guess(n, k));

    Descent descent(options.descent, {&U, &d, &V});
    Tape tape;
    while (descent.running()) {  // improve
        tape.clear();
        const Var loss = svd_penalty_loss(tape.param(U), tape.param(d), tape.param(V), M, I);
        descent.zero_grad();
        backward(loss);
        descent.step(loss.item());
    }

    SvdResult result{std::move(U.value), std::vector<double>(k), std::move(V.value), descent.finish()};
    result.tape_passes = result.report.iterations;
    for (std::size_t j = 0; j < k; ++j) result.singular_values[j] = d.value(0, j) * d.value(0, j);  // σ = d²
    sort_and_fix_signs(result.U, result.singular_values, result.V);
    return result;
}

}  // namespace tapegrad
