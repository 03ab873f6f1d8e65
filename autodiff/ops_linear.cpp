// Products and reshaping: matmul, matmul_transposed, transpose, gram, diag, diagonal.
#include "autodiff/gemm.hpp"
#include "autodiff/ops.hpp"

namespace tapegrad {

// Z = A·B
Var matmul(const Var& a, const Var& b) {
    const ConstMatrixRef x = a.value(), y = b.value();
    if (x.cols != y.rows) throw shape_error("matmul", "cannot multiply", x.shape(), "by", y.shape());
    auto [out, node] = record("matmul", {x.rows, y.cols}, [](Tape& t, const Node& n) {
        // d/dA (A·B) = G·Bᵀ
        if (const MatrixRef da = t.grad(n.a)) gemm(n.grad, Trans::No, t.value(n.b), Trans::Yes, da, 1.0, 1.0);
        // d/dB (A·B) = Aᵀ·G
        if (const MatrixRef db = t.grad(n.b)) gemm(t.value(n.a), Trans::Yes, n.grad, Trans::No, db, 1.0, 1.0);
    }, a, b);
    gemm(x, Trans::No, y, Trans::No, node.value);
    return out;
}

// Z = A·Bᵀ. The same numbers as matmul(a, transpose(b)), as one node: BLAS reads B transposed in place, so
// nothing is copied forward and nothing is transposed back in the rule.
Var matmul_transposed(const Var& a, const Var& b) {
    const ConstMatrixRef x = a.value(), y = b.value();
    if (x.cols != y.cols)
        throw shape_error("matmul_transposed", "cannot multiply", x.shape(), "by the transpose of", y.shape());
    auto [out, node] = record("matmul_transposed", {x.rows, y.rows}, [](Tape& t, const Node& n) {
        // d/dA (A·Bᵀ) = G·B
        if (const MatrixRef da = t.grad(n.a)) gemm(n.grad, Trans::No, t.value(n.b), Trans::No, da, 1.0, 1.0);
        // d/dB (A·Bᵀ) = Gᵀ·A
        if (const MatrixRef db = t.grad(n.b)) gemm(n.grad, Trans::Yes, t.value(n.a), Trans::No, db, 1.0, 1.0);
    }, a, b);
    gemm(x, Trans::No, y, Trans::Yes, node.value);
    return out;
}

// Z = Xᵀ
Var transpose(const Var& x) {
    const ConstMatrixRef v = x.value();
    auto [out, node] = record("transpose", {v.cols, v.rows}, [](Tape& t, const Node& n) {
        // d/dX Xᵀ = Gᵀ
        const MatrixRef dx = t.grad(n.a);
        for (std::size_t i = 0; i < dx.rows; ++i)
            for (std::size_t j = 0; j < dx.cols; ++j) dx(i, j) += n.grad(j, i);
    }, x);
    for (std::size_t i = 0; i < v.rows; ++i)
        for (std::size_t j = 0; j < v.cols; ++j) node.value(j, i) = v(i, j);
    return out;
}

// Z = XᵀX. The same number as matmul(transpose(X), X), as one node: the product is symmetric, so the forward
// pass computes half of it, and the rule needs one product instead of two.
Var gram(const Var& x) {
    const ConstMatrixRef v = x.value();
    auto [out, node] = record("gram", {v.cols, v.cols}, [](Tape& t, const Node& n) {
        // d/dX XᵀX = X·(G + Gᵀ)
        const MatrixRef sym = t.scratch(n.grad.shape());
        for (std::size_t i = 0; i < sym.rows; ++i)
            for (std::size_t j = 0; j < sym.cols; ++j) sym(i, j) = n.grad(i, j) + n.grad(j, i);
        gemm(t.value(n.a), Trans::No, sym, Trans::No, t.grad(n.a), 1.0, 1.0);
    }, x);
    gram(v, node.value);
    return out;
}

// Z = diag(v): a k-vector (row or column) on the diagonal of a kxk matrix
Var diag(const Var& v) {
    if (v.rows() != 1 && v.cols() != 1)
        throw std::invalid_argument("diag: expects a row or column vector, got " + to_string(v.shape()) +
                                    " (use diagonal() to take a matrix's diagonal)");
    const std::size_t k = v.value().size();
    auto [out, node] = record("diag", {k, k}, [](Tape& t, const Node& n) {
        // d/dv_i diag(v) = G_ii
        const MatrixRef dv = t.grad(n.a);
        for (std::size_t i = 0; i < dv.size(); ++i) dv.data[i] += n.grad(i, i);
    }, v);
    std::fill(node.value.data, node.value.data + k * k, 0.0);
    for (std::size_t i = 0; i < k; ++i) node.value(i, i) = v.value().data[i];
    return out;
}

// z = diagonal(X): X_ii for i < min(rows, cols), as a 1xk row
Var diagonal(const Var& x) {
    const std::size_t k = std::min(x.rows(), x.cols());
    auto [out, node] = record("diagonal", {1, k}, [](Tape& t, const Node& n) {
        // d/dX_ii diagonal(X) = G_i
        const MatrixRef dx = t.grad(n.a);
        for (std::size_t i = 0; i < n.grad.size(); ++i) dx(i, i) += n.grad.data[i];
    }, x);
    for (std::size_t i = 0; i < k; ++i) node.value.data[i] = x.value()(i, i);
    return out;
}

}  // namespace tapegrad
