#pragma once
// The tutorial's matrices as the benchmarks name them: M1..M5 for the SVD, M1 and M2 for the inverse. The
// files are demos/data's, compiled into the program (demos/tutorial_data.hpp reads them by file name).
#include <string>
#include <vector>

namespace tapegrad::bench {

struct TutorialMatrix {
    std::string name;  // "M1": the last part of a benchmark's name
    std::string file;  // "svd_M1_5x4.csv": for tutorial_matrix()
};

inline const std::vector<TutorialMatrix>& tutorial_svd_matrices() {
    static const std::vector<TutorialMatrix> matrices = {{"M1", "svd_M1_5x4.csv"}, {"M2", "svd_M2_4x4.csv"},
                                                         {"M3", "svd_M3_7x4.csv"}, {"M4", "svd_M4_4x3.csv"},
                                                         {"M5", "svd_M5_4x3.csv"}};
    return matrices;
}

inline const std::vector<TutorialMatrix>& tutorial_inverse_matrices() {
    static const std::vector<TutorialMatrix> matrices = {{"M1", "inverse_M1_4x4.csv"}, {"M2", "inverse_M2_diag.csv"}};
    return matrices;
}

}  // namespace tapegrad::bench
