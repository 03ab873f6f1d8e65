// inverse_by_descent: check the input, pick the method by its options, run it through iterate(), and check the
// answer against M before the status says converged.
#include "linalg/inverse/inverse.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "linalg/checks.hpp"
#include "linalg/inverse/methods.hpp"
#include "linalg/memory.hpp"
#include "linalg/norms.hpp"
#include "linalg/reference.hpp"

namespace tapegrad {

namespace {

constexpr double epsilon = std::numeric_limits<double>::epsilon();
// A converged answer's residual may be this many times √n·ε·‖M‖_F·‖X‖_F, the rounding in computing X·M. LAPACK's
// own inverse stays within half of it on every matrix of the full test suite (tests/test_inverse_robust.cpp).
constexpr double floor_factor = 4.0;

// The power of two nearest √(‖M‖₁‖M‖∞), which bounds σ₁(M): M divided by it has norm about 1, and dividing by a
// power of two changes no digit. 1 for the zero matrix. (The norms are sums of |m_ij|, so they overflow only for
// entries near the largest double; then the power of two is taken from the largest entry.)
double scale_of(const Matrix& M) {
    const double n1 = norm_1(M), ninf = norm_inf(M);
    if (!(n1 > 0.0 && ninf > 0.0)) return 1.0;
    if (!std::isfinite(n1 * ninf)) return std::exp2(std::round(std::log2(max_abs(M))));
    return std::exp2(std::round(0.5 * (std::log2(n1) + std::log2(ninf))));
}

// ‖P − I‖_F for the product the variant drives to I (the larger of the two for both).
double residual_of(const Matrix& M, const Matrix& X, InverseVariant variant) {
    const Matrix I = Matrix::identity(M.rows());
    const double right = variant == InverseVariant::left ? 0.0 : frobenius_norm(matmul(X, M) - I);
    const double left = variant == InverseVariant::right ? 0.0 : frobenius_norm(matmul(M, X) - I);
    return std::max(right, left);
}

// The check of the answer X (for the scaled M) that settle() turns into the status.
Check check_inverse(const Matrix& M, const Matrix& X, InverseVariant variant, double tolerance, InverseResult& result) {
    Check check;
    check.finite = all_finite(X);
    if (!check.finite) return check;
    const double n = static_cast<double>(M.rows());
    const double floor = floor_factor * std::sqrt(n) * epsilon * frobenius_norm(M) * frobenius_norm(X);
    result.residual = residual_of(M, X, variant);
    result.allowed = std::max(tolerance, floor);
    const std::string product(product_name(variant));
    // ‖M‖₁‖X‖₁ estimates κ₁(M); at 1/ε and above no residual means anything: rounding in X·M is as large as I.
    // And only a residual below 1/2 proves M invertible (X·M = I + R with ‖R‖₂ < 1), whatever the tolerance.
    const bool meaningful = norm_1(M) * norm_1(X) * epsilon < 1.0 && result.residual < 0.5;
    check.passed = meaningful && result.residual <= result.allowed;
    check.what = "‖" + product + " − I‖_F = " + brief(result.residual) + (check.passed ? " <= " : " > ") +
                 (tolerance >= floor ? "tolerance " : "4·√n·ε·‖M‖_F·‖X‖_F = ") + brief(result.allowed) +
                 (meaningful ? "" : ", and no X with ‖M‖₁·‖X‖₁ >= 1/ε or a residual >= 1/2 proves M invertible");
    return check;
}

// An answer that failed its check: LAPACK says whether M was the reason. Singular only where LAPACK also finds
// M singular (a zero pivot) or κ >= 1/ε; ill_conditioned where κ >= 1/√ε, beyond which the loss, whose curvature
// spans κ², loses M's smallest directions to rounding; otherwise the method's own verdict stands.
void diagnose(const Matrix& M, Report& report) {
    if (report.status == Status::converged || report.status == Status::diverged) return;
    double kappa = std::numeric_limits<double>::infinity();
    try {
        lapack_inverse(M);
        kappa = condition_number(M);
    } catch (const SingularMatrixError&) {
    }
    const std::string lapack = "; LAPACK's condition number is " + brief(kappa);
    if (kappa * epsilon >= 1.0) {
        report.status = Status::singular;
        report.message += lapack + ": M has no inverse in double precision";
    } else if (kappa * std::sqrt(epsilon) >= 1.0) {
        report.status = Status::ill_conditioned;
        report.message += lapack + " (>= 1/√ε): M is invertible, but too ill-conditioned for this method";
    } else if (report.status == Status::singular) {
        report.status = Status::stalled;
        report.message += lapack + ", so M is invertible: the method stalled";
    }
}

std::unique_ptr<InverseSolver> solver_for(const Matrix& M, const InverseOptions& options) {
    switch (method_of(options)) {
        case InverseMethod::descent: return tutorial_descent(M, std::get<InverseDescentOptions>(options));
        case InverseMethod::scaled_descent: return scaled_descent(M, std::get<ScaledDescentOptions>(options));
        case InverseMethod::line_search: return line_search(M, std::get<LineSearchOptions>(options));
        case InverseMethod::conjugate_gradient: return conjugate_gradient(M, std::get<ConjugateGradientOptions>(options));
        case InverseMethod::newton_schulz: return newton_schulz(M, std::get<NewtonSchulzOptions>(options));
    }
    throw std::invalid_argument("inverse_by_descent: unknown method");
}

}  // namespace

InverseByGradient::InverseByGradient(const Matrix& M, InverseVariant variant, std::uint64_t seed)
    : M_(M), I_(Matrix::identity(M.rows())), variant_(variant), X_(Matrix::random(M.rows(), M.cols(), seed)) {}

double InverseByGradient::evaluate() {  // the tutorial's loss, backward
    ++tape_passes_;
    tape_.clear();
    const Var loss = inverse_loss(tape_.param_view(X_), tape_.constant_view(M_), I_, variant_);
    X_.zero_grad();
    backward(loss);
    return loss.item();
}

std::string_view to_string(InverseMethod method) {
    switch (method) {
        case InverseMethod::descent: return "descent";
        case InverseMethod::scaled_descent: return "scaled_descent";
        case InverseMethod::line_search: return "line_search";
        case InverseMethod::conjugate_gradient: return "conjugate_gradient";
        case InverseMethod::newton_schulz: return "newton_schulz";
    }
    return "?";
}

std::string_view to_string(InverseVariant variant) {
    switch (variant) {
        case InverseVariant::right: return "right";
        case InverseVariant::left: return "left";
        case InverseVariant::both: return "both";
    }
    return "?";
}

std::string_view product_name(InverseVariant variant) {
    switch (variant) {
        case InverseVariant::right: return "X·M";
        case InverseVariant::left: return "M·X";
        case InverseVariant::both: return "X·M and M·X";
    }
    return "?";
}

std::optional<InverseMethod> inverse_method_named(std::string_view name) {
    for (const InverseMethod m : all_inverse_methods)
        if (name == to_string(m)) return m;
    return std::nullopt;
}

InverseMethod most_robust_inverse_method() { return InverseMethod::conjugate_gradient; }

InverseMethod method_of(const InverseOptions& options) {
    return static_cast<InverseMethod>(options.index());  // the variant lists the options in the enum's order
}

InverseOptions default_inverse_options(InverseMethod method) {
    switch (method) {
        case InverseMethod::descent: return InverseDescentOptions{};
        case InverseMethod::scaled_descent: return ScaledDescentOptions{};
        case InverseMethod::line_search: return LineSearchOptions{};
        case InverseMethod::conjugate_gradient: return ConjugateGradientOptions{};
        case InverseMethod::newton_schulz: return NewtonSchulzOptions{};
    }
    throw std::invalid_argument("default_inverse_options: unknown method");
}

double inverse_memory_need(std::size_t n, const InverseOptions& options) {
    const double N = static_cast<double>(n);
    // The directions conjugate_gradient.cpp keeps (max_directions there), and its image of each.
    const double directions = method_of(options) == InverseMethod::conjugate_gradient ? 2.0 * std::min(N, 128.0) : 0.0;
    return 8.0 * (20.0 + directions) * N * N;  // measured peaks (inverse_demo under /usr/bin/time): a little less
}

void check_inverse_memory(const std::string& who, std::size_t n, const InverseOptions& options, double extra) {
    check_memory(who, "an inverse of a " + std::to_string(n) + "x" + std::to_string(n) + " matrix by " +
                          std::string(to_string(method_of(options))),
                 extra + inverse_memory_need(n, options));
}

InverseResult inverse_by_descent(const Matrix& M, const InverseOptions& options, const Progress& progress) {
    check_square("inverse_by_descent", M);
    check_nonempty("inverse_by_descent", M);
    check_finite("inverse_by_descent", M);
    // The tutorial's method runs on M as given; the others on M/s, and (M/s)⁻¹ = s·M⁻¹.
    check_inverse_memory("inverse_by_descent", M.rows(), options);  // before anything is allocated
    const double s = method_of(options) == InverseMethod::descent ? 1.0 : scale_of(M);
    const Matrix scaled = M / s;
    const auto [max_iterations, tolerance, variant] =
        std::visit([](const auto& o) { return std::tuple(o.max_iterations, o.tolerance, o.variant); }, options);
    const char* name = to_string(method_of(options)).data();  // the names are string literals
    check_nonnegative(name, "max_iterations", max_iterations);
    check_nonnegative(name, "tolerance", tolerance);
    const std::unique_ptr<InverseSolver> method = solver_for(scaled, options);

    InverseResult result;
    result.report = iterate(*method, max_iterations, progress);
    const Matrix X = method->answer();
    settle(result.report, check_inverse(scaled, X, variant, tolerance, result));
    diagnose(scaled, result.report);
    result.inverse = X / s;
    return result;
}

}  // namespace tapegrad
