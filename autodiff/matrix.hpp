#pragma once
// The dense matrix: row-major doubles. `Matrix` owns its numbers; `MatrixRef` and `ConstMatrixRef` are views
// of numbers owned elsewhere (a Matrix, or the tape's arena), and are what the kernels take.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

#include "autodiff/shape.hpp"

namespace tapegrad {

// A mutable view: pointer and shape. A null view (data == nullptr) means "no matrix here", e.g. no adjoint.
struct MatrixRef {
    double* data = nullptr;
    std::size_t rows = 0;
    std::size_t cols = 0;

    double& operator()(std::size_t i, std::size_t j) const { return data[i * cols + j]; }
    std::size_t size() const { return rows * cols; }
    Shape shape() const { return {rows, cols}; }
    explicit operator bool() const { return data != nullptr; }
};

// A read-only view.
struct ConstMatrixRef {
    const double* data = nullptr;
    std::size_t rows = 0;
    std::size_t cols = 0;

    ConstMatrixRef() = default;
    ConstMatrixRef(const double* d, std::size_t r, std::size_t c) : data(d), rows(r), cols(c) {}
    ConstMatrixRef(MatrixRef m) : data(m.data), rows(m.rows), cols(m.cols) {}  // NOLINT: a view can lose write access

    double operator()(std::size_t i, std::size_t j) const { return data[i * cols + j]; }
    std::size_t size() const { return rows * cols; }
    Shape shape() const { return {rows, cols}; }
};

class Matrix {
public:
    Matrix() = default;  // 0x0
    Matrix(std::size_t rows, std::size_t cols, double fill = 0.0);
    // From nested lists, one inner list a row: Matrix{{1, 2}, {3, 4}}. Ragged rows throw.
    Matrix(std::initializer_list<std::initializer_list<double>> rows);
    explicit Matrix(ConstMatrixRef view);  // a copy of what the view shows

    static Matrix zeros(std::size_t rows, std::size_t cols) { return Matrix(rows, cols, 0.0); }
    static Matrix ones(std::size_t rows, std::size_t cols) { return Matrix(rows, cols, 1.0); }
    static Matrix identity(std::size_t n);
    // n evenly spaced values from first to last inclusive, as a 1xn row (like a 1-D torch tensor).
    static Matrix linspace(double first, double last, std::size_t n);
    // Uniform [0, 1) entries from a seed: the same numbers on every platform.
    static Matrix random(std::size_t rows, std::size_t cols, std::uint64_t seed);
    // A diagonal matrix with the vector's entries (a row or a column) on its diagonal: the op diag's name (and
    // the op diagonal() the other way, a matrix's diagonal as a row).
    static Matrix diag(ConstMatrixRef vector);

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t size() const { return data_.size(); }
    Shape shape() const { return {rows_, cols_}; }
    bool empty() const { return data_.empty(); }

    double& operator()(std::size_t i, std::size_t j) { return data_[i * cols_ + j]; }
    double operator()(std::size_t i, std::size_t j) const { return data_[i * cols_ + j]; }
    double& at(std::size_t i, std::size_t j);  // bounds-checked: throws std::out_of_range
    double at(std::size_t i, std::size_t j) const;
    double* data() { return data_.data(); }
    const double* data() const { return data_.data(); }

    MatrixRef ref() { return {data_.data(), rows_, cols_}; }
    ConstMatrixRef ref() const { return {data_.data(), rows_, cols_}; }
    operator ConstMatrixRef() const { return ref(); }  // NOLINT: any Matrix can be read through a view

    Matrix transpose() const;

    // In-place updates; they never allocate, so optimisers can use them in a hot loop.
    Matrix& operator+=(const Matrix& other);
    Matrix& operator-=(const Matrix& other);
    Matrix& operator*=(double scale);
    Matrix& add_scaled(const ConstMatrixRef& other, double scale);  // this += scale · other (BLAS's axpy)
    void fill(double value);

    bool operator==(const Matrix&) const = default;

private:
    std::size_t rows_ = 0;
    std::size_t cols_ = 0;
    std::vector<double> data_;
};

// Elementwise arithmetic on equal shapes (the tape's ops broadcast; these plain ones do not).
Matrix operator+(const Matrix& a, const Matrix& b);
Matrix operator-(const Matrix& a, const Matrix& b);
Matrix operator-(const Matrix& a);
Matrix hadamard(const Matrix& a, const Matrix& b);  // elementwise product
Matrix operator/(const Matrix& a, const Matrix& b);  // elementwise quotient
Matrix operator*(double s, const Matrix& a);
Matrix operator*(const Matrix& a, double s);
Matrix operator/(const Matrix& a, double s);

// The matrix product A·B, named so nobody mistakes it for the elementwise product.
Matrix matmul(ConstMatrixRef a, ConstMatrixRef b);

// Largest |a_ij - b_ij|; shapes must agree.
double max_abs_diff(ConstMatrixRef a, ConstMatrixRef b);
// Largest |a_ij|.
double max_abs(ConstMatrixRef a);
// Frobenius norm sqrt(sum a_ij^2).
double frobenius_norm(ConstMatrixRef a);
// True when every entry is finite (no NaN, no Inf).
bool all_finite(ConstMatrixRef a);

// Printing like torch with sci_mode=False: fixed 4 decimals, columns right-aligned, "-0.0000" kept.
std::string to_string(ConstMatrixRef m, int decimals = 4);
std::ostream& operator<<(std::ostream& out, const Matrix& m);
std::ostream& operator<<(std::ostream& out, ConstMatrixRef m);  // a view prints as its matrix: std::cout << v.value()

}  // namespace tapegrad
