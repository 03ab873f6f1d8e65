// Part 1 of the tutorial: the inverse of a matrix by gradient descent, checked against LAPACK.
// By default it runs the tutorial's random 4x4 and diag(1,2,3,4) and plots their loss per iteration.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "demos/cli.hpp"
#include "demos/tutorial_data.hpp"
#include "linalg/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"

using namespace tapegrad;

namespace {

// A matrix descent cannot invert is bad input: say so before spending 10,000 iterations on it.
void require_invertible(const demo::NamedMatrix& c) {
    if (c.M.rows() != c.M.cols())
        throw std::invalid_argument(c.label() + " is not square: only a square matrix has an inverse");
    try {
        lapack_inverse(c.M);
    } catch (const SingularMatrixError&) {
        throw std::invalid_argument(c.label() + " is singular (LAPACK's LU factorisation has a zero pivot): it has no inverse");
    }
    const double kappa = condition_number(c.M);
    if (!(kappa <= 1.0 / std::numeric_limits<double>::epsilon()))
        throw std::invalid_argument(c.label() + " is numerically singular (condition number " + std::to_string(kappa) +
                                    " > 1/ε): no double-precision inverse is meaningful");
}

nlohmann::ordered_json to_json(const InverseResult& r, const InverseComparison& cmp, const demo::Options& o,
                               InverseMethod method) {
    nlohmann::ordered_json j;
    j["status"] = to_string(r.report.status);
    j["message"] = r.report.message;
    j["iterations"] = r.report.iterations;
    j["final_loss"] = r.report.final_loss;
    j["inverse"] = demo::to_json(r.inverse);
    j["residual"] = cmp.residual;
    j["max_error_vs_reference"] = cmp.max_error_vs_reference;
    j["wall_seconds"] = r.report.wall_seconds;
    j["variant"] = o.variant;
    j["optimizer"] = o.optimizer;
    j["method"] = to_string(method);
    return j;
}

void print_walkthrough(const demo::NamedMatrix& c, InverseMethod method, const InverseResult& r, const Matrix& reference,
                       const InverseComparison& cmp) {
    std::cout << "== " << c.label() << " ==\nM =\n" << c.M << "\n\n";
    std::printf("%s: %s in %.3f ms\n\n", std::string(to_string(method)).c_str(), r.report.message.c_str(),
                r.report.wall_seconds * 1e3);
    std::cout << "X (descent) =\n" << r.inverse << "\n";
    std::cout << "LAPACK's inverse (dgetrf + dgetri) =\n" << reference << "\n";
    std::cout << "X·M =\n" << matmul(r.inverse, c.M) << "\n\n";  // the tutorial's check: the identity
    std::printf("residual max|X·M - I| %.2e, max error against LAPACK %.2e (relative %.2e), condition number %.2f\n\n",
                cmp.residual, cmp.max_error_vs_reference, cmp.relative_error, condition_number(c.M));
}

int run_demo(const demo::Options& o) {
    const InverseVariant variant = parse_inverse_variant(o.variant);
    const InverseMethod method =
        parse_inverse_method(demo::chosen_method(o, "descent", to_string(most_robust_inverse_method())));
    const char* loss = variant == InverseVariant::right  ? "loss = mse(X·M, I)"
                       : variant == InverseVariant::left ? "loss = mse(M·X, I)"
                                                         : "loss = (mse(X·M, I) + mse(M·X, I)) / 2";
    demo::LossCurves curves("inverse_demo: " + std::string(to_string(method)) + ", the loss at each iteration", loss);
    bool any_diverged = false;
    for (const demo::NamedMatrix& c : demo::matrices_to_run(o, {{"M1", "inverse_M1_4x4.csv"}, {"M2", "inverse_M2_diag.csv"}})) {
        require_invertible(c);
        InverseOptions options = default_inverse_options(method);
        options.variant = variant;
        options.descent = demo::descent_options(o, options.descent, c.label());
        const InverseResult r = inverse_by_descent(c.M, options);
        const Matrix reference = lapack_inverse(c.M);
        const InverseComparison cmp = compare_inverse(c.M, r.inverse, reference);
        any_diverged |= r.report.status == Status::diverged;
        if (o.json) {
            std::cout << to_json(r, cmp, o, method).dump(2) << "\n";
            return any_diverged ? 3 : 0;
        }
        if (o.quiet)
            std::printf("%s: %s after %ld iterations, loss %.2e, residual %.2e\n", c.label().c_str(),
                        std::string(to_string(r.report.status)).c_str(), r.report.iterations, r.report.final_loss,
                        cmp.residual);
        else
            print_walkthrough(c, method, r, reference, cmp);
        if (r.report.status == Status::diverged)
            std::cerr << "inverse_demo: " << c.label() << " DIVERGED: " << r.report.message << "\n";
        if (r.report.status == Status::singular)
            std::cerr << "inverse_demo: " << c.label() << " is singular: " << r.report.message << "\n";
        curves.add(c, r.report.losses);
    }
    curves.write(o, "inverse");
    return any_diverged ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"The inverse of a matrix by gradient descent (part 1 of the tutorial), checked against LAPACK.\n"
                 "Without --matrix or --rows it runs the tutorial's random 4x4 and diag(1,2,3,4). Exit status: "
                 "0 done, 1 error (a singular matrix included), 2 bad flag, 3 a descent diverged.",
                 "inverse_demo"};
    demo::Options o;
    demo::add_solver_flags(app, o);
    app.add_option("--method", o.method,
                   "descent (the tutorial's; the default on its matrices), scaled_descent, line_search, "
                   "conjugate_gradient (the most robust; the default with --matrix or --rows) or newton_schulz "
                   "(matrix products, for comparison). See docs/inverse.md");
    app.add_option("--variant", o.variant, "right: mse(X·M, I); left: mse(M·X, I); both: their average")
        ->check(CLI::IsMember({"right", "left", "both"}))
        ->capture_default_str();
    demo::add_output_flags(app, o);
    return demo::run(app, argc, argv, [&] { return run_demo(o); });
}
