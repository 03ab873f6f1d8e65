// demos/matrix_text.hpp: small matrices printed whole, large ones summarised as PyTorch does.
#include <doctest/doctest.h>

#include <algorithm>

#include "demos/matrix_text.hpp"

using namespace tapegrad;

namespace {

// A rows x cols matrix whose entry (i, j) is i + j/1000, so a printed entry names its place.
Matrix places(std::size_t rows, std::size_t cols) {
    Matrix m(rows, cols);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) m(i, j) = static_cast<double>(i) + static_cast<double>(j) / 1000;
    return m;
}

}  // namespace

TEST_CASE("matrix_text: a small matrix is printed whole, as to_string prints it") {
    const Matrix m = places(4, 5);
    CHECK(demo::matrix_text(m) == to_string(m));
    const Matrix edge = places(10, 100);  // 1000 entries, the threshold, but rows of 100 entries are too wide
    CHECK(demo::matrix_text(edge, /*full=*/true) == to_string(edge));
}

TEST_CASE("matrix_text: more than 1000 entries: the first and last three rows and columns, with ...") {
    CHECK(demo::matrix_text(places(64, 64)) ==
          "[[ 0.0000,  0.0010,  0.0020, ...,  0.0610,  0.0620,  0.0630],\n"
          " [ 1.0000,  1.0010,  1.0020, ...,  1.0610,  1.0620,  1.0630],\n"
          " [ 2.0000,  2.0010,  2.0020, ...,  2.0610,  2.0620,  2.0630],\n"
          " ...,\n"
          " [61.0000, 61.0010, 61.0020, ..., 61.0610, 61.0620, 61.0630],\n"
          " [62.0000, 62.0010, 62.0020, ..., 62.0610, 62.0620, 62.0630],\n"
          " [63.0000, 63.0010, 63.0020, ..., 63.0610, 63.0620, 63.0630]]");
    // Tall and narrow: the rows summarised, the three columns kept.
    CHECK(demo::matrix_text(places(1000, 3)) ==
          "[[  0.0000,   0.0010,   0.0020],\n [  1.0000,   1.0010,   1.0020],\n [  2.0000,   2.0010,   2.0020],\n"
          " ...,\n"
          " [997.0000, 997.0010, 997.0020],\n [998.0000, 998.0010, 998.0020],\n [999.0000, 999.0010, 999.0020]]");
    // Few entries but rows wider than a screen: the columns summarised, every row kept.
    CHECK(demo::matrix_text(places(2, 40)) == "[[0.0000, 0.0010, 0.0020, ..., 0.0370, 0.0380, 0.0390],\n"
                                               " [1.0000, 1.0010, 1.0020, ..., 1.0370, 1.0380, 1.0390]]");
    // --full prints all of it.
    const std::string whole = demo::matrix_text(places(64, 64), /*full=*/true);
    CHECK(whole == to_string(places(64, 64)));
    CHECK(std::count(whole.begin(), whole.end(), '\n') == 63);
}
