// io/plot.hpp: the CSV a script reads, the script written with its settings, and what gnuplot draws from them.
#include <doctest/doctest.h>

#include "io/plot.hpp"
#include "helpers.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::plotted_series;
using testing::read_file;
using testing::TempDir;

TEST_CASE("plot::write_csv: a row for every x of any series, an empty cell where a series has none") {
    const TempDir dir;
    OutputDir out(dir.path());
    plot::write_csv(out, "t.csv", "iteration",
                    {{.name = "a", .points = {{1, 0.5}, {2, 0.25}, {4, 1e-300}}}, {.name = "b", .points = {{2, -3}, {3, 0}}}});
    out.commit();
    CHECK(read_file(dir / "t.csv") == "iteration,a,b\n1,0.5,\n2,0.25,-3\n3,,0\n4,1e-300,\n");
}

TEST_CASE("plot::Script: an unknown script is named; settings are written as gnuplot reads them") {
    CHECK(error_message([] { plot::Script("nope.gp"); }).find("no plot script named \"nope.gp\" in io/plots/") == 0);
    const TempDir dir;
    OutputDir out(dir.path());
    plot::Script("convergence.gp")
        .set("data", "t.csv")
        .set("title", "a \"quoted\" \\ title")
        .set("ylabel", "‖X·M − I‖_F")
        .set_array("keys", {"one", "two"})
        .set("floor", 1e-30)
        .draw(out, "t");  // no t.csv: gnuplot fails, which draw() reports; the script is written all the same
    out.commit();
    const std::string script = read_file(dir / "t.gp");
    CHECK(script.find("title = \"a \\\"quoted\\\" \\\\ title\"\n") != std::string::npos);
    CHECK(script.find("array keys[2] = [\"one\", \"two\"]\n") != std::string::npos);
    CHECK(script.find("floor = 1e-30\n") != std::string::npos);
    CHECK(script.find("output = \"t.svg\"\n") != std::string::npos);
    CHECK(script.find("set terminal svg") != std::string::npos);  // style.gp, then the script
    CHECK_FALSE(std::filesystem::exists(dir / "t.svg"));
}

TEST_CASE("convergence.gp: each curve ends at the first point on the floor, marked there; zeros and noise below are not drawn") {
    const TempDir dir;
    OutputDir out(dir.path());
    // a reaches the floor (1e-30) at iteration 3 and is noise after; b reaches it through an exact 0; c never does.
    plot::write_csv(out, "t.csv", "iteration",
                    {{.name = "a", .points = {{1, 1}, {2, 1e-10}, {3, 1e-31}, {4, 1e-20}, {5, 1e-33}}},
                     {.name = "b", .points = {{1, 0.5}, {2, 0}, {3, 1e-25}}},
                     {.name = "c", .points = {{1, 0.1}, {2, 0.01}, {3, 0.001}, {4, 1e-4}, {5, 1e-5}}}});
    REQUIRE(plot::Script("convergence.gp")
                .set("data", "t.csv")
                .set("title", "test")
                .set("ylabel", "loss")
                .set_array("keys", {"a", "b", "c"})
                .set("floor", 1e-30)
                .draw(out, "t"));
    out.commit();
    const std::string svg = read_file(dir / "t.svg");
    CHECK(plotted_series(svg) == std::vector<std::string>{"a", "b", "c"});
    // gnuplot draws a series' legend sample and its line as one path: "M.. L.." for the sample, then "M.. L.. L.."
    // through the points. a: 3 points, b: 2 points, c: 5 points; and one mark each for a and b, on the floor.
    const auto segments = [&](int series) {
        const std::size_t at = svg.find("<g id=\"gnuplot_plot_" + std::to_string(series) + "\"");
        const std::size_t end = svg.find("<g id=\"gnuplot_plot_", at + 1);
        std::size_t n = 0;
        for (std::size_t l = svg.find(" L", at); l < end; l = svg.find(" L", l + 1)) ++n;
        return n - 1;  // less the legend sample's
    };
    CHECK(segments(1) == 2);
    CHECK(segments(2) == 1);
    CHECK(segments(3) == 4);
    std::size_t marks = 0;
    for (std::size_t at = svg.find("<use xlink:href='#gpPt6'"); at != std::string::npos;
         at = svg.find("<use xlink:href='#gpPt6'", at + 1))
        ++marks;
    CHECK(marks == 2);
}
