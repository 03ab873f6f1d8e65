#include "demos/matrix_text.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace tapegrad::demo {

namespace {

// The indices shown along a dimension of size n: all, or the first and last summary_edge with a gap (npos) between.
std::vector<std::size_t> shown(std::size_t n, bool summarise) {
    std::vector<std::size_t> at;
    if (!summarise || n <= 2 * summary_edge) {
        for (std::size_t i = 0; i < n; ++i) at.push_back(i);
        return at;
    }
    for (std::size_t i = 0; i < summary_edge; ++i) at.push_back(i);
    at.push_back(std::string::npos);
    for (std::size_t i = n - summary_edge; i < n; ++i) at.push_back(i);
    return at;
}

std::string cell(double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.4f", x);  // as tapegrad::to_string prints an entry
    return buffer;
}

}  // namespace

std::string matrix_text(ConstMatrixRef m, bool full) {
    if (full || m.size() == 0) return to_string(m);
    std::size_t width = 0;  // of the widest entry
    for (std::size_t k = 0; k < m.size() && k < summary_threshold + 1; ++k) width = std::max(width, cell(m.data[k]).size());
    const bool many = m.size() > summary_threshold;
    const bool long_rows = m.cols * (width + 2) > summary_line_width;
    if (!many && !long_rows) return to_string(m);

    const std::vector<std::size_t> rows = shown(m.rows, many), cols = shown(m.cols, true);
    // Right-aligned to the widest entry shown, as torch does.
    width = 0;
    for (const std::size_t i : rows)
        for (const std::size_t j : cols)
            if (i != std::string::npos && j != std::string::npos) width = std::max(width, cell(m.data[i * m.cols + j]).size());
    std::string out = "[";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out += r == 0 ? "" : " ";
        if (rows[r] == std::string::npos) {
            out += "...,\n";
            continue;
        }
        out += "[";
        for (std::size_t c = 0; c < cols.size(); ++c) {
            const std::string text = cols[c] == std::string::npos ? "..." : cell(m.data[rows[r] * m.cols + cols[c]]);
            out += (text == "..." ? "" : std::string(width - text.size(), ' ')) + text;  // torch leaves ... unpadded
            if (c + 1 < cols.size()) out += ", ";
        }
        out += r + 1 < rows.size() ? "],\n" : "]";
    }
    return out + "]";
}

}  // namespace tapegrad::demo
