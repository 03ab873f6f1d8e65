#pragma once
// Thinning a long series before drawing it: a 20,000-point loss curve on an 800-pixel plot puts 25 points in
// every pixel column, and all but a few of them are invisible.
#include <vector>

namespace tapegrad::plot {

struct Point {
    double x = 0.0, y = 0.0;  // pixels
    bool operator==(const Point&) const = default;
};

// Of each run of consecutive points in the same pixel column (the same floor(x)), keeps the first, the lowest,
// the highest and the last, each once and in their original order. Every spike and dip survives and the line
// still joins its neighbours as before, so the drawing looks the same, from at most four points a column.
std::vector<Point> decimate(const std::vector<Point>& points);

}  // namespace tapegrad::plot
