#include "demos/tutorial_data.hpp"

#include <stdexcept>

#include "linalg/matrix_file.hpp"

namespace tapegrad {

Matrix tutorial_matrix(std::string_view name) {
    std::string names;
    for (const TutorialFile& f : tutorial_files()) {
        if (f.name == name) return parse_matrix(f.text, std::string(f.name));
        names += (names.empty() ? "" : ", ") + std::string(f.name);
    }
    throw std::invalid_argument("no tutorial matrix named \"" + std::string(name) + "\" (there are " + names + ")");
}

}  // namespace tapegrad
