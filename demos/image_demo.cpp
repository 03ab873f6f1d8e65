// A photograph by descent: the best rank-k approximation of a picture, the classic first use of an SVD.
//
// A grey picture is a matrix A (m×n, entries in [0, 1]). Its k largest singular triplets give A_k = U_k·diag(σ)·V_kᵀ,
// and by Eckart–Young no matrix of rank k is closer: ‖A − A_k‖_F = sqrt(σ_{k+1}² + ... + σ_min(m,n)²). Storing
// A_k takes k(m + n + 1) numbers instead of mn. The demo finds the triplets by descent (the trust-region method,
// gradients from the tape), once for each rank it shows, and checks each reconstruction against that optimum,
// computed from LAPACK's singular values; it writes the reconstructions as PNG, a contact sheet and the spectrum.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>

#include "demos/cli.hpp"
#include "io/image.hpp"
#include "io/output_dir.hpp"
#include "io/plot.hpp"
#include "linalg/checks.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;

namespace {

// The ranks shown when they are at most --rank, and --rank itself.
constexpr std::size_t shown_ranks[] = {1, 5, 20, 50};
constexpr std::size_t default_rank = 50;
// How close to the Eckart–Young optimum a reconstruction must come: relatively, plus what double precision
// allows in ‖A − A_k‖_F/‖A‖_F itself (the result contract's floor, 100·ε·max(m, n)).
constexpr double eckart_young_tolerance = 1e-8;

struct Flags {
    std::string image;
    std::optional<std::size_t> rank;
    TrustRegionOptions options;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The k largest singular triplets of A by descent: the trust region on St(m,k)×St(n,k) (linalg/svd/svd.hpp, rank).
SvdResult top_triplets(const Matrix& A, std::size_t k, TrustRegionOptions options, const Progress& progress) {
    options.rank = static_cast<long>(k);
    return svd_by_descent(A, options, progress);
}

// One rank's run and how its reconstruction compares with the best possible.
struct RankRow {
    std::size_t rank = 0;
    SvdResult result{};
    double seconds = 0.0;          // the whole call, as LAPACK's time is
    double relative_error = 0.0;   // ‖A − A_k‖_F / ‖A‖_F of the descent's triplets
    double eckart_young = 0.0;     // sqrt(Σ_{j>k} σ_j²) / ‖A‖_F from LAPACK's σ: the least any rank-k matrix has
    double storage_ratio = 0.0;    // k(m + n + 1) / (mn)
    double max_sigma_error = 0.0;  // max_j≤k |σ_j − σ_ref_j| / σ_ref_1 (absolute if σ_ref_1 = 0)
    bool reaches_optimum = false;  // relative_error within eckart_young_tolerance of eckart_young
};

// sqrt(Σ_{j>k} σ_j²) / ‖A‖_F, the tail summed from the smallest up, so the small terms are not lost; ‖A‖_F from A
// itself, as reconstruction_error divides by it (absolute for A = 0, as it is there).
double eckart_young(const std::vector<double>& sigma, std::size_t k, double norm_A) {
    double tail = 0.0;
    for (std::size_t j = sigma.size(); j-- > k;) tail += sigma[j] * sigma[j];
    return norm_A > 0.0 ? std::sqrt(tail) / norm_A : std::sqrt(tail);
}

RankRow run_rank(const Matrix& A, std::size_t k, const Flags& flags, const ReferenceSvd& ref, const Progress& progress) {
    RankRow row{.rank = k};
    const auto start = std::chrono::steady_clock::now();
    row.result = top_triplets(A, k, flags.options, progress);
    row.seconds = seconds_since(start);
    const SvdResult& r = row.result;
    row.relative_error = reconstruction_error(A, r.U, r.singular_values, r.V);
    row.eckart_young = eckart_young(ref.singular_values, k, frobenius_norm(A));
    const double m = double(A.rows()), n = double(A.cols());
    row.storage_ratio = double(k) * (m + n + 1) / (m * n);
    const double sigma_1 = ref.singular_values[0] > 0 ? ref.singular_values[0] : 1.0;  // absolute for a black picture
    for (std::size_t j = 0; j < k; ++j)
        row.max_sigma_error = std::max(row.max_sigma_error, std::abs(r.singular_values[j] - ref.singular_values[j]) / sigma_1);
    const double floor = 100 * std::numeric_limits<double>::epsilon() * std::max(m, n);
    row.reaches_optimum = row.relative_error - row.eckart_young <= eckart_young_tolerance * row.eckart_young + floor;
    return row;
}

nlohmann::ordered_json to_json(const RankRow& row) {
    return {{"rank", row.rank},
            {"status", to_string(row.result.report.status)},
            {"relative_error", row.relative_error},
            {"eckart_young", row.eckart_young},
            {"reaches_eckart_young", row.reaches_optimum},
            {"storage_ratio", row.storage_ratio},
            {"max_singular_value_error", row.max_sigma_error},
            {"iterations", row.result.report.iterations},
            {"tape_passes", row.result.report.tape_passes},
            {"wall_seconds", row.seconds}};
}

void print_table(const std::vector<RankRow>& rows, double lapack_seconds) {
    std::printf("%5s %12s %12s %10s %12s %8s %10s %10s  %s\n", "rank", "rel. error", "Eckart-Young", "excess",
                "max σ error", "storage", "iterations", "seconds", "status");
    for (const RankRow& row : rows)
        std::printf("%5zu %12.6e %12.6e %10.1e %12.1e %7.2f%% %10ld %10.4f  %s\n", row.rank, row.relative_error,
                    row.eckart_young, row.eckart_young > 0 ? row.relative_error / row.eckart_young - 1 : row.relative_error,
                    row.max_sigma_error, 100 * row.storage_ratio, row.result.report.iterations, row.seconds,
                    std::string(to_string(row.result.report.status)).c_str());
    std::printf("LAPACK dgesdd, every singular triplet: %.4f seconds\n", lapack_seconds);
}

// The spectrum on a log scale: LAPACK's every σ_j, the descent's k largest, the ranks shown marked.
void write_spectrum(OutputDir& out, const std::string& stem, const std::string& name,
                    const std::vector<double>& reference, const std::vector<double>& found, const std::vector<std::size_t>& ranks) {
    std::vector<plot::Series> series(2);
    series[0].name = "LAPACK (dgesdd)";
    series[1].name = "descent (trust-region): the " + std::to_string(found.size()) + " largest";  // no comma: a CSV header
    for (std::size_t j = 0; j < reference.size(); ++j) series[0].points.emplace_back(j + 1, reference[j]);
    for (std::size_t j = 0; j < found.size(); ++j) series[1].points.emplace_back(j + 1, found[j]);
    const std::string csv = stem + "_spectrum.csv";
    plot::write_csv(out, csv, "j", series);
    std::cout << "wrote " << out.target(csv).string() << "\n";
    if (reference.front() <= 0.0) {  // σ₁ is the largest
        std::cerr << "image_demo: " << stem << "_spectrum.svg was not drawn: every singular value is 0 (a black picture), "
                                               "and a log scale has no place for 0\n";
        out.remove_at_commit(stem + "_spectrum.svg");  // an old run's picture must not pass for this one's
        return;
    }
    std::string marks;
    for (const std::size_t k : ranks) marks += (marks.empty() ? "" : " ") + std::to_string(k);
    plot::Script("spectrum.gp")
        .set("data", csv)
        .set("title", "image_demo: the singular values of " + name)
        .set("ranks", marks)
        .draw(out, stem + "_spectrum");
}

// Each picture into out's staging directory (a fresh one of ours: no planted link there), in place at commit.
void write_picture(const OutputDir& out, const Matrix& picture, const std::string& name) {
    write_png(picture, out.staging() / name);
    std::cout << "wrote " << out.target(name).string() << "\n";
}

void write_pictures(const OutputDir& out, const std::string& stem, const Matrix& A, const std::vector<RankRow>& rows) {
    std::vector<Matrix> sheet{A};
    write_picture(out, A, stem + "_original.png");
    for (const RankRow& row : rows) {
        const SvdResult& r = row.result;
        sheet.push_back(reconstruct(r.U, r.singular_values, r.V));
        write_picture(out, sheet.back(), stem + "_rank" + std::to_string(row.rank) + ".png");
    }
    write_png(contact_sheet(sheet), out.staging() / (stem + "_contact_sheet.png"));
    std::cout << "wrote " << out.target(stem + "_contact_sheet.png").string() << ": the original, then rank";
    for (const RankRow& row : rows) std::cout << " " << row.rank;
    std::cout << ", left to right\n";
}

int run_demo(const demo::Common& common, const Flags& flags, const demo::MethodFlags& method_flags) {
    const std::filesystem::path path = flags.image;
    const Matrix A = read_image(path);
    const std::string name = path.filename().string(), stem = path.stem().string();
    const std::size_t triplets = std::min(A.rows(), A.cols());
    if (triplets < 2)
        throw std::runtime_error(name + ": the picture is " + std::to_string(A.cols()) + "x" + std::to_string(A.rows()) +
                                 " pixels; a low-rank approximation needs at least 2 pixels each way");
    if (flags.rank && *flags.rank > triplets)
        throw demo::BadFlag("--rank " + std::to_string(*flags.rank) + ": " + name + " (" + std::to_string(A.cols()) + "x" +
                            std::to_string(A.rows()) + " pixels) has only " + std::to_string(triplets) + " singular triplets");
    const std::size_t K = flags.rank.value_or(std::min(default_rank, triplets));
    std::vector<std::size_t> ranks;
    for (const std::size_t k : shown_ranks)
        if (k < K) ranks.push_back(k);
    ranks.push_back(K);

    // The size guard (linalg/memory.hpp): the largest rank's descent, beside A, LAPACK's copy of it and its factors.
    TrustRegionOptions largest = flags.options;
    largest.rank = static_cast<long>(K);
    const double picture_bytes = 8.0 * double(A.size());
    check_svd_memory("", A.rows(), A.cols(), largest, "--rank ", 3.0 * picture_bytes);
    // --out before the work, so a directory that cannot be made is said at once, not after the descents.
    std::optional<OutputDir> out = demo::output_directory(common);  // none with --json

    const auto start = std::chrono::steady_clock::now();
    const ReferenceSvd ref = lapack_svd(A);
    const double lapack_seconds = seconds_since(start);

    if (!common.json && !common.quiet) {
        std::printf("%s: %zux%zu pixels, a %zux%zu matrix A with %zu singular values; the best rank-k approximation of A\n"
                    "by the k largest singular triplets, found by descent (trust-region), at ranks",
                    name.c_str(), A.cols(), A.rows(), A.rows(), A.cols(), triplets);
        for (const std::size_t k : ranks) std::printf(" %zu", k);
        std::printf(". Eckart–Young: no rank-k matrix is closer to A than sqrt(σ_{k+1}² + ...)/‖A‖_F.\n\n");
    }
    std::vector<RankRow> rows;
    demo::Verdict verdict("image_demo");
    int eckart_young_status = demo::exit_converged;
    for (const std::size_t k : ranks) {
        const std::string label = name + " rank " + std::to_string(k);
        rows.push_back(run_rank(A, k, flags, ref, demo::progress_for(common, label, flags.options.max_iterations)));
        verdict.add(label, rows.back().result.report);
        if (!rows.back().reaches_optimum) {
            eckart_young_status = demo::exit_not_converged;
            std::cerr << "image_demo: " << label << " misses the Eckart–Young optimum: relative error "
                      << brief(rows.back().relative_error) << ", optimum " << brief(rows.back().eckart_young) << "\n";
        }
    }
    const int status = demo::worse(verdict.exit_status(), eckart_young_status);
    const std::vector<double>& found = rows.back().result.singular_values;
    const std::vector<double> reference(ref.singular_values.begin(), ref.singular_values.begin() + long(K));

    if (common.json) {
        nlohmann::ordered_json j;
        j["image"] = flags.image;
        j["rows"] = A.rows();
        j["cols"] = A.cols();
        j["rank"] = K;
        j["method"] = "trust-region";
        j["options"] = method_flags.to_json();
        j["singular_values"] = found;
        j["reference_singular_values"] = reference;
        j["lapack_seconds"] = lapack_seconds;
        j["ranks"] = nlohmann::ordered_json::array();
        for (const RankRow& row : rows) j["ranks"].push_back(to_json(row));
        std::cout << j.dump(2) << "\n";
        return status;
    }
    print_table(rows, lapack_seconds);
    if (!common.quiet) {
        std::printf("\n%5s %20s %20s %12s\n", "j", "descent σ_j", "LAPACK σ_j", "difference");
        for (std::size_t j = 0; j < std::min<std::size_t>(K, 10); ++j)
            std::printf("%5zu %20.14g %20.14g %12.2e\n", j + 1, found[j], reference[j], found[j] - reference[j]);
        if (K > 10) std::printf("%5s (all %zu in --json and in the spectrum's CSV)\n", "...", K);
        std::printf("\n");
    }
    write_pictures(*out, stem, A, rows);
    write_spectrum(*out, stem, name, ref.singular_values, found, ranks);
    out->commit();
    // The verdict in words (demo::Verdict counts matrices; here there is one picture, and a run per rank).
    std::string list;
    for (const std::size_t k : ranks) list += (list.empty() ? "" : ", ") + std::to_string(k);
    if (status == demo::exit_converged)
        std::cout << "verdict: trust-region converged at rank " << list << " of " << name
                  << ", and every reconstruction reaches the Eckart–Young optimum\n";
    else
        std::cout << "verdict: not every rank of " << name << " converged to the Eckart–Young optimum (exit status "
                  << status << "; stderr says which)\n";
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"A photograph by descent: the best rank-k approximations of a picture (ranks 1, 5, 20, 50 up to --rank, "
                 "and --rank), from its k largest singular triplets found by the trust-region SVD, each checked against the "
                 "Eckart–Young optimum from LAPACK's singular values. Writes each reconstruction as PNG, a contact sheet, "
                 "and the spectrum (log scale). make demo-image runs it on camera.png.",
                 "image_demo"};
    Flags flags;
    demo::Common common;
    app.add_option("--image", flags.image, "The picture: PNG, PGM/PPM, JPEG, BMP, GIF, TGA or PSD, 8 bits; colour is made grey")
        ->required();
    app.add_option("--rank", flags.rank, "Compute the K largest singular triplets (default 50, or fewer if the picture has fewer)")
        ->check(demo::dimension());
    demo::MethodFlags method_flags(app);
    method_flags.add("--iterations", flags.options.max_iterations, "Most iterations of each descent");
    method_flags.add("--tolerance", flags.options.tolerance, "Relative reconstruction and orthogonality error to reach")
        ->check(demo::nonnegative_number());
    method_flags.add("--guess-seed", flags.options.seed, "Seed of the initial guess");
    demo::add_output_flags(app, common, "Print one JSON object on stdout; writes no files");
    app.footer(demo::exit_status_help() + " A rank whose reconstruction misses the Eckart–Young optimum by more than "
                                          "1e-8 (relative) is not converged: 4.");
    return demo::run(app, argc, argv, [&] { return run_demo(common, flags, method_flags); });
}
