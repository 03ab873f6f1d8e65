// Products and reshaping: matmul, matmul_transposed, transpose, gram, diag, diagonal. Each op's rules come in
// the order of tape.hpp's Rules: reverse, tangent, curvature. A dot marks a tangent (Ȧ), G the adjoint and Ġ
// its tangent; the curvature of a product is the reverse rule with one factor's value replaced by its tangent.
#include <algorithm>

#include "autodiff/gemm.hpp"
#include "autodiff/ops.hpp"
#include "autodiff/simd.hpp"

namespace tapegrad {

// Z = A·B
Var matmul(const Var& a, const Var& b) {
    const ConstMatrixRef x = a.value(), y = b.value();
    if (x.cols != y.rows) throw shape_error("matmul", "cannot multiply", x.shape(), "by", y.shape());
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            // d/dA (A·B) = G·Bᵀ
            if (const MatrixRef da = t.grad(n.a)) gemm(n.grad, Trans::No, t.value(n.b), Trans::Yes, da, 1.0, 1.0);
            // d/dB (A·B) = Aᵀ·G
            if (const MatrixRef db = t.grad(n.b)) gemm(t.value(n.a), Trans::Yes, n.grad, Trans::No, db, 1.0, 1.0);
        },
        [](Tape& t, const Node& n) {
            // Ż = Ȧ·B + A·Ḃ
            if (const MatrixRef ta = t.tangent(n.a)) gemm(ta, Trans::No, t.value(n.b), Trans::No, t.tangent(n), 1.0, 1.0);
            if (const MatrixRef tb = t.tangent(n.b)) gemm(t.value(n.a), Trans::No, tb, Trans::No, t.tangent(n), 1.0, 1.0);
        },
        [](Tape& t, const Node& n) {
            // Ġ_A += G·Ḃᵀ,  Ġ_B += Ȧᵀ·G
            const MatrixRef ta = t.tangent(n.a), tb = t.tangent(n.b), ga = t.grad_tangent(n.a), gb = t.grad_tangent(n.b);
            if (ga && tb) gemm(n.grad, Trans::No, tb, Trans::Yes, ga, 1.0, 1.0);
            if (gb && ta) gemm(ta, Trans::Yes, n.grad, Trans::No, gb, 1.0, 1.0);
        }};
    auto [out, node] = record("matmul", {x.rows, y.cols}, rules, a, b);
    gemm(x, Trans::No, y, Trans::No, node.value);
    return out;
}

// Z = A·Bᵀ. The same numbers as matmul(a, transpose(b)), as one node: BLAS reads B transposed in place, so
// nothing is copied forward and nothing is transposed back in the rule.
Var matmul_transposed(const Var& a, const Var& b) {
    const ConstMatrixRef x = a.value(), y = b.value();
    if (x.cols != y.cols)
        throw shape_error("matmul_transposed", "cannot multiply", x.shape(), "by the transpose of", y.shape());
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            // d/dA (A·Bᵀ) = G·B
            if (const MatrixRef da = t.grad(n.a)) gemm(n.grad, Trans::No, t.value(n.b), Trans::No, da, 1.0, 1.0);
            // d/dB (A·Bᵀ) = Gᵀ·A
            if (const MatrixRef db = t.grad(n.b)) gemm(n.grad, Trans::Yes, t.value(n.a), Trans::No, db, 1.0, 1.0);
        },
        [](Tape& t, const Node& n) {
            // Ż = Ȧ·Bᵀ + A·Ḃᵀ
            if (const MatrixRef ta = t.tangent(n.a)) gemm(ta, Trans::No, t.value(n.b), Trans::Yes, t.tangent(n), 1.0, 1.0);
            if (const MatrixRef tb = t.tangent(n.b)) gemm(t.value(n.a), Trans::No, tb, Trans::Yes, t.tangent(n), 1.0, 1.0);
        },
        [](Tape& t, const Node& n) {
            // Ġ_A += G·Ḃ,  Ġ_B += Gᵀ·Ȧ
            const MatrixRef ta = t.tangent(n.a), tb = t.tangent(n.b), ga = t.grad_tangent(n.a), gb = t.grad_tangent(n.b);
            if (ga && tb) gemm(n.grad, Trans::No, tb, Trans::No, ga, 1.0, 1.0);
            if (gb && ta) gemm(n.grad, Trans::Yes, ta, Trans::No, gb, 1.0, 1.0);
        }};
    auto [out, node] = record("matmul_transposed", {x.rows, y.rows}, rules, a, b);
    gemm(x, Trans::No, y, Trans::Yes, node.value);
    return out;
}

namespace {

// to += fromᵀ
void add_transposed(const ConstMatrixRef& from, const MatrixRef& to) {
    for (std::size_t i = 0; i < to.rows; ++i)
        for (std::size_t j = 0; j < to.cols; ++j) to(i, j) += from(j, i);
}

// X·(G + Gᵀ) added into to: the shape of gram's rules. G + Gᵀ is built four entries of a row at a time, G's row plus
// four entries down its column, stored as one vector. Timed (issue 12): built entry by entry, one sum for each pair
// (i, j), (j, i), it cost the 5×4 SVD step far more time than its few instructions, and the 64×64 step a few
// percent. At the tutorial's k = 4, four rows of one vector each, with no loop over j: the general loop kept about
// half of that cost there.
void add_times_symmetrised(Tape& t, const ConstMatrixRef& x, const ConstMatrixRef& g, const MatrixRef& to) {
    const std::size_t k = g.rows;  // G is k×k
    const MatrixRef sym = t.scratch(g.shape());
    const auto row_of_four = [&](std::size_t i, std::size_t j) {  // sym(i, j..j+3) = G(i, j..j+3) + G(j..j+3, i)
        (Four(g.data + i * k + j, unaligned) + Four([&](auto l) { return g(j + l, i); })).copy_to(&sym(i, j), unaligned);
    };
    if (k == 4) {
        for (std::size_t i = 0; i < 4; ++i) row_of_four(i, 0);  // a constant count: the compiler writes it out
    } else {
        // Rows of sym eight at a time, so that the eight entries of G's row j that their gathers read, one cache line,
        // are read together. Row by row, each gather walked down a column of G, whose rows at k = 512 lie 4 KiB apart
        // and share one set of the L1 cache: a line was gone before the next row's gather could use it again (the
        // 512×512 SVD step, side by side: about 2% faster).
        for (std::size_t i0 = 0; i0 < k; i0 += 8) {
            const std::size_t i1 = std::min(i0 + 8, k);
            std::size_t j = 0;
            for (; j + 4 <= k; j += 4)
                for (std::size_t i = i0; i < i1; ++i) row_of_four(i, j);
            for (; j < k; ++j)
                for (std::size_t i = i0; i < i1; ++i) sym(i, j) = g(i, j) + g(j, i);
        }
    }
    gemm(x, Trans::No, sym, Trans::No, to, 1.0, 1.0);
}

}  // namespace

// Z = Xᵀ
Var transpose(const Var& x) {
    const ConstMatrixRef v = x.value();
    static constexpr Rules rules{
        [](Tape& t, const Node& n) { add_transposed(n.grad, t.grad(n.a)); },      // d/dX Xᵀ = Gᵀ
        [](Tape& t, const Node& n) { add_transposed(t.tangent(n.a), t.tangent(n)); }};  // Ż = Ẋᵀ
    auto [out, node] = record("transpose", {v.cols, v.rows}, rules, x);
    for (std::size_t i = 0; i < v.rows; ++i)
        for (std::size_t j = 0; j < v.cols; ++j) node.value(j, i) = v(i, j);
    return out;
}

// Z = XᵀX. The same number as matmul(transpose(X), X), as one node: the product is symmetric, so the forward
// pass computes half of it, and the rule needs one product instead of two.
Var gram(const Var& x) {
    const ConstMatrixRef v = x.value();
    static constexpr Rules rules{
        // d/dX XᵀX = X·(G + Gᵀ)
        [](Tape& t, const Node& n) { add_times_symmetrised(t, t.value(n.a), n.grad, t.grad(n.a)); },
        [](Tape& t, const Node& n) {
            // Ż = ẊᵀX + XᵀẊ, a matrix plus its transpose
            const MatrixRef half = t.scratch(n.value.shape()), tz = t.tangent(n);
            gemm(t.value(n.a), Trans::Yes, t.tangent(n.a), Trans::No, half);
            for (std::size_t i = 0; i < tz.rows; ++i)
                for (std::size_t j = 0; j < tz.cols; ++j) tz(i, j) += half(i, j) + half(j, i);
        },
        // Ġ_X += Ẋ·(G + Gᵀ)
        [](Tape& t, const Node& n) { add_times_symmetrised(t, t.tangent(n.a), n.grad, t.grad_tangent(n.a)); }};
    auto [out, node] = record("gram", {v.cols, v.cols}, rules, x);
    gram(v, node.value);
    return out;
}

// Z = diag(v): a k-vector (row or column) on the diagonal of a kxk matrix
Var diag(const Var& v) {
    if (v.rows() != 1 && v.cols() != 1)
        throw std::invalid_argument("diag: expects a row or column vector, got " + to_string(v.shape()) +
                                    " (use diagonal() to take a matrix's diagonal)");
    const std::size_t k = v.value().size();
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            // d/dv_i diag(v) = G_ii
            const MatrixRef dv = t.grad(n.a);
            for (std::size_t i = 0; i < dv.size(); ++i) dv.data[i] += n.grad(i, i);
        },
        [](Tape& t, const Node& n) {
            // Ż = diag(v̇)
            const MatrixRef tv = t.tangent(n.a), tz = t.tangent(n);
            for (std::size_t i = 0; i < tv.size(); ++i) tz(i, i) += tv.data[i];
        }};
    auto [out, node] = record("diag", {k, k}, rules, v);
    std::fill(node.value.data, node.value.data + k * k, 0.0);
    for (std::size_t i = 0; i < k; ++i) node.value(i, i) = v.value().data[i];
    return out;
}

// z = diagonal(X): X_ii for i < min(rows, cols), as a 1xk row
Var diagonal(const Var& x) {
    const std::size_t k = std::min(x.rows(), x.cols());
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            // d/dX_ii diagonal(X) = G_i
            const MatrixRef dx = t.grad(n.a);
            for (std::size_t i = 0; i < n.grad.size(); ++i) dx(i, i) += n.grad.data[i];
        },
        [](Tape& t, const Node& n) {
            // ż = diagonal(Ẋ)
            const MatrixRef tx = t.tangent(n.a), tz = t.tangent(n);
            for (std::size_t i = 0; i < tz.size(); ++i) tz.data[i] += tx(i, i);
        }};
    auto [out, node] = record("diagonal", {1, k}, rules, x);
    for (std::size_t i = 0; i < k; ++i) node.value.data[i] = x.value()(i, i);
    return out;
}

}  // namespace tapegrad
