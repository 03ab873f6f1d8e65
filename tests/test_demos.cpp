// The three demo programs, run as a user runs them: default runs, --json output parsed, and every kind of
// bad input rejected with a message and a non-zero exit (never a crash or a hang).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "helpers.hpp"

using tapegrad::testing::contains;
using tapegrad::testing::plotted_series;
using tapegrad::testing::read_file;
using tapegrad::testing::run;
using tapegrad::testing::Run;
using tapegrad::testing::TempDir;

namespace {

std::string data(const std::string& name) { return std::string(TAPEGRAD_DATA_DIR) + "/" + name; }

// Writes text to a file in dir and returns its path.
std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
}

// The numbers of a CSV row: "1,2.5,,3" is {1, 2.5, NaN, 3}.
std::vector<double> csv_numbers(const std::string& row) {
    std::vector<double> numbers;
    std::stringstream cells(row);
    for (std::string cell; std::getline(cells, cell, ',');) numbers.push_back(cell.empty() ? NAN : std::stod(cell));
    return numbers;
}

}  // namespace

TEST_CASE("tensors_demo: the tutorial's part 0 numbers, the tape's graph, the plot, and --json") {
    const TempDir out;
    const Run r = run("tensors_demo", "--out " + out.path().string());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "dot(a, b) = 32"));
    CHECK(contains(r.out, "dz/dx = y⁵ = 16807"));
    CHECK(contains(r.out, "dz/dy = 5xy⁴ = 36015"));
    CHECK(contains(r.out, "d²z/dx² = 0 (closed form 0)"));
    CHECK(contains(r.out, "d²z/dxdy = 5y⁴ = 12005 (closed form 12005)"));
    CHECK(contains(r.out, "d²z/dy² = 20xy³ = 20580 (closed form 20580)"));
    // The graph of z = x·y⁵ after backward: x's adjoint is dz/dx, y's dz/dy, pow's ∂z/∂(y⁵) = x.
    const std::string dot = read_file(out / "tape_z.dot");
    CHECK(contains(dot, "n0 [label=\"#0 x = param | 1x1 | value 3 | adjoint 16807\"]"));
    CHECK(contains(dot, "n1 [label=\"#1 y = param | 1x1 | value 7 | adjoint 36015\"]"));
    CHECK(contains(dot, "n2 [label=\"#2 pow 5 | 1x1 | value 16807 | adjoint 3\"]"));
    CHECK(contains(dot, "n3 [label=\"#3 z = multiply | 1x1 | value 50421 | adjoint 1\"]"));
    CHECK(contains(read_file(out / "tape_z.svg"), "adjoint 36015"));
    // The plot: sin, cos, the tape's derivative on cos, -sin and the tape's second derivative on it, from the CSV
    // it was drawn from.
    CHECK(plotted_series(read_file(out / "sin_derivative.svg")) ==
          std::vector<std::string>{"sin(x)", "cos(x)", "tape: d/dx sin(x)", "-sin(x)", "tape: d²/dx² sin(x)"});
    std::stringstream csv(read_file(out / "sin_derivative.csv"));
    std::string row;
    std::getline(csv, row);
    CHECK(row == "x,sin(x),tape: d/dx sin(x),cos(x),tape: d²/dx² sin(x),-sin(x)");
    int rows = 0;
    for (; std::getline(csv, row); ++rows) {
        const std::vector<double> v = csv_numbers(row);
        REQUIRE(v.size() == 6);
        CHECK(v[1] == doctest::Approx(std::sin(v[0])).epsilon(1e-15));
        CHECK(v[2] == doctest::Approx(std::cos(v[0])).epsilon(1e-15));
        CHECK(v[3] == doctest::Approx(std::cos(v[0])).epsilon(1e-15));
        CHECK(v[4] == doctest::Approx(-std::sin(v[0])).epsilon(1e-15));
        CHECK(v[5] == doctest::Approx(-std::sin(v[0])).epsilon(1e-15));
    }
    CHECK(rows == 100);
    const Run j = run("tensors_demo", "--json");
    REQUIRE(j.exit_code == 0);
    const auto json = nlohmann::json::parse(j.out);
    CHECK(json["dot"] == 32.0);
    CHECK(json["dz_dx"] == 16807.0);
    CHECK(json["dz_dy"] == 36015.0);
    CHECK(json["max_sin_derivative_error"].get<double>() <= 1e-12);
    CHECK(json["d2z_dx2"] == 0.0);
    CHECK(json["d2z_dxdy"] == 12005.0);
    CHECK(json["d2z_dy2"] == 20580.0);
    CHECK(json["max_sin_second_derivative_error"].get<double>() <= 1e-12);
}

TEST_CASE("without gnuplot and dot a demo still prints its results, says what it did not draw, and exits 0") {
    const TempDir out;
    const Run r = run("tensors_demo", "--out " + out.path().string(), "PATH=/nonexistent");
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "dz/dy = 5xy⁴ = 36015"));
    CHECK(contains(r.err, "tape_z.svg was not drawn: dot is not installed (Debian package graphviz)"));
    CHECK(contains(r.err, "sin_derivative.svg was not drawn: gnuplot is not installed (Debian package gnuplot-nox)"));
    for (const char* file : {"tape_z.dot", "sin_derivative.csv", "sin_derivative.gp"}) CHECK(std::filesystem::exists(out / file));
    for (const char* file : {"tape_z.svg", "sin_derivative.svg"}) CHECK_FALSE(std::filesystem::exists(out / file));
}

TEST_CASE("inverse_demo: both tutorial matrices, X·M printed, plot and CSV written") {
    const TempDir out;
    const Run r = run("inverse_demo", "--out " + out.path().string());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "== M1 (4x4) =="));
    CHECK(contains(r.out, "== M2 (4x4) =="));
    CHECK(contains(r.out, "X·M =\n[[ 1.0000,"));
    const std::string svg = read_file(out / "inverse_convergence.svg");
    CHECK(contains(svg, "inverse_demo: descent, the loss at each iteration"));
    CHECK(contains(svg, "mse(X·M, I)"));
    CHECK(plotted_series(svg) == std::vector<std::string>{"M1 (4x4)", "M2 (4x4)"});
    const std::string csv = read_file(out / "inverse_losses.csv");
    CHECK(csv.rfind("iteration,M1,M2\n0,", 0) == 0);  // iteration 0: the guess
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 10002);
    CHECK(contains(r.out, "verdict: descent converged on all 2 matrices\n"));
}

TEST_CASE("inverse_demo --json: the tutorial's M1, converged, and exactly the options that ran") {
    const Run r = run("inverse_demo", "--json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "converged");
    CHECK(j["iterations"] == 10000);
    CHECK(j["residual"].get<double>() < 1e-13);
    CHECK(j["max_error_vs_reference"].get<double>() < 1e-13);
    CHECK(j["check"]["residual"].get<double>() <= j["check"]["allowed"].get<double>());
    CHECK(j["inverse"].size() == 4);
    CHECK(j["method"] == "descent");
    CHECK(j["options"] == nlohmann::json::parse(R"({"variant": "right", "optimizer": "momentum", "lr": 0.9, "momentum": 0.9,
                                                   "iterations": 10000, "tolerance": 0.0, "guess-seed": 314})"));
    for (const char* key : {"final_loss", "wall_seconds", "tape_passes", "condition_number"}) CHECK(j.contains(key));
    // Adam takes no momentum: the options say so by leaving it out.
    const Run adam = run("inverse_demo", "--optimizer adam --iterations 10 --json");
    CHECK(adam.exit_code == 4);
    const auto a = nlohmann::json::parse(adam.out)["options"];
    CHECK(a["optimizer"] == "adam");
    CHECK(a["lr"] == 0.01);
    CHECK(!a.contains("momentum"));
    const Run cg = run("inverse_demo", "--rows 5 --method conjugate_gradient --variant left --json");
    CHECK(nlohmann::json::parse(cg.out)["options"] ==
          nlohmann::json::parse(R"({"variant": "left", "iterations": 10000, "tolerance": 0.0, "guess-seed": 314})"));
}

TEST_CASE("svd_demo: the five tutorial matrices, their checks, one plot of five curves, the tape's graph, M3's verdict") {
    const TempDir out;
    const Run r = run("svd_demo", "--out " + out.path().string());
    // The tutorial's method is still 7e-4 from M3's SVD after its 20,000 steps: exit status 4, said in words.
    CHECK(r.exit_code == 4);
    CHECK(contains(r.out, "verdict: penalty did not converge on M3 (7x4) max_iterations (exit status 4)\n"));
    CHECK(contains(r.err, "svd_demo: M3 (7x4) max_iterations: took all 20000 steps"));
    for (const char* m : {"M1 (5x4)", "M2 (4x4)", "M3 (7x4)", "M4 (4x3)", "M5 (4x3)"})
        CHECK(contains(r.out, std::string("== ") + m + " =="));
    const std::string svg = read_file(out / "svd_convergence.svg");
    CHECK(contains(svg, "svd_demo: penalty, the loss at each iteration"));
    CHECK(plotted_series(svg) == std::vector<std::string>{"M1 (5x4)", "M2 (4x4)", "M3 (7x4)", "M4 (4x3)", "M5 (4x3)"});
    CHECK(contains(r.out, "U S Vᵀ - M ="));
    CHECK(contains(r.out, "UᵀU ="));
    CHECK(contains(r.out, "LAPACK (dgesdd)"));
    const std::string csv = read_file(out / "svd_losses.csv");
    REQUIRE(csv.rfind("iteration,M1,M2,M3,M4,M5\n", 0) == 0);
    // The tape of one step of the tutorial's loss, at the first guess on M1: its loss is the run's first.
    const std::string dot = read_file(out / "tape_svd_loss.dot");
    for (const char* node : {"#0 U = param | 5x4", "#1 d = param | 1x4", "#2 V = param | 4x4", "matmul_transposed | 5x4",
                             "gram | 4x4", "mse | 1x1", "loss = add | 1x1"})
        CHECK_MESSAGE(contains(dot, node), node);
    const std::size_t at = dot.find("loss = add | 1x1 | value ") + 25;
    const std::size_t row = csv.find("\n0,") + 1;  // iteration 0: the guess
    const double first_loss = csv_numbers(csv.substr(row, csv.find('\n', row) - row))[1];
    CHECK(std::stod(dot.substr(at)) == doctest::Approx(first_loss).epsilon(1e-5));  // the graph prints 6 digits
    CHECK(contains(read_file(out / "tape_svd_loss.svg"), "matmul_transposed"));
}

TEST_CASE("svd_demo --matrix M1.csv --json matches LAPACK to 1e-6") {
    const Run r = run("svd_demo", "--matrix " + data("svd_M1_5x4.csv") + " --json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key : {"status", "iterations", "final_loss", "singular_values", "U", "V", "reference_singular_values",
                            "max_singular_value_error", "reconstruction_error", "orthogonality_error_U",
                            "orthogonality_error_V", "wall_seconds", "method", "options", "check", "tape_passes"})
        CHECK_MESSAGE(j.contains(key), key);
    CHECK(j["options"] == nlohmann::json::parse(R"({"iterations": 1000, "tolerance": 1.5e-10, "guess-seed": 314, "rank": 0})"));
    const auto s = j["singular_values"].get<std::vector<double>>();
    const auto ref = j["reference_singular_values"].get<std::vector<double>>();
    REQUIRE(s.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(std::abs(s[i] - ref[i]) < 1e-6);
    CHECK(j["max_singular_value_error"].get<double>() < 1e-6);
    CHECK(j["U"].size() == 5);
    CHECK(j["V"].size() == 4);
}

TEST_CASE("svd_demo: a random wide matrix from --rows/--cols, quietly") {
    const TempDir out;
    const Run r = run("svd_demo", "--rows 3 --cols 5 --seed 3 --quiet --out " + out.path().string());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "random (3x5):"));
}

TEST_CASE("svd_demo --rank: the k largest triplets, as LAPACK's; a rank too large or a method without one is refused") {
    const Run r = run("svd_demo", "--rows 40 --cols 25 --rank 3 --json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "converged");
    CHECK(j["options"]["rank"] == 3);
    const auto s = j["singular_values"].get<std::vector<double>>();
    const auto ref = j["reference_singular_values"].get<std::vector<double>>();
    REQUIRE(s.size() == 3);
    REQUIRE(ref.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(s[i] - ref[i]) <= 1e-8 * ref[0]);
    CHECK(j["U"].size() == 40);
    CHECK(j["U"][0].size() == 3);
    CHECK(j["V"].size() == 25);
    CHECK(j["check"]["triplet_residual"].get<double>() <= j["check"]["allowed"].get<double>());
    CHECK(!j["check"].contains("reconstruction_error"));  // not measured for a truncated SVD
    const TempDir out;
    const Run text = run("svd_demo", "--rows 30 --cols 50 --rank 2 --method stiefel-cg --out " + out.path().string());
    CHECK(text.exit_code == 0);
    CHECK(contains(text.out, "largest triplet residual (relative to σ1)"));
    const Run too_large = run("svd_demo", "--rows 30 --cols 20 --rank 21");
    CHECK(too_large.exit_code == 2);
    CHECK(contains(too_large.err, "--rank 21 is more than min(rows, cols) = 20 of random (30x20)"));
    const Run far_too_large = run("svd_demo", "--rows 30 --cols 20 --rank 100000");  // a bad flag, not a memory need
    CHECK(far_too_large.exit_code == 2);
    CHECK(contains(far_too_large.err, "--rank 100000 is more than min(rows, cols) = 20 of random (30x20)"));
    CHECK(run("svd_demo", "--cols 6 --rank 2 --quiet --out " + out.path().string()).exit_code == 0);  // --cols alone: 6x6
    const Run penalty = run("svd_demo", "--method penalty --rank 2");
    CHECK(penalty.exit_code == 2);
    CHECK(contains(penalty.err, "--rank is not a flag of --method penalty"));
    CHECK(run("svd_demo", "--rows 5 --rank -1").exit_code == 2);
}

TEST_CASE("the size guard: a run too large for memory is refused before the matrix is made, exit 1") {
    const Run svd = run("svd_demo", "--rows 100000 --cols 100000");
    CHECK(svd.exit_code == 1);
    CHECK(contains(svd.err, "svd_demo: error: an SVD of a 100000x100000 matrix by trust-region needs about"));
    CHECK(contains(svd.err, "(--rank 10) would need about"));
    const Run inverse = run("inverse_demo", "--rows 100000 --method conjugate_gradient");
    CHECK(inverse.exit_code == 1);
    CHECK(contains(inverse.err, "inverse_demo: error: an inverse of a 100000x100000 matrix by conjugate_gradient needs about"));
}

TEST_CASE("bad input files: a message naming file and line, a non-zero exit") {
    const TempDir dir;
    const struct {
        std::string name, text, message;
    } cases[] = {
        {"empty.csv", "", "empty.csv: no numbers found"},
        {"comments.csv", "# nothing\n\n", "comments.csv: no numbers found"},
        {"word.csv", "1,2\n3,abc\n", "word.csv:2: expected a number, got \"abc\""},
        {"ragged.csv", "1,2,3\n4,5\n", "ragged.csv:2: row has 2 entries"},
        {"nan.csv", "1,nan\n3,4\n", "nan.csv:1: entry 2 is not finite"},
        {"inf.csv", "1,2\ninf,4\n", "inf.csv:2: entry 1 is not finite"},
    };
    for (const auto& c : cases)
        for (const char* program : {"svd_demo", "inverse_demo"}) {
            CAPTURE(c.name);
            CAPTURE(program);
            const Run r = run(program, "--matrix " + write(dir, c.name, c.text));
            CHECK(r.exit_code == 1);
            CHECK(contains(r.err, c.message));
            CHECK(r.out.empty());
        }
    const Run missing = run("svd_demo", "--matrix " + (dir / "missing.csv").string());
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "missing.csv: cannot open file"));
}

TEST_CASE("inverse_demo: non-square and singular matrices are rejected as such") {
    const TempDir dir;
    const Run tall = run("inverse_demo", "--matrix " + write(dir, "tall.csv", "1,2\n3,4\n5,6\n"));
    CHECK(tall.exit_code == 1);
    CHECK(contains(tall.err, "tall.csv (3x2) is not square"));
    const Run singular = run("inverse_demo", "--matrix " + write(dir, "singular.csv", "1,2\n2,4\n"));
    CHECK(singular.exit_code == 1);
    CHECK(contains(singular.err, "singular.csv (2x2) is singular"));
    CHECK_FALSE(contains(singular.out, "converged"));
    const Run nearly = run("inverse_demo", "--matrix " + write(dir, "nearly.csv", "1,1\n1,1.0000000000000002\n"));
    CHECK(nearly.exit_code == 1);
    CHECK(contains(nearly.err, "singular"));
}

TEST_CASE("bad flags: unknown, negative or non-numeric values are named, exit status 2") {
    const struct {
        std::string program, args, message;
    } cases[] = {
        {"svd_demo", "--bogus", "--bogus"},
        {"inverse_demo", "--iterations -5", "--iterations: must be a whole number >= 0 (got -5)"},
        {"inverse_demo", "--iterations 1e3", "--iterations: must be a whole number >= 0 (got 1e3)"},
        {"svd_demo", "--lr abc", "--lr: must be a number > 0 (got abc)"},
        {"svd_demo", "--lr -0.5", "--lr: must be a number > 0 (got -0.5)"},
        {"svd_demo", "--lr nan", "--lr: must be a number > 0 (got nan)"},
        {"svd_demo", "--lr inf", "--lr: must be a number > 0 (got inf)"},
        {"inverse_demo", "--rows -3", "--rows: must be a whole number from 1 to 100000 (got -3)"},
        {"svd_demo", "--rows 0", "--rows: must be a whole number from 1 to 100000 (got 0)"},
        {"svd_demo", "--rows 18446744073709551615", "--rows: must be a whole number from 1 to 100000"},
        {"svd_demo", "--seed -1", "--seed: must be a whole number from 0 to 2^64 - 1 (got -1)"},
        {"svd_demo", "--seed 99999999999999999999", "--seed: must be a whole number from 0 to 2^64 - 1"},
        {"svd_demo", "--momentum 1", "--momentum: must be a number in [0, 1) (got 1)"},
        {"svd_demo", "--tolerance -1", "--tolerance: must be a number >= 0 (got -1)"},
        {"svd_demo", "--optimizer rmsprop", "--optimizer"},
        {"inverse_demo", "--variant middle", "--variant"},
        {"svd_demo", "--method magic", "magic"},
        {"svd_demo", "--matrix a.csv --rows 3", "--matrix"},
        {"tensors_demo", "--rows 3", "--rows"},
        {"inverse_demo", "--optimizer adam --momentum 0.5", "--momentum is not used by --optimizer adam"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.program + " " + c.args);
        const Run r = run(c.program, c.args);
        CHECK(r.exit_code == 2);
        CHECK(contains(r.err, c.message));
    }
}

TEST_CASE("a flag the chosen method does not take is refused, naming the method and the flags it takes") {
    const struct {
        std::string program, args, message;
    } cases[] = {
        {"svd_demo", "--rows 8 --cols 5 --optimizer adam --lr 0.5",
         "--optimizer, --lr are not flags of --method trust-region, which takes --iterations --tolerance --guess-seed"},
        {"svd_demo", "--method stiefel --momentum 0.5", "--momentum is not a flag of --method stiefel, which takes --iterations"},
        {"inverse_demo", "--method conjugate_gradient --optimizer adam --lr 1e-9",
         "--optimizer, --lr are not flags of --method conjugate_gradient, which takes --variant --iterations --tolerance "
         "--guess-seed"},
        {"inverse_demo", "--method newton_schulz --guess-seed 3", "--guess-seed is not a flag of --method newton_schulz"},
        {"inverse_demo", "--method scaled_descent --lr 0.5", "--lr is not a flag of --method scaled_descent, which takes "
                                                             "--variant --step-fraction --momentum"},
        {"inverse_demo", "--method line_search --momentum 0.5", "--momentum is not a flag of --method line_search"},
        {"inverse_demo", "--method conjugate_gradient --variant both", "--variant: both not in {right,left}"},
        {"inverse_demo", "--step-fraction 0.5", "--step-fraction is not a flag of --method descent"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.program + " " + c.args);
        const Run r = run(c.program, c.args);
        CHECK(r.exit_code == 2);
        CHECK(contains(r.err, c.message));
        CHECK(r.out.empty());  // refused before anything ran
    }
    // --help lists every method's flags, and the exit statuses.
    const Run help = run("inverse_demo", "--help");
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "conjugate_gradient: --variant --iterations --tolerance --guess-seed"));
    CHECK(contains(help.out, "4 a run stopped without converging"));
    const Run method_help = run("svd_demo", "--method trust-region --help");
    CHECK(contains(method_help.out, "--tolerance"));
    CHECK(!contains(method_help.out, "--lr FLOAT"));
}

TEST_CASE("a diverging descent is reported, with exit status 3") {
    const TempDir out;
    // --seed 7's random 3x5 is one of the matrices the tutorial's method with its lr 0.9 cannot handle.
    const Run r = run("svd_demo", "--rows 3 --cols 5 --seed 7 --method penalty --quiet --out " + out.path().string());
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "svd_demo: random (3x5) diverged: the loss"));
    CHECK(contains(r.out, "verdict: penalty did not converge on random (3x5) diverged (exit status 3)"));
}

TEST_CASE("inverse_demo: with --matrix the default is the most robust method; --method picks any") {
    const Run robust = run("inverse_demo", "--matrix " + data("inverse_M1_4x4.csv") + " --json");
    REQUIRE(robust.exit_code == 0);
    const auto j = nlohmann::json::parse(robust.out);
    CHECK(j["method"] == "conjugate_gradient");
    CHECK(j["status"] == "converged");
    CHECK(j["iterations"].get<int>() <= 10);
    CHECK(j["residual"].get<double>() < 1e-12);
    const Run tutorial = run("inverse_demo", "--json");
    CHECK(nlohmann::json::parse(tutorial.out)["method"] == "descent");
    const Run ns = run("inverse_demo", "--rows 6 --seed 3 --method newton_schulz --json");
    CHECK(nlohmann::json::parse(ns.out)["max_error_vs_reference"].get<double>() < 1e-8);
}

TEST_CASE("svd_demo: with --matrix or --rows the default is the most robust method") {
    const Run m1 = run("svd_demo", "--matrix " + data("svd_M1_5x4.csv") + " --json");
    REQUIRE(m1.exit_code == 0);
    const auto j = nlohmann::json::parse(m1.out);
    CHECK(j["method"] == "trust-region");
    CHECK(j["status"] == "converged");
    CHECK(j["iterations"].get<int>() <= 100);
    CHECK(j["max_singular_value_error"].get<double>() < 1e-12);
    // The matrix on which the tutorial's method diverges (the test above) is no trouble for it.
    const Run hard = run("svd_demo", "--rows 3 --cols 5 --seed 7 --json");
    REQUIRE(hard.exit_code == 0);
    CHECK(nlohmann::json::parse(hard.out)["status"] == "converged");
    CHECK(nlohmann::json::parse(run("svd_demo", "--json").out)["method"] == "penalty");
}

TEST_CASE("--out is checked before computing: a directory that cannot be made is refused at once, exit status 1") {
    for (const char* program : {"tensors_demo", "inverse_demo", "svd_demo"}) {
        CAPTURE(program);
        // 64x64 with the penalty method and adam takes seconds; the refusal comes before any of it.
        const Run r = run(program, std::string(program) == std::string("svd_demo")
                                       ? "--rows 64 --method penalty --optimizer adam --out /proc/tapegrad"
                                       : "--out /proc/tapegrad");
        CHECK(r.exit_code == 1);
        CHECK(contains(r.err, "error: --out /proc/tapegrad: cannot create the directory"));
        CHECK(r.out.empty());  // nothing computed, nothing printed
    }
}

TEST_CASE("a symbolic link planted at an output file's name is replaced; the file it points to stays untouched") {
    const TempDir out, elsewhere;
    const std::string precious = "not the demo's to overwrite\n";
    for (const char* name : {"inverse_losses.csv", "inverse_convergence.svg", "inverse_convergence.gp",
                             "inverse_convergence.svg.tmp"}) {
        std::ofstream(elsewhere / name) << precious;
        std::filesystem::create_symlink(elsewhere / name, out / name);
    }
    const Run r = run("inverse_demo", "--quiet --iterations 50 --out " + out.path().string());
    CHECK(r.exit_code == 4);
    for (const char* name : {"inverse_losses.csv", "inverse_convergence.svg", "inverse_convergence.gp",
                             "inverse_convergence.svg.tmp"})
        CHECK_MESSAGE(read_file(elsewhere / name) == precious, name);
    CHECK_FALSE(std::filesystem::is_symlink(out / "inverse_losses.csv"));
    CHECK(read_file(out / "inverse_losses.csv").rfind("iteration,M1,M2\n", 0) == 0);
    // The staging directory is gone; the planted name no file of the run has is left as it was.
    for (const auto& entry : std::filesystem::directory_iterator(out.path()))
        CHECK_MESSAGE(entry.path().filename().string().rfind(".tapegrad-staging", 0) != 0, entry.path().string());
}

TEST_CASE("a run that fails leaves the files of the last run as they were") {
    const TempDir out, dir;
    REQUIRE(run("inverse_demo", "--quiet --iterations 50 --out " + out.path().string()).exit_code == 4);
    const std::string csv = read_file(out / "inverse_losses.csv");
    const Run bad = run("inverse_demo", "--quiet --matrix " + write(dir, "singular.csv", "1,2\n2,4\n") + " --out " + out.path().string());
    CHECK(bad.exit_code == 1);
    CHECK(read_file(out / "inverse_losses.csv") == csv);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(out.path())) ++files;
    CHECK(files == 3);  // the CSV, the script and the plot: no staging directory left behind
}

TEST_CASE("output that cannot be written (stdout on a full disk) is an error, exit status 1") {
    const TempDir out;
    for (const char* program : {"tensors_demo", "inverse_demo", "svd_demo"}) {
        CAPTURE(program);
        const std::string command = "timeout 120 " + std::string(TAPEGRAD_BIN_DIR) + "/" + program + " --json > /dev/full 2>" +
                                    (out / "err").string();
        const int status = std::system(command.c_str());
        CHECK((WIFEXITED(status) ? WEXITSTATUS(status) : -1) == 1);
        CHECK(contains(read_file(out / "err"), "error: cannot write to standard output (No space left on device)"));
    }
}

TEST_CASE("a large matrix is printed summarised, whole with --full, and whole in --json") {
    const TempDir out;
    const auto longest_line = [](const std::string& text) {
        std::size_t longest = 0;
        std::stringstream lines(text);
        for (std::string line; std::getline(lines, line);) longest = std::max(longest, line.size());
        return longest;
    };
    const Run summary = run("svd_demo", "--rows 64 --cols 64 --out " + out.path().string());
    CHECK(summary.exit_code == 0);
    CHECK(std::count(summary.out.begin(), summary.out.end(), '\n') < 120);
    CHECK(longest_line(summary.out.substr(0, summary.out.find("trust-region:"))) <= 120);
    CHECK(contains(summary.out, ", ..., "));
    CHECK(contains(summary.out, "\n ...,\n"));
    const Run full = run("svd_demo", "--rows 64 --cols 64 --full --out " + out.path().string());
    CHECK(full.exit_code == 0);
    CHECK(!contains(full.out, "..."));
    CHECK(std::count(full.out.begin(), full.out.end(), '\n') > 4 * 64);
    const Run json = run("svd_demo", "--rows 64 --cols 64 --json");
    const auto j = nlohmann::json::parse(json.out);
    CHECK(j["U"].size() == 64);
    CHECK(j["U"][63].size() == 64);
}

TEST_CASE("the loss history grows as it fills: --iterations near 2^63 is a limit, not an allocation") {
    const Run svd = run("svd_demo", "--rows 3 --iterations 9223372036854775807 --json");
    CHECK(svd.exit_code == 0);
    CHECK(nlohmann::json::parse(svd.out)["status"] == "converged");
    const Run inverse = run("inverse_demo", "--rows 3 --iterations 100000000000 --json");
    CHECK(inverse.exit_code == 0);
    CHECK(nlohmann::json::parse(inverse.out)["options"]["iterations"] == 100000000000);
}

TEST_CASE("labels name the method that ran and a --matrix by its file name") {
    const TempDir out;
    const Run r = run("inverse_demo", "--matrix " + data("inverse_M1_4x4.csv") + " --out " + out.path().string());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "== inverse_M1_4x4.csv (4x4) =="));
    CHECK(contains(r.out, "X (conjugate_gradient) ="));
    const Run s = run("svd_demo", "--matrix " + data("svd_M1_5x4.csv") + " --out " + out.path().string());
    CHECK(contains(s.out, "== svd_M1_5x4.csv (5x4) =="));
    CHECK(contains(s.out, "trust-region    LAPACK (dgesdd)"));
}
