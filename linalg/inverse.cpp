#include "linalg/inverse.hpp"

#include <cmath>
#include <stdexcept>

#include "autodiff/tape.hpp"
#include "linalg/inverse_methods.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

namespace {

constexpr InverseMethod all_methods[] = {InverseMethod::descent, InverseMethod::scaled_descent, InverseMethod::line_search,
                                         InverseMethod::conjugate_gradient, InverseMethod::newton_schulz};

// The tutorial's method, exactly as the tutorial runs it: on M as given, from a random guess.
InverseResult tutorial_descent(const Matrix& M, const InverseOptions& options) {
    const std::size_t n = M.rows();
    const Matrix I = Matrix::identity(n);

    Parameter X(Matrix::random(n, n, options.descent.seed));  // guess
    Descent descent(options.descent, {&X});
    Tape tape;
    while (descent.running()) {  // improve
        tape.clear();
        const Var loss = inverse_loss(tape.param(X), tape.constant(M), I, options.variant);
        descent.zero_grad();
        backward(loss);
        descent.step(loss.item());
    }
    return {std::move(X.value), descent.finish()};
}

// The power of two nearest √(‖M‖₁‖M‖∞), which bounds σ₁(M): M divided by it has norm about 1, and dividing by a
// power of two changes no digit. 1 for the zero matrix.
double scale_of(const Matrix& M) {
    const double n1 = norm_1(M), ninf = norm_inf(M);
    if (!(n1 > 0.0 && ninf > 0.0)) return 1.0;
    return std::exp2(std::round(0.5 * (std::log2(n1) + std::log2(ninf))));
}

// Every method but the tutorial's, on M scaled to ‖M‖₁‖M‖∞ ≈ 1.
InverseResult run_scaled(const Matrix& M, const InverseOptions& options) {
    switch (options.method) {
        case InverseMethod::descent: break;  // the tutorial's runs on M as given
        case InverseMethod::scaled_descent: return inverse_by_scaled_descent(M, options);
        case InverseMethod::line_search: return inverse_by_line_search(M, options);
        case InverseMethod::conjugate_gradient: return inverse_by_conjugate_gradient(M, options);
        case InverseMethod::newton_schulz: return inverse_by_newton_schulz(M, options);
    }
    throw std::invalid_argument("inverse_by_descent: no such method");
}

}  // namespace

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

InverseMethod parse_inverse_method(std::string_view name) {
    for (const InverseMethod m : all_methods)
        if (name == to_string(m)) return m;
    throw std::invalid_argument("unknown inverse method \"" + std::string(name) +
                                "\" (choose descent, scaled_descent, line_search, conjugate_gradient or newton_schulz)");
}

InverseMethod most_robust_inverse_method() { return InverseMethod::conjugate_gradient; }

InverseOptions default_inverse_options(InverseMethod method) {
    InverseOptions options;
    options.method = method;
    switch (method) {
        case InverseMethod::descent: break;  // the tutorial's
        case InverseMethod::scaled_descent:
        case InverseMethod::line_search: options.descent.max_iterations = 20000; break;  // ~κ² steps: give them room
        case InverseMethod::conjugate_gradient: options.descent.max_iterations = 10000; break;  // stops after ~n
        case InverseMethod::newton_schulz: options.descent.max_iterations = 500; break;  // stops after ~log₂(nκ²)
    }
    return options;
}

std::string_view to_string(InverseVariant variant) {
    switch (variant) {
        case InverseVariant::right: return "right";
        case InverseVariant::left: return "left";
        case InverseVariant::both: return "both";
    }
    return "?";
}

InverseVariant parse_inverse_variant(std::string_view name) {
    for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both})
        if (name == to_string(v)) return v;
    throw std::invalid_argument("unknown inverse variant \"" + std::string(name) +
                                "\" (choose right for X·M, left for M·X, or both)");
}

InverseResult inverse_by_descent(const Matrix& M, const InverseOptions& options) {
    if (M.rows() != M.cols())
        throw std::invalid_argument("inverse_by_descent: needs a square matrix, got " + to_string(M.shape()));
    require_finite_nonempty("inverse_by_descent", M);
    if (options.method == InverseMethod::descent) return tutorial_descent(M, options);

    // Invert M/s instead of M: (M/s)⁻¹ = s·M⁻¹, so M⁻¹ = (M/s)⁻¹ / s.
    const double s = scale_of(M);
    InverseResult result = run_scaled(M / s, options);
    result.inverse = result.inverse / s;
    return result;
}

}  // namespace tapegrad
