#include "autodiff/gradcheck.hpp"

#include <cmath>
#include <sstream>

#include "autodiff/ops.hpp"
#include "autodiff/random.hpp"

namespace tapegrad {

namespace {

// ⟨W, y⟩ = Σ w_ij y_ij: the scalar whose gradient the check compares.
double project(ConstMatrixRef w, ConstMatrixRef y) {
    double total = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k) total += w.data[k] * y.data[k];
    return total;
}

// The projection W for a result of this shape: all ones for 1x1, else seeded uniform in [-1, 1].
Matrix projection(Shape shape, std::uint64_t seed) {
    Matrix w(shape.rows, shape.cols, 1.0);
    if (w.size() > 1) {
        Random rng(seed);
        for (std::size_t k = 0; k < w.size(); ++k) w.data()[k] = rng.uniform(-1.0, 1.0);
    }
    return w;
}

// Keeps the worst |analytic - numeric| / (atol + rtol·|numeric|) seen, and where it was.
void consider(GradcheckResult& result, const GradcheckOptions& options, std::size_t parameter, std::size_t row,
              std::size_t col, double analytic, double numeric) {
    const double ratio = std::abs(analytic - numeric) / (options.atol + options.rtol * std::abs(numeric));
    if (!(ratio <= result.worst_ratio)) {  // NaN counts as the worst
        result.worst_ratio = ratio;
        result.parameter = parameter, result.row = row, result.col = col;
        result.analytic = analytic, result.numeric = numeric;
    }
}

// Sets passed and, when it failed, the message naming the worst element and what was compared.
void conclude(GradcheckResult& result, const char* what, const char* tape_gives, bool per_entry = true) {
    result.passed = result.worst_ratio <= 1.0;
    if (result.passed) return;
    std::ostringstream out;
    out.precision(12);
    out << what << ": ";
    if (per_entry) out << "parameter " << result.parameter << " entry (" << result.row << ", " << result.col << "): ";
    out << tape_gives << " gives " << result.analytic << ", central difference gives " << result.numeric << " ("
        << result.worst_ratio << "x the tolerance)";
    result.message = out.str();
}

}  // namespace

GradcheckResult gradcheck(const std::function<Var(Tape&)>& f, const std::vector<Parameter*>& params,
                          const GradcheckOptions& options) {
    std::vector<Matrix> saved_grads;
    for (Parameter* p : params) saved_grads.push_back(p->grad);

    // Analytic: one backward pass seeded with W (W = 1 for a scalar result).
    Tape tape;
    const Var y = f(tape);
    const Matrix w = projection(y.shape(), options.seed);
    for (Parameter* p : params) p->zero_grad();
    backward(y, w);
    std::vector<Matrix> analytic;
    for (Parameter* p : params) analytic.push_back(p->grad);

    // Numeric: nudge one entry at a time both ways and re-record.
    const auto evaluate = [&] {
        tape.clear();
        return project(w, f(tape).value());
    };
    GradcheckResult result;
    for (std::size_t pi = 0; pi < params.size(); ++pi) {
        Matrix& value = params[pi]->value;
        for (std::size_t i = 0; i < value.rows(); ++i)
            for (std::size_t j = 0; j < value.cols(); ++j) {
                const double original = value(i, j);
                value(i, j) = original + options.eps;
                const double up = evaluate();
                value(i, j) = original - options.eps;
                const double down = evaluate();
                value(i, j) = original;
                consider(result, options, pi, i, j, analytic[pi](i, j), (up - down) / (2.0 * options.eps));
            }
    }
    conclude(result, "gradcheck", "tape");
    for (std::size_t pi = 0; pi < params.size(); ++pi) params[pi]->grad = saved_grads[pi];
    return result;
}

GradcheckResult gradgradcheck(const std::function<Var(Tape&)>& f, const std::vector<Parameter*>& params,
                              const GradcheckOptions& options) {
    std::vector<Parameter> saved;  // each parameter as it was, all four matrices
    for (Parameter* p : params) saved.push_back(*p);

    // The scalar ⟨W, f⟩, and a direction v: uniform in [-1, 1], seeded differently from W.
    Tape tape;
    const Matrix w = projection(f(tape).shape(), options.seed);
    const auto scalar = [&] {
        tape.clear();
        const Var y = f(tape);
        return y.value().size() == 1 ? y : sum(y * tape.constant(w));
    };
    Random rng(options.seed + 1);
    for (Parameter* p : params) {
        p->tangent = Matrix(p->value.rows(), p->value.cols());
        for (std::size_t k = 0; k < p->tangent.size(); ++k) p->tangent.data()[k] = rng.uniform(-1.0, 1.0);
    }

    // Analytic: jvp, then H·v by hvp.
    for (Parameter* p : params) p->zero_grad();
    const double jvp_analytic = jvp(scalar()).data[0];
    hvp(scalar());
    std::vector<Matrix> analytic;
    for (Parameter* p : params) analytic.push_back(p->grad_tangent);

    // Numeric: every parameter moved by ±ε·v, the value and the tape's gradient there.
    const auto at = [&](double step, std::vector<Matrix>& grads) {
        for (std::size_t pi = 0; pi < params.size(); ++pi) {
            params[pi]->value = saved[pi].value;
            params[pi]->value.add_scaled(params[pi]->tangent, step);
            params[pi]->zero_grad();
        }
        const Var y = scalar();
        backward(y);
        grads.clear();
        for (Parameter* p : params) grads.push_back(p->grad);
        return y.item();
    };
    std::vector<Matrix> up, down;
    const double value_up = at(options.eps, up), value_down = at(-options.eps, down);

    GradcheckResult result;
    consider(result, options, 0, 0, 0, jvp_analytic, (value_up - value_down) / (2.0 * options.eps));
    conclude(result, "gradgradcheck", "jvp", false);
    if (result.passed) {
        for (std::size_t pi = 0; pi < params.size(); ++pi)
            for (std::size_t i = 0; i < analytic[pi].rows(); ++i)
                for (std::size_t j = 0; j < analytic[pi].cols(); ++j)
                    consider(result, options, pi, i, j, analytic[pi](i, j),
                             (up[pi](i, j) - down[pi](i, j)) / (2.0 * options.eps));
        conclude(result, "gradgradcheck", "hvp");
    }
    for (std::size_t pi = 0; pi < params.size(); ++pi) *params[pi] = saved[pi];
    return result;
}

}  // namespace tapegrad
