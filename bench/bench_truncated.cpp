// The truncated SVD (svd.hpp's rank): the k largest singular triplets by the trust region on St(m,k)×St(n,k),
// against Spectra's PartialSVDSolver (Lanczos on MᵀM, on Eigen; libspectra-dev, used here only) and LAPACK's full
// dgesdd, on the same matrix in one run, at 1000×500, 2000×1000 and 4000×2000, k = 1, 5 and 20, for two spectra:
//   decaying: M = P·diag(0.9^j)·Qᵀ, P and Q random with orthonormal columns (400 of them: 0.9^400 is below
//             rounding), so the gaps between the leading values are 10%;
//   slow:     uniform [0, 1) entries (Matrix::random): one large value, then a bulk whose leading values are
//             within a few percent of each other, what makes every iterative method work hardest.
//
// Names: scale_truncated/<spectrum>/<trust-region|spectra>/m/n/k and scale_truncated/<spectrum>/dgesdd/m/n.
// Counter max_singular_value_error: max_j |σ_j − σ_lapack,j| / σ_lapack,1 over the k values (untimed, once).
// make bench's default filter takes k = 5 at 1000×500 and 2000×1000 (seconds); BENCH_FILTER='^scale_truncated' runs
// them all (the largest take minutes).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <Spectra/contrib/PartialSVDSolver.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "autodiff/autodiff.hpp"
#include "bench/benchmarks.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/stiefel.hpp"
#include "linalg/svd/svd.hpp"

namespace tapegrad::bench {

namespace {

Matrix decaying(std::size_t m, std::size_t n) {
    const std::size_t r = std::min<std::size_t>(std::min(m, n), 400);
    Random rng(314);
    const Matrix P = random_stiefel(m, r, rng), Q = random_stiefel(n, r, rng);
    std::vector<double> sigma(r);
    for (std::size_t j = 0; j < r; ++j) sigma[j] = std::pow(0.9, static_cast<double>(j));
    return reconstruct(P, sigma, Q);
}

// The matrix and LAPACK's singular values, made once per spectrum and size (seconds at 4000×2000).
struct Case {
    Matrix M;
    std::vector<double> singular_values;
};
const Case& case_of(const std::string& spectrum, std::size_t m, std::size_t n) {
    static std::map<std::tuple<std::string, std::size_t, std::size_t>, Case> cases;
    const auto key = std::tuple(spectrum, m, n);
    if (!cases.contains(key)) {
        Matrix M = spectrum == "decaying" ? decaying(m, n) : Matrix::random(m, n, 314);
        std::vector<double> values = lapack_singular_values(M);
        cases.emplace(key, Case{std::move(M), std::move(values)});
    }
    return cases.at(key);
}

double value_error(const std::vector<double>& got, const std::vector<double>& reference) {
    double worst = 0.0;
    for (std::size_t j = 0; j < got.size(); ++j) worst = std::max(worst, std::abs(got[j] - reference[j]) / reference[0]);
    return worst;
}

std::size_t arg(const benchmark::State& state, int i) { return static_cast<std::size_t>(state.range(i)); }

void trust_region(benchmark::State& state, const std::string& spectrum) {
    const Case& c = case_of(spectrum, arg(state, 0), arg(state, 1));
    const TrustRegionOptions options{.rank = state.range(2)};
    SvdResult r;
    for (auto _ : state) {
        r = svd_by_descent(c.M, options);
        benchmark::DoNotOptimize(r.singular_values.data());
    }
    state.counters["max_singular_value_error"] = value_error(r.singular_values, c.singular_values);
    state.counters["descent_iterations"] = static_cast<double>(r.report.iterations);
    state.counters["tape_passes"] = static_cast<double>(r.report.tape_passes);
    state.counters["converged"] = r.report.status == Status::converged ? 1.0 : 0.0;
}

void spectra(benchmark::State& state, const std::string& spectrum) {
    const Case& c = case_of(spectrum, arg(state, 0), arg(state, 1));
    const auto k = static_cast<Eigen::Index>(state.range(2));
    // Spectra reads an Eigen matrix; the copy from row-major is made once, untimed.
    const Eigen::MatrixXd A = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        c.M.data(), static_cast<Eigen::Index>(c.M.rows()), static_cast<Eigen::Index>(c.M.cols()));
    // ncv, the Lanczos basis: twice the values wanted and at least 20 (Spectra's advice), at most min(m, n).
    const Eigen::Index ncv = std::min<Eigen::Index>(std::max<Eigen::Index>(2 * k + 1, 20), std::min(A.rows(), A.cols()));
    std::vector<double> values;
    Eigen::Index converged = 0;
    for (auto _ : state) {
        Spectra::PartialSVDSolver<Eigen::MatrixXd> svds(A, k, ncv);
        converged = svds.compute(1000, 1e-10);
        const Eigen::VectorXd sigma = svds.singular_values();
        const Eigen::MatrixXd U = svds.matrix_U(k), V = svds.matrix_V(k);  // the triplets, as the trust region gives
        benchmark::DoNotOptimize(U.data());
        benchmark::DoNotOptimize(V.data());
        values.assign(sigma.data(), sigma.data() + sigma.size());
    }
    state.counters["max_singular_value_error"] = value_error(values, c.singular_values);
    state.counters["converged"] = converged == k ? 1.0 : 0.0;
}

void dgesdd(benchmark::State& state, const std::string& spectrum) {
    const Case& c = case_of(spectrum, arg(state, 0), arg(state, 1));
    for (auto _ : state) benchmark::DoNotOptimize(lapack_svd(c.M).singular_values.data());
}

}  // namespace

void register_truncated_benchmarks() {
    const std::vector<std::pair<std::int64_t, std::int64_t>> sizes = {{1000, 500}, {2000, 1000}, {4000, 2000}};
    for (const std::string spectrum : {"decaying", "slow"}) {
        const std::string family = "scale_truncated/" + spectrum + "/";
        for (const auto& [m, n] : sizes) {
            for (const std::int64_t k : {1, 5, 20}) {
                benchmark::RegisterBenchmark((family + "trust-region").c_str(),
                                             [spectrum](benchmark::State& s) { trust_region(s, spectrum); })
                    ->Args({m, n, k})->Unit(benchmark::kMillisecond);
                benchmark::RegisterBenchmark((family + "spectra").c_str(),
                                             [spectrum](benchmark::State& s) { spectra(s, spectrum); })
                    ->Args({m, n, k})->Unit(benchmark::kMillisecond);
            }
            benchmark::RegisterBenchmark((family + "dgesdd").c_str(), [spectrum](benchmark::State& s) { dgesdd(s, spectrum); })
                ->Args({m, n})->Unit(benchmark::kMillisecond);
        }
    }
}

}  // namespace tapegrad::bench
