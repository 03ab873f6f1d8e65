#include "io/tutorial_matrices.hpp"

#include <stdexcept>

#include "io/matrix_file.hpp"

namespace tapegrad {

Matrix tutorial_matrix(std::string_view file_name) {
    std::string names;
    for (const TutorialFile& f : tutorial_files()) {
        if (f.name == file_name) return parse_matrix(f.text, std::string(f.name));
        names += (names.empty() ? "" : ", ") + std::string(f.name);
    }
    throw std::invalid_argument("no tutorial matrix named \"" + std::string(file_name) + "\" (there are " + names + ")");
}

const std::vector<NamedMatrix>& tutorial_inverse_matrices() {
    static const std::vector<NamedMatrix> matrices = {{"M1", tutorial_matrix("inverse_M1_4x4.csv")},
                                                      {"M2", tutorial_matrix("inverse_M2_diag.csv")}};
    return matrices;
}

const std::vector<NamedMatrix>& tutorial_svd_matrices() {
    static const std::vector<NamedMatrix> matrices = {
        {"M1", tutorial_matrix("svd_M1_5x4.csv")}, {"M2", tutorial_matrix("svd_M2_4x4.csv")},
        {"M3", tutorial_matrix("svd_M3_7x4.csv")}, {"M4", tutorial_matrix("svd_M4_4x3.csv")},
        {"M5", tutorial_matrix("svd_M5_4x3.csv")}};
    return matrices;
}

}  // namespace tapegrad
