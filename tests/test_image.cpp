// Pictures as matrices (io/image.hpp) and image_demo, on small pictures the tests write themselves: a known rank-2
// pattern plus noise, whose best rank-k approximations Eckart–Young gives from LAPACK's singular values.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>

#include "helpers.hpp"
#include "io/image.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"

using namespace tapegrad;
using tapegrad::testing::contains;
using tapegrad::testing::error_message;
using tapegrad::testing::read_file;
using tapegrad::testing::run;
using tapegrad::testing::Run;
using tapegrad::testing::TempDir;

namespace {

// A 40×56 picture: 0.5 plus two separable waves (rank 2 around the constant, rank 3 in all) plus uniform noise of
// ±0.005, all inside [0, 1].
Matrix rank_two_pattern() {
    const std::size_t m = 40, n = 56;
    const Matrix noise = tapegrad::testing::uniform(m, n, /*seed=*/7, -0.005, 0.005);
    Matrix A(m, n);
    const double pi = std::numbers::pi;
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j)
            A(i, j) = 0.5 + 0.3 * std::sin(2 * pi * double(i) / m) * std::cos(2 * pi * double(j) / n) +
                      0.15 * std::cos(2 * pi * double(i) / m) * std::sin(4 * pi * double(j) / n) + noise(i, j);
    return A;
}

// round(255·x)/255 of each entry clamped to [0, 1]: what an 8-bit PNG keeps of x.
Matrix quantised(const Matrix& A) {
    Matrix Q = A;
    for (std::size_t p = 0; p < Q.size(); ++p) Q.data()[p] = std::round(255 * std::clamp(A.data()[p], 0.0, 1.0)) / 255;
    return Q;
}

std::string bytes_of(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// A PNG file's header (IHDR) starts at byte 16: width and height (4 bytes each, big-endian), then the bit depth.
// stb_image reads the header without checking its CRC, so a patched header is read as written.
std::string with_header(std::string png, std::uint32_t width, std::uint32_t height, char bit_depth) {
    for (int b = 0; b < 4; ++b) {
        png[16 + b] = char(width >> (24 - 8 * b));
        png[20 + b] = char(height >> (24 - 8 * b));
    }
    png[24] = bit_depth;
    return png;
}

// The Frobenius norm of A minus its rank-k truncation by LAPACK's triplets, over ‖A‖_F.
double lapack_truncation_error(const Matrix& A, const ReferenceSvd& ref, std::size_t k) {
    Matrix U(A.rows(), k), V(A.cols(), k);
    for (std::size_t i = 0; i < A.rows(); ++i)
        for (std::size_t j = 0; j < k; ++j) U(i, j) = ref.U(i, j);
    for (std::size_t i = 0; i < A.cols(); ++i)
        for (std::size_t j = 0; j < k; ++j) V(i, j) = ref.V(i, j);
    const std::vector<double> sigma(ref.singular_values.begin(), ref.singular_values.begin() + long(k));
    return reconstruction_error(A, U, sigma, V);
}

double tail_norm(const Matrix& A, const std::vector<double>& sigma, std::size_t k) {  // sqrt(Σ_{j>k} σ_j²) / ‖A‖_F
    double tail = 0.0;
    for (std::size_t j = k; j < sigma.size(); ++j) tail += sigma[j] * sigma[j];
    return std::sqrt(tail) / frobenius_norm(A);
}

}  // namespace

TEST_CASE("image: a PNG written and read back keeps each level to 8 bits, row 0 at the top") {
    const TempDir dir;
    const Matrix A = rank_two_pattern();
    write_png(A, dir / "a.png");
    const Matrix B = read_image(dir / "a.png");
    CHECK(B.shape() == A.shape());
    CHECK(B == quantised(A));
    CHECK(max_abs_diff(A, B) <= 0.5 / 255 + 1e-15);
    // Clamped to [0, 1]; the top-left pixel is entry (0, 0), the bottom-right (1, 2).
    write_png(Matrix{{-0.3, 0.2, 1.0}, {0.0, 0.6, 7.0}}, dir / "c.png");
    CHECK(read_image(dir / "c.png") == Matrix{{0.0, 51.0 / 255, 1.0}, {0.0, 153.0 / 255, 1.0}});
    CHECK(contains(error_message([&] { write_png(Matrix{{0.5, std::nan("")}}, dir / "n.png"); }), "entry 1 of the picture is NaN"));
    CHECK(contains(error_message([&] { write_png(Matrix(), dir / "e.png"); }), "the picture is empty"));
    CHECK(contains(error_message([&] { write_png(A, dir / "no" / "such.png"); }), "cannot write the PNG file"));
}

TEST_CASE("image: PGM grey and PPM colour, colour made grey by BT.601 luma") {
    const TempDir dir;
    write_bytes(dir / "g.pgm", std::string("P5\n3 2\n255\n") + std::string("\x00\x80\xff\x10\x20\x30", 6));
    CHECK(read_image(dir / "g.pgm") == Matrix{{0.0, 128.0 / 255, 1.0}, {16.0 / 255, 32.0 / 255, 48.0 / 255}});
    // Pure red, green, blue and a grey (200, 100, 50) whose luma is 0.299·200 + 0.587·100 + 0.114·50 = 124.2.
    write_bytes(dir / "c.ppm", std::string("P6\n2 2\n255\n") + std::string("\xff\x00\x00\x00\xff\x00\x00\x00\xff\xc8\x64\x32", 12));
    const Matrix grey = read_image(dir / "c.ppm");
    CHECK(grey(0, 0) == doctest::Approx(0.299).epsilon(1e-15));
    CHECK(grey(0, 1) == doctest::Approx(0.587).epsilon(1e-15));
    CHECK(grey(1, 0) == doctest::Approx(0.114).epsilon(1e-15));
    CHECK(grey(1, 1) == doctest::Approx(124.2 / 255).epsilon(1e-15));
}

TEST_CASE("image: a missing, empty, non-image, cut-short, 16-bit or huge file is refused, naming it and what is wrong") {
    const TempDir dir;
    const auto error = [](const std::filesystem::path& p) { return error_message([&] { read_image(p); }); };
    CHECK(contains(error(dir / "missing.png"), "missing.png: cannot open the file (No such file or directory)"));
    CHECK(contains(error(dir.path()), "is a directory, not an image"));
    write_bytes(dir / "empty.png", "");
    CHECK(contains(error(dir / "empty.png"), "empty.png: the file is empty"));
    write_bytes(dir / "notes.txt", "1, 2, 3\n4, 5, 6\n");
    CHECK(contains(error(dir / "notes.txt"), "notes.txt: not an image stb_image can read"));

    write_png(rank_two_pattern(), dir / "whole.png");
    const std::string png = bytes_of(dir / "whole.png");
    write_bytes(dir / "cut.png", png.substr(0, png.size() / 2));
    CHECK(contains(error(dir / "cut.png"), "cut.png: the image data is damaged or cut short (stb_image: "));
    write_bytes(dir / "deep.png", with_header(png, 56, 40, 16));
    CHECK(contains(error(dir / "deep.png"), "deep.png: 16 bits per channel; read_image takes 8-bit images"));
    write_bytes(dir / "deep.pgm", std::string("P5\n2 1\n65535\n") + std::string("\x01\x00\xff\xff", 4));
    CHECK(contains(error(dir / "deep.pgm"), "16 bits per channel"));
    // The header says 100000×100000: refused from the header alone, before 10^10 pixels are decoded.
    write_bytes(dir / "huge.png", with_header(png, 100000, 100000, 8));
    CHECK(contains(error(dir / "huge.png"),
                   "huge.png: 100000x100000 pixels is more than read_image takes (16777216 pixels, 4096x4096)"));
    write_bytes(dir / "wide.png", with_header(png, 4097, 4096, 8));
    CHECK(contains(error(dir / "wide.png"), "4097x4096 pixels is more than"));
}

TEST_CASE("image: a contact sheet puts the pictures side by side on white, shrunk by one whole factor") {
    const Matrix a(2, 3, 0.25), b(4, 1, 0.75);
    const Matrix sheet = contact_sheet({a, b}, 320, 1);
    REQUIRE(sheet.shape() == Shape{6, 1 + 3 + 1 + 1 + 1});
    CHECK(sheet == Matrix{{1, 1, 1, 1, 1, 1, 1},
                          {1, 0.25, 0.25, 0.25, 1, 0.75, 1},
                          {1, 0.25, 0.25, 0.25, 1, 0.75, 1},
                          {1, 1, 1, 1, 1, 0.75, 1},
                          {1, 1, 1, 1, 1, 0.75, 1},
                          {1, 1, 1, 1, 1, 1, 1}});
    // max_side 2: the 4-high picture needs factor 2; each 2×2 block becomes its mean, a block cut by the edge the
    // mean of what it has.
    const Matrix c{{0, 1, 0.5}, {1, 0, 0.5}, {0.2, 0.2, 0.1}, {0.2, 0.2, 0.1}};
    CHECK(contact_sheet({c}, 2, 0) == Matrix{{0.5, 0.5}, {0.2, 0.1}});
    CHECK(contains(error_message([] { contact_sheet({}); }), "no pictures"));
    CHECK(contains(error_message([] { contact_sheet({Matrix()}); }), "a picture is empty"));
}

TEST_CASE("image_demo: the rank-2 pattern plus noise, each rank's reconstruction at the Eckart–Young optimum") {
    const TempDir dir;
    write_png(rank_two_pattern(), dir / "pattern.png");
    const Matrix A = read_image(dir / "pattern.png");  // what the demo reads: 8-bit levels
    const ReferenceSvd ref = lapack_svd(A);
    // Eckart–Young on this picture: LAPACK's own rank-k truncation leaves sqrt(Σ_{j>k} σ_j²), and rank 3 (the
    // constant and two waves, orthogonal) leaves only the noise and the 8-bit rounding: about 0.003 a pixel in
    // root mean square, against the picture's 0.5 or so.
    for (const std::size_t k : {1, 3, 5, 10})
        CHECK(lapack_truncation_error(A, ref, k) == doctest::Approx(tail_norm(A, ref.singular_values, k)).epsilon(1e-12));
    CHECK(tail_norm(A, ref.singular_values, 2) > 0.1);
    CHECK(tail_norm(A, ref.singular_values, 3) < 0.01);

    const Run r = run("image_demo", "--image " + (dir / "pattern.png").string() + " --rank 10 --json");
    CHECK(r.exit_code == 0);
    INFO(r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["rows"] == 40);
    CHECK(j["cols"] == 56);
    CHECK(j["rank"] == 10);
    const std::vector<double> found = j["singular_values"], reference = j["reference_singular_values"];
    REQUIRE(found.size() == 10);
    REQUIRE(reference.size() == 10);
    for (std::size_t i = 0; i < 10; ++i) {
        CHECK(reference[i] == ref.singular_values[i]);
        CHECK(std::abs(found[i] - reference[i]) <= 1e-8 * reference[0]);
        if (i > 0) CHECK(found[i] <= found[i - 1]);
    }
    REQUIRE(j["ranks"].size() == 3);  // 1 and 5 (the default ranks up to 10), and 10
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& row = j["ranks"][i];
        const std::size_t k = row["rank"];
        CHECK(k == std::vector<std::size_t>{1, 5, 10}[i]);
        const double optimum = tail_norm(A, ref.singular_values, k), error = row["relative_error"];
        CHECK(double(row["eckart_young"]) == doctest::Approx(optimum).epsilon(1e-14));
        CHECK(error >= optimum * (1 - 1e-12));  // no rank-k matrix is closer
        CHECK(error <= optimum * (1 + 1e-8));   // and the descent's gets there
        CHECK(row["reaches_eckart_young"] == true);
        CHECK(double(row["storage_ratio"]) == doctest::Approx(double(k) * (40 + 56 + 1) / (40 * 56)).epsilon(1e-15));
        CHECK(row["status"] == "converged");
        CHECK(int(row["iterations"]) > 0);
        CHECK(double(row["wall_seconds"]) > 0);
    }
    CHECK(double(j["lapack_seconds"]) > 0);
}

TEST_CASE("image_demo: the reconstructions, the contact sheet and the spectrum, as files") {
    const TempDir dir;
    write_png(rank_two_pattern(), dir / "pattern.png");
    const Matrix A = read_image(dir / "pattern.png");
    const Run r = run("image_demo", "--image " + (dir / "pattern.png").string() + " --rank 5 --quiet --out " + (dir / "out").string());
    CHECK(r.exit_code == 0);
    INFO(r.err);
    CHECK(contains(r.out, "verdict: trust-region converged at rank 1, 5 of pattern.png, and every reconstruction reaches "
                          "the Eckart–Young optimum"));
    CHECK(read_image(dir / "out" / "pattern_original.png") == A);
    // Rank 5 as LAPACK's truncation would draw it, to a level of rounding either way.
    const ReferenceSvd ref = lapack_svd(A);
    Matrix U(40, 5), V(56, 5);
    for (std::size_t i = 0; i < 40; ++i)
        for (std::size_t j = 0; j < 5; ++j) U(i, j) = ref.U(i, j);
    for (std::size_t i = 0; i < 56; ++i)
        for (std::size_t j = 0; j < 5; ++j) V(i, j) = ref.V(i, j);
    const std::vector<double> sigma(ref.singular_values.begin(), ref.singular_values.begin() + 5);
    CHECK(max_abs_diff(read_image(dir / "out" / "pattern_rank5.png"), quantised(reconstruct(U, sigma, V))) <= 1.0 / 255 + 1e-15);
    // The sheet: the original, rank 1 and rank 5, 8 pixels apart and around; the original's pixels unchanged.
    const Matrix sheet = read_image(dir / "out" / "pattern_contact_sheet.png");
    REQUIRE(sheet.shape() == Shape{40 + 16, 8 + 3 * (56 + 8)});
    for (std::size_t i = 0; i < 40; ++i)
        for (std::size_t j = 0; j < 56; ++j) REQUIRE(sheet(8 + i, 8 + j) == A(i, j));
    CHECK(sheet(0, 0) == 1.0);
    // The spectrum's CSV: every σ of LAPACK's, the descent's 5.
    const std::string csv = read_file(dir / "out" / "pattern_spectrum.csv");
    CHECK(csv.rfind("j,LAPACK (dgesdd),descent (trust-region): the 5 largest\n1,", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 40);
    CHECK(contains(read_file(dir / "out" / "pattern_spectrum.gp"), "ranks = \"1 5\""));
}

TEST_CASE("image_demo: a black picture, every σ 0, is its own best approximation; its spectrum is not drawn") {
    const TempDir dir;
    write_png(Matrix(6, 8, 0.0), dir / "black.png");
    const Run r = run("image_demo", "--image " + (dir / "black.png").string() + " --quiet --out " + (dir / "out").string());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "verdict: trust-region converged at rank 1, 5, 6 of black.png"));
    CHECK(contains(r.err, "black_spectrum.svg was not drawn: every singular value is 0"));
    CHECK(read_image(dir / "out" / "black_rank5.png") == Matrix(6, 8, 0.0));
}

TEST_CASE("image_demo: bad pictures exit 1, bad flags 2, each with a message") {
    const TempDir dir;
    const auto demo = [&dir](const std::string& args) {
        return run("image_demo", args + " --quiet --out " + (dir / "never-written").string());
    };
    write_png(rank_two_pattern(), dir / "pattern.png");
    write_png(Matrix{{0.5}}, dir / "dot.png");
    write_png(Matrix{{0.5, 0.25, 1.0}}, dir / "line.png");
    write_bytes(dir / "notes.txt", "not a picture\n");
    const std::string png = bytes_of(dir / "pattern.png");
    write_bytes(dir / "deep.png", with_header(png, 56, 40, 16));
    write_bytes(dir / "huge.png", with_header(png, 100000, 100000, 8));
    write_bytes(dir / "cut.png", png.substr(0, png.size() / 2));
    const std::pair<std::string, std::string> bad_pictures[] = {
        {"missing.png", "missing.png: cannot open the file"},
        {"notes.txt", "not an image stb_image can read"},
        {"cut.png", "cut.png: the image data is damaged or cut short"},
        {"dot.png", "dot.png: the picture is 1x1 pixels; a low-rank approximation needs at least 2 pixels each way"},
        {"line.png", "the picture is 3x1 pixels"},
        {"deep.png", "16 bits per channel"},
        {"huge.png", "100000x100000 pixels is more than read_image takes"},
    };
    for (const auto& [file, message] : bad_pictures) {
        const Run r = demo("--image " + (dir / file).string());
        CAPTURE(file);
        CHECK(r.exit_code == 1);
        CHECK(contains(r.err, "image_demo: error: "));
        CHECK(contains(r.err, message));
    }
    // An --out that cannot be made is said before any work.
    const Run out = run("image_demo", "--image " + (dir / "pattern.png").string() + " --out /dev/null/pictures");
    CHECK(out.exit_code == 1);
    CHECK(contains(out.err, "--out /dev/null/pictures: cannot create the directory"));
    CHECK(out.out.empty());

    const std::pair<std::string, std::string> bad_flags[] = {
        {"", "--image is required"},
        {"--image " + (dir / "pattern.png").string() + " --rank 41", "--rank 41: pattern.png (56x40 pixels) has only 40 singular triplets"},
        {"--image " + (dir / "pattern.png").string() + " --rank 0", "--rank: must be a whole number from 1 to 100000 (got 0)"},
        {"--image " + (dir / "pattern.png").string() + " --lr 0.1", "--lr"},
        {"--image " + (dir / "pattern.png").string() + " --tolerance -1", "--tolerance: must be a number >= 0"},
    };
    for (const auto& [args, message] : bad_flags) {
        const Run r = demo(args);
        CAPTURE(args);
        CHECK(r.exit_code == 2);
        CHECK(contains(r.err, message));
    }
}
