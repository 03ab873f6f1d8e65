// Reductions to a 1x1 result: sum, mean, dot, mse. A rule reads its one adjoint number g = G(0,0).
#include "autodiff/ops.hpp"

namespace tapegrad {

// z = Σ x_ij
Var sum(const Var& x) {
    auto [out, node] = record("sum", {1, 1}, [](Tape& t, const Node& n) {
        // d/dx Σx = g
        const MatrixRef dx = t.grad(n.a);
        for (std::size_t k = 0; k < dx.size(); ++k) dx.data[k] += n.grad.data[0];
    }, x);
    double total = 0.0;
    const ConstMatrixRef v = x.value();
    for (std::size_t k = 0; k < v.size(); ++k) total += v.data[k];
    node.value.data[0] = total;
    return out;
}

// z = Σ x_ij / N
Var mean(const Var& x) {
    if (x.value().size() == 0) throw std::invalid_argument("mean: the mean of an empty " + to_string(x.shape()) + " matrix");
    return sum(x) / static_cast<double>(x.value().size());  // d/dx = g/N follows from the two rules
}

// z = Σ a_k b_k, for two vectors of equal length (rows or columns, in any mix)
Var dot(const Var& a, const Var& b) {
    const ConstMatrixRef x = a.value(), y = b.value();
    const bool vectors = (x.rows == 1 || x.cols == 1) && (y.rows == 1 || y.cols == 1);
    if (!vectors || x.size() != y.size())
        throw shape_error("dot", "expects two vectors of equal length, got", x.shape(), "and", y.shape());
    auto [out, node] = record("dot", {1, 1}, [](Tape& t, const Node& n) {
        const double g = n.grad.data[0];
        const ConstMatrixRef va = t.value(n.a), vb = t.value(n.b);
        // d/da a·b = g·b,  d/db a·b = g·a
        if (const MatrixRef da = t.grad(n.a))
            for (std::size_t k = 0; k < da.size(); ++k) da.data[k] += g * vb.data[k];
        if (const MatrixRef db = t.grad(n.b))
            for (std::size_t k = 0; k < db.size(); ++k) db.data[k] += g * va.data[k];
    }, a, b);
    double total = 0.0;
    for (std::size_t k = 0; k < x.size(); ++k) total += x.data[k] * y.data[k];
    node.value.data[0] = total;
    return out;
}

namespace {

// mse's rule for both forms; the forward pass saved D = a - b, so the rule never needs b itself.
void mse_rule(Tape& t, const Node& n) {
    const double scale = 2.0 * n.grad.data[0] / static_cast<double>(n.saved.size());
    // d/da mean((a-b)²) = 2g·D/N,  d/db = -2g·D/N
    if (const MatrixRef da = t.grad(n.a))
        for (std::size_t k = 0; k < da.size(); ++k) da.data[k] += scale * n.saved.data[k];
    if (const MatrixRef db = t.grad(n.b))
        for (std::size_t k = 0; k < db.size(); ++k) db.data[k] -= scale * n.saved.data[k];
}

// Records mean((a - target)²), keeping the difference for the rule.
Var record_mse(const Var& a, const Var& b, ConstMatrixRef target) {
    const ConstMatrixRef v = a.value();
    if (v.shape() != target.shape()) throw shape_error("mse", "shapes differ,", v.shape(), "vs", target.shape());
    if (target.size() == 0) throw std::invalid_argument("mse: the mean of an empty " + to_string(v.shape()) + " matrix");
    auto [out, node] = record("mse", {1, 1}, mse_rule, a, b);
    node.saved = a.tape().scratch(v.shape());
    double total = 0.0;
    for (std::size_t k = 0; k < v.size(); ++k) {
        node.saved.data[k] = v.data[k] - target.data[k];
        total += node.saved.data[k] * node.saved.data[k];
    }
    node.value.data[0] = total / static_cast<double>(v.size());
    return out;
}

}  // namespace

Var mse(const Var& a, const Var& b) { return record_mse(a, b, b.value()); }

Var mse(const Var& a, ConstMatrixRef target) { return record_mse(a, {}, target); }

}  // namespace tapegrad
