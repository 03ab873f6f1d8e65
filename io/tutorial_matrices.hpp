#pragma once
// The tutorial's exact matrices (io/data/*.csv), compiled into the program by cmake/embed_data.cmake: defined
// here once, for the demos, the benchmarks and the tests.
#include <string>
#include <string_view>
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

struct NamedMatrix {
    std::string name;  // "M1", as the tutorial calls it
    Matrix M;
};

// Part 1's: M1, torch.rand(4, 4) with seed 314, and M2 = diag(1, 2, 3, 4).
const std::vector<NamedMatrix>& tutorial_inverse_matrices();

// Part 2's: M1 (5x4), M2 (4x4), M3 (7x4), M4 and M5 (4x3).
const std::vector<NamedMatrix>& tutorial_svd_matrices();

struct TutorialFile {
    std::string_view name;  // e.g. "svd_M1_5x4.csv"
    std::string_view text;  // the file's contents
};

const std::vector<TutorialFile>& tutorial_files();

// The matrix in the named file; throws std::invalid_argument listing the names if there is none.
Matrix tutorial_matrix(std::string_view file_name);

}  // namespace tapegrad
