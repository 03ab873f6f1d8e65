#pragma once
// The tutorial's exact matrices (demos/data/*.csv), compiled into the program by cmake/embed_data.cmake.
#include <string>
#include <string_view>
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

struct TutorialFile {
    std::string_view name;  // e.g. "svd_M1_5x4.csv"
    std::string_view text;  // the file's contents
};

const std::vector<TutorialFile>& tutorial_files();

// The matrix in the named file; throws std::invalid_argument listing the names if there is none.
Matrix tutorial_matrix(std::string_view name);

}  // namespace tapegrad
