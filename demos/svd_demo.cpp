// Part 2 of the tutorial: the singular value decomposition by gradient descent, checked against LAPACK.
// By default it runs the tutorial's five matrices and plots their loss curves on one log-scale chart.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "autodiff/graphviz.hpp"
#include "autodiff/random.hpp"
#include "demos/cli.hpp"
#include "demos/plot.hpp"
#include "demos/tutorial_data.hpp"
#include "linalg/losses.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd.hpp"

using namespace tapegrad;

namespace {

void print_walkthrough(const demo::NamedMatrix& c, SvdMethod method, const SvdResult& r, const ReferenceSvd& ref,
                       const SvdComparison& cmp) {
    std::cout << "== " << c.label() << " ==\nM =\n" << c.M << "\n\n";
    std::printf("%s: %s in %.3f ms\n\n", std::string(to_string(method)).c_str(), r.report.message.c_str(),
                r.report.wall_seconds * 1e3);
    // The tutorial's three checks: the factors rebuild M, and U and V have orthonormal columns.
    std::cout << "U S Vᵀ - M =\n" << reconstruct(r.U, r.singular_values, r.V) - c.M << "\n";
    std::cout << "UᵀU =\n" << matmul(r.U.transpose(), r.U) << "\n";
    std::cout << "VᵀV =\n" << matmul(r.V.transpose(), r.V) << "\n\n";
    std::printf("%-6s %18s %18s %12s\n", "", "descent", "LAPACK (dgesdd)", "difference");
    for (std::size_t j = 0; j < r.singular_values.size(); ++j)
        std::printf("σ%-4zu  %18.12f %18.12f %12.2e\n", j + 1, r.singular_values[j], ref.singular_values[j],
                    r.singular_values[j] - ref.singular_values[j]);
    std::printf("max singular value error (relative to σ1) %.2e, reconstruction error %.2e,\n"
                "orthogonality error U %.2e, V %.2e, sign-aligned vector error U %.2e, V %.2e\n\n",
                cmp.max_singular_value_error, cmp.reconstruction_error, cmp.orthogonality_error_U,
                cmp.orthogonality_error_V, cmp.max_vector_error_U, cmp.max_vector_error_V);
}

nlohmann::ordered_json to_json(const SvdResult& r, const ReferenceSvd& ref, const SvdComparison& cmp,
                               const demo::Options& o, SvdMethod method) {
    nlohmann::ordered_json j;
    j["status"] = to_string(r.report.status);
    j["message"] = r.report.message;
    j["iterations"] = r.report.iterations;
    j["final_loss"] = r.report.final_loss;
    j["singular_values"] = r.singular_values;
    j["U"] = demo::to_json(r.U);
    j["V"] = demo::to_json(r.V);
    j["reference_singular_values"] = ref.singular_values;
    j["max_singular_value_error"] = cmp.max_singular_value_error;
    j["reconstruction_error"] = cmp.reconstruction_error;
    j["orthogonality_error_U"] = cmp.orthogonality_error_U;
    j["orthogonality_error_V"] = cmp.orthogonality_error_V;
    j["wall_seconds"] = r.report.wall_seconds;
    j["method"] = to_string(method);
    j["optimizer"] = o.optimizer;
    return j;
}

// The tape of one step of the tutorial's loss, differentiated, as a graph: what every iteration of the penalty
// method records. At svd_by_descent's first guess (linalg/svd.cpp): U, d and V uniform in [0, 1) from one stream
// seeded with --guess-seed, so its loss is the first of the run's losses.
std::string penalty_loss_graph(const Matrix& M, std::uint64_t seed) {
    const std::size_t m = M.rows(), n = M.cols(), k = std::min(m, n);
    Random rng(seed);
    const auto guess = [&](std::size_t rows, std::size_t cols) {
        Matrix g(rows, cols);
        for (std::size_t i = 0; i < g.size(); ++i) g.data()[i] = rng.uniform();
        return g;
    };
    Parameter U(guess(m, k)), d(guess(1, k)), V(guess(n, k));
    Tape tape;
    const Var u = tape.param(U), s = tape.param(d), v = tape.param(V);
    const Var loss = svd_penalty_loss(u, s, v, M, Matrix::identity(k));
    backward(loss);
    return to_dot(loss, {.names = {{u, "U"}, {s, "d"}, {v, "V"}, {loss, "loss"}}, .adjoints = true});
}

int run_demo(const demo::Options& o) {
    const SvdMethod method = parse_svd_method(demo::chosen_method(o, "penalty", to_string(most_robust_svd_method())));
    // What each method's report.losses holds (linalg/svd.hpp).
    const char* loss = method == SvdMethod::penalty
                           ? "loss = mse(U·diag(d^2)·V^T, M) + penalties"
                           : "‖M − U·diag(σ)·V^T‖@^2_F / ‖M‖@^2_F";
    demo::LossCurves curves("svd_demo: " + std::string(to_string(method)) + ", the loss at each iteration", loss);
    bool any_diverged = false;
    const std::vector<std::pair<std::string, std::string>> tutorial = {{"M1", "svd_M1_5x4.csv"}, {"M2", "svd_M2_4x4.csv"},
                                                                      {"M3", "svd_M3_7x4.csv"}, {"M4", "svd_M4_4x3.csv"},
                                                                      {"M5", "svd_M5_4x3.csv"}};
    const std::vector<demo::NamedMatrix> runs = demo::matrices_to_run(o, tutorial);
    for (const demo::NamedMatrix& c : runs) {
        SvdOptions options = default_svd_options(method);
        options.descent = demo::descent_options(o, options.descent, c.label());
        const SvdResult r = svd_by_descent(c.M, options);
        const ReferenceSvd ref = lapack_svd(c.M);
        const SvdComparison cmp = compare_svd(c.M, r.U, r.singular_values, r.V, ref);
        any_diverged |= r.report.status == Status::diverged;
        if (o.json) {
            std::cout << to_json(r, ref, cmp, o, method).dump(2) << "\n";
            return any_diverged ? 3 : 0;
        }
        if (o.quiet)
            std::printf("%s: %s after %ld iterations, loss %.2e, max singular value error %.2e\n", c.label().c_str(),
                        std::string(to_string(r.report.status)).c_str(), r.report.iterations, r.report.final_loss,
                        cmp.max_singular_value_error);
        else
            print_walkthrough(c, method, r, ref, cmp);
        if (r.report.status == Status::diverged)
            std::cerr << "svd_demo: " << c.label() << " DIVERGED: " << r.report.message << "\n";
        curves.add(c, r.report.losses);
    }
    curves.write(o, "svd");
    if (method == SvdMethod::penalty)
        plot::draw_graph(demo::output_directory(o), "tape_svd_loss", penalty_loss_graph(runs.front().M, o.guess_seed));
    return any_diverged ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"The SVD by gradient descent (part 2 of the tutorial), checked against LAPACK.\n"
                 "Without --matrix or --rows it runs the tutorial's five matrices. Exit status: 0 done, "
                 "1 error, 2 bad flag, 3 a descent diverged.",
                 "svd_demo"};
    demo::Options o;
    demo::add_solver_flags(app, o);
    app.add_option("--method", o.method,
                   "penalty (the tutorial's loss; the default on its matrices), stiefel, stiefel-cg or trust-region "
                   "(the most robust; the default with --matrix or --rows). See docs/svd.md");
    demo::add_output_flags(app, o);
    return demo::run(app, argc, argv, [&] { return run_demo(o); });
}
