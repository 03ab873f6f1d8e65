#include "autodiff/matrix.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "autodiff/gemm.hpp"
#include "autodiff/random.hpp"

namespace tapegrad {

// rows·cols, or a std::length_error naming the shape when that many doubles cannot be stored: the product
// overflows a size_t (2³²x2³² would wrap to 0 entries, and every index would be out of bounds) or exceeds what a
// vector can hold.
static std::size_t checked_entries(std::size_t rows, std::size_t cols) {
    const std::size_t most = std::vector<double>().max_size();
    if (cols != 0 && rows > most / cols)
        throw std::length_error("Matrix: a " + std::to_string(rows) + "x" + std::to_string(cols) +
                                " matrix has more entries than memory can hold (at most " + std::to_string(most) + ")");
    return rows * cols;
}

Matrix::Matrix(std::size_t rows, std::size_t cols, double fill)
    : rows_(rows), cols_(cols), data_(checked_entries(rows, cols), fill) {}

Matrix::Matrix(std::initializer_list<std::initializer_list<double>> rows)
    : rows_(rows.size()), cols_(rows.size() == 0 ? 0 : rows.begin()->size()) {
    data_.reserve(rows_ * cols_);
    std::size_t i = 0;
    for (const auto& row : rows) {
        if (row.size() != cols_)
            throw std::invalid_argument("Matrix: row " + std::to_string(i) + " has " + std::to_string(row.size()) +
                                        " entries, row 0 has " + std::to_string(cols_));
        data_.insert(data_.end(), row.begin(), row.end());
        ++i;
    }
}

Matrix::Matrix(ConstMatrixRef view) : rows_(view.rows), cols_(view.cols), data_(view.data, view.data + view.size()) {}

Matrix Matrix::identity(std::size_t n) {
    Matrix m(n, n);
    for (std::size_t i = 0; i < n; ++i) m(i, i) = 1.0;
    return m;
}

Matrix Matrix::linspace(double first, double last, std::size_t n) {
    Matrix m(1, n);
    if (n == 1) m(0, 0) = first;
    // first + i·step, with the last entry set exactly, like torch.linspace.
    const double step = n > 1 ? (last - first) / static_cast<double>(n - 1) : 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) m(0, i) = first + static_cast<double>(i) * step;
    if (n > 1) m(0, n - 1) = last;
    return m;
}

Matrix Matrix::random(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    Random rng(seed);
    Matrix m(rows, cols);
    for (double& x : m.data_) x = rng.uniform();
    return m;
}

Matrix Matrix::diag(ConstMatrixRef vector) {
    if (vector.rows != 1 && vector.cols != 1)
        throw std::invalid_argument("Matrix::diag: expects a row or column vector, got " + to_string(vector.shape()));
    const std::size_t n = vector.size();
    Matrix m(n, n);
    for (std::size_t i = 0; i < n; ++i) m(i, i) = vector.data[i];
    return m;
}

static std::out_of_range index_error(std::size_t i, std::size_t j, Shape s) {
    return std::out_of_range("Matrix::at: index (" + std::to_string(i) + ", " + std::to_string(j) +
                             ") is outside a " + to_string(s) + " matrix");
}

double& Matrix::at(std::size_t i, std::size_t j) {
    if (i >= rows_ || j >= cols_) throw index_error(i, j, shape());
    return (*this)(i, j);
}

double Matrix::at(std::size_t i, std::size_t j) const {
    if (i >= rows_ || j >= cols_) throw index_error(i, j, shape());
    return (*this)(i, j);
}

Matrix Matrix::transpose() const {
    Matrix t(cols_, rows_);
    for (std::size_t i = 0; i < rows_; ++i)
        for (std::size_t j = 0; j < cols_; ++j) t(j, i) = (*this)(i, j);
    return t;
}

static void require_same_shape(const char* op, Shape a, Shape b) {
    if (a != b) throw shape_error(op, "shapes differ,", a, "vs", b);
}

Matrix& Matrix::operator+=(const Matrix& other) { return add_scaled(other, 1.0); }

Matrix& Matrix::operator-=(const Matrix& other) { return add_scaled(other, -1.0); }

Matrix& Matrix::operator*=(double scale) {
    for (double& x : data_) x *= scale;
    return *this;
}

Matrix& Matrix::add_scaled(const ConstMatrixRef& other, double scale) {
    require_same_shape("add_scaled", shape(), other.shape());
    for (std::size_t k = 0; k < data_.size(); ++k) data_[k] += scale * other.data[k];
    return *this;
}

void Matrix::fill(double value) { std::fill(data_.begin(), data_.end(), value); }

// One loop for every elementwise binary operation on equal shapes.
template <class F>
static Matrix zip(const char* op, const Matrix& a, const Matrix& b, F f) {
    require_same_shape(op, a.shape(), b.shape());
    Matrix out(a.rows(), a.cols());
    for (std::size_t k = 0; k < out.size(); ++k) out.data()[k] = f(a.data()[k], b.data()[k]);
    return out;
}

Matrix operator+(const Matrix& a, const Matrix& b) { return zip("operator+", a, b, [](double x, double y) { return x + y; }); }
Matrix operator-(const Matrix& a, const Matrix& b) { return zip("operator-", a, b, [](double x, double y) { return x - y; }); }
Matrix hadamard(const Matrix& a, const Matrix& b) { return zip("hadamard", a, b, [](double x, double y) { return x * y; }); }
Matrix operator/(const Matrix& a, const Matrix& b) { return zip("operator/", a, b, [](double x, double y) { return x / y; }); }

Matrix operator-(const Matrix& a) { return -1.0 * a; }

Matrix operator*(double s, const Matrix& a) {
    Matrix out = a;
    out *= s;
    return out;
}

Matrix operator*(const Matrix& a, double s) { return s * a; }
Matrix operator/(const Matrix& a, double s) { return (1.0 / s) * a; }

Matrix matmul(ConstMatrixRef a, ConstMatrixRef b) {
    if (a.cols != b.rows) throw shape_error("matmul", "cannot multiply", a.shape(), "by", b.shape());
    Matrix out(a.rows, b.cols);
    gemm(a, Trans::No, b, Trans::No, out.ref());
    return out;
}

double max_abs_diff(ConstMatrixRef a, ConstMatrixRef b) {
    require_same_shape("max_abs_diff", a.shape(), b.shape());
    double worst = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const double d = std::abs(a.data[k] - b.data[k]);
        if (!(d <= worst)) worst = d;  // written so a NaN difference wins
    }
    return worst;
}

double max_abs(ConstMatrixRef a) {
    double worst = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!(std::abs(a.data[k]) <= worst)) worst = std::abs(a.data[k]);
    return worst;
}

double frobenius_norm(ConstMatrixRef a) {
    double sum = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) sum += a.data[k] * a.data[k];
    return std::sqrt(sum);
}

bool all_finite(ConstMatrixRef a) {
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!std::isfinite(a.data[k])) return false;
    return true;
}

std::string to_string(ConstMatrixRef m, int decimals) {
    // Format every entry first, then right-align all of them to the widest, as torch does.
    std::vector<std::string> cells(m.size());
    std::size_t width = 0;
    for (std::size_t k = 0; k < m.size(); ++k) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.*f", decimals, m.data[k]);
        cells[k] = buffer;
        width = std::max(width, cells[k].size());
    }
    std::string out = "[";
    for (std::size_t i = 0; i < m.rows; ++i) {
        out += i == 0 ? "[" : " [";
        for (std::size_t j = 0; j < m.cols; ++j) {
            const std::string& cell = cells[i * m.cols + j];
            out += std::string(width - cell.size(), ' ') + cell;
            if (j + 1 < m.cols) out += ", ";
        }
        out += i + 1 < m.rows ? "],\n" : "]";
    }
    if (m.rows == 0) out += "[]";
    return out + "]";
}

std::ostream& operator<<(std::ostream& out, const Matrix& m) { return out << to_string(m); }

std::ostream& operator<<(std::ostream& out, ConstMatrixRef m) { return out << to_string(m); }

}  // namespace tapegrad
