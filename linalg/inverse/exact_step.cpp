#include "linalg/inverse/exact_step.hpp"

#include <stdexcept>

namespace tapegrad {

namespace {

std::size_t block_count(ConstMatrixRef x, InverseVariant variant) {
    return variant == InverseVariant::right ? x.rows : variant == InverseVariant::left ? x.cols : 1;
}

}  // namespace

// Each loop runs along rows, where the numbers sit next to each other in memory, so the compiler can vectorise it.
std::vector<double> block_dots(const Matrix& a, const Matrix& b, InverseVariant variant) {
    std::vector<double> dots;
    block_dots(a, b, variant, dots);
    return dots;
}

void block_dots(ConstMatrixRef a, ConstMatrixRef b, InverseVariant variant, std::vector<double>& dots) {
    if (a.shape() != b.shape()) throw shape_error("block_dots", "shapes differ,", a.shape(), "vs", b.shape());
    dots.assign(block_count(a, variant), 0.0);
    for (std::size_t i = 0; i < a.rows; ++i) {
        const double* ai = a.data + i * a.cols;
        const double* bi = b.data + i * b.cols;
        if (variant == InverseVariant::left) {  // column j's sum gathers one term from each row
            for (std::size_t j = 0; j < a.cols; ++j) dots[j] += ai[j] * bi[j];
        } else {
            double row = 0.0;
            for (std::size_t j = 0; j < a.cols; ++j) row += ai[j] * bi[j];
            dots[variant == InverseVariant::right ? i : 0] += row;
        }
    }
}

void add_steps(MatrixRef x, const std::vector<double>& steps, ConstMatrixRef p, InverseVariant variant) {
    if (x.shape() != p.shape()) throw shape_error("add_steps", "shapes differ,", x.shape(), "vs", p.shape());
    for (std::size_t i = 0; i < x.rows; ++i) {
        double* xi = x.data + i * x.cols;
        const double* pi = p.data + i * p.cols;
        if (variant == InverseVariant::left) {
            for (std::size_t j = 0; j < x.cols; ++j) xi[j] += steps[j] * pi[j];
        } else {
            const double step = steps[variant == InverseVariant::right ? i : 0];
            for (std::size_t j = 0; j < x.cols; ++j) xi[j] += step * pi[j];
        }
    }
}

Matrix image(const Matrix& P, const Matrix& M, InverseVariant variant) {
    switch (variant) {
        case InverseVariant::right: return matmul(P, M);
        case InverseVariant::left: return matmul(M, P);
        case InverseVariant::both: break;
    }
    throw std::invalid_argument("image: variant both has two images, P·M and M·P");
}

std::vector<double> curvatures(const Matrix& P, const Matrix& M, InverseVariant variant) {
    const double n2 = static_cast<double>(P.size());
    if (variant == InverseVariant::both) {  // the average of the two losses: (‖P·M‖² + ‖M·P‖²) / 2n²
        const Matrix right = matmul(P, M), left = matmul(M, P);
        return {(block_dots(right, right, variant)[0] + block_dots(left, left, variant)[0]) / (2.0 * n2)};
    }
    const Matrix Q = image(P, M, variant);
    std::vector<double> c = block_dots(Q, Q, variant);
    for (double& x : c) x /= n2;
    return c;
}

std::vector<double> exact_steps(const Matrix& G, const Matrix& P, const std::vector<double>& curvature,
                                InverseVariant variant) {
    std::vector<double> steps;
    exact_steps(G, P, curvature, variant, steps);
    return steps;
}

void exact_steps(const Matrix& G, const Matrix& P, const std::vector<double>& curvature, InverseVariant variant,
                 std::vector<double>& steps) {
    block_dots(G, P, variant, steps);
    for (std::size_t b = 0; b < steps.size(); ++b) steps[b] = curvature[b] > 0.0 ? -steps[b] / (2.0 * curvature[b]) : 0.0;
}

}  // namespace tapegrad
