#include "demos/plot_decimate.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace tapegrad::plot {

std::vector<Point> decimate(const std::vector<Point>& points) {
    std::vector<Point> kept;
    std::size_t first = 0;
    while (first < points.size()) {
        // The run [first, end) of points in the same pixel column, and where its lowest and highest are.
        const double column = std::floor(points[first].x);
        std::size_t end = first, lowest = first, highest = first;
        for (; end < points.size() && std::floor(points[end].x) == column; ++end) {
            if (points[end].y < points[lowest].y) lowest = end;
            if (points[end].y > points[highest].y) highest = end;
        }
        std::array<std::size_t, 4> keep = {first, lowest, highest, end - 1};
        std::sort(keep.begin(), keep.end());  // in the order they were drawn
        const auto last_kept = std::unique(keep.begin(), keep.end());
        for (auto k = keep.begin(); k != last_kept; ++k) kept.push_back(points[*k]);
        first = end;
    }
    return kept;
}

}  // namespace tapegrad::plot
