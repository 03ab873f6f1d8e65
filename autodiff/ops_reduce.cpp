// Reductions to a 1x1 result: sum, mean, dot, mse. A rule reads its one adjoint number g = G(0,0).
#include "autodiff/ops.hpp"
#include "autodiff/squared_distance.hpp"

namespace tapegrad {

namespace {

// Σ a_k b_k over the entries, whatever the shapes
double inner(const ConstMatrixRef& a, const ConstMatrixRef& b) {
    double total = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) total += a.data[k] * b.data[k];
    return total;
}

// to += s·from, entry by entry; nothing when `to` is null (an input without an adjoint)
void add_times(double s, const ConstMatrixRef& from, const MatrixRef& to) {
    for (std::size_t k = 0; k < to.size(); ++k) to.data[k] += s * from.data[k];
}

}  // namespace

// z = Σ x_ij
Var sum(const Var& x) {
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            // d/dx Σx = g
            const MatrixRef dx = t.grad(n.a);
            for (std::size_t k = 0; k < dx.size(); ++k) dx.data[k] += n.grad.data[0];
        },
        [](Tape& t, const Node& n) {
            // ż = Σẋ
            const MatrixRef tx = t.tangent(n.a);
            for (std::size_t k = 0; k < tx.size(); ++k) t.tangent(n).data[0] += tx.data[k];
        }};
    auto [out, node] = record("sum", {1, 1}, rules, x);
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
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            // d/da a·b = g·b,  d/db a·b = g·a
            add_times(n.grad.data[0], t.value(n.b), t.grad(n.a));
            add_times(n.grad.data[0], t.value(n.a), t.grad(n.b));
        },
        [](Tape& t, const Node& n) {
            // ż = ȧ·b + a·ḃ
            if (const MatrixRef ta = t.tangent(n.a)) t.tangent(n).data[0] += inner(ta, t.value(n.b));
            if (const MatrixRef tb = t.tangent(n.b)) t.tangent(n).data[0] += inner(t.value(n.a), tb);
        },
        [](Tape& t, const Node& n) {
            // ġ_a += g·ḃ,  ġ_b += g·ȧ
            if (const MatrixRef tb = t.tangent(n.b)) add_times(n.grad.data[0], tb, t.grad_tangent(n.a));
            if (const MatrixRef ta = t.tangent(n.a)) add_times(n.grad.data[0], ta, t.grad_tangent(n.b));
        }};
    auto [out, node] = record("dot", {1, 1}, rules, a, b);
    node.value.data[0] = inner(x, y);
    return out;
}

namespace {

// mse's rules for both forms; the forward pass saved D = a - b, so the rules never need b itself. Ḋ = ȧ - ḃ,
// with ḃ = 0 for a constant target.
double two_over_n(const Node& n) { return 2.0 / static_cast<double>(n.saved.size()); }
constexpr Rules mse_rules{
    [](Tape& t, const Node& n) {
        // d/da mean((a-b)²) = 2g·D/N,  d/db = -2g·D/N
        const double scale = two_over_n(n) * n.grad.data[0];
        add_times(scale, n.saved, t.grad(n.a));
        add_times(-scale, n.saved, t.grad(n.b));
    },
    [](Tape& t, const Node& n) {
        // ż = 2⟨D, Ḋ⟩/N
        if (const MatrixRef ta = t.tangent(n.a)) t.tangent(n).data[0] += two_over_n(n) * inner(n.saved, ta);
        if (const MatrixRef tb = t.tangent(n.b)) t.tangent(n).data[0] -= two_over_n(n) * inner(n.saved, tb);
    },
    [](Tape& t, const Node& n) {
        // ġ_a += 2g·Ḋ/N,  ġ_b -= 2g·Ḋ/N
        const double scale = two_over_n(n) * n.grad.data[0];
        for (const std::uint32_t input : {n.a, n.b})
            if (const MatrixRef tangent = t.tangent(input)) {
                const double sign = input == n.a ? 1.0 : -1.0;
                add_times(sign * scale, tangent, t.grad_tangent(n.a));
                add_times(-sign * scale, tangent, t.grad_tangent(n.b));
            }
    }};

// Records mean((a - target)²), keeping the difference for the rule.
Var record_mse(const Var& a, const Var& b, const ConstMatrixRef& target) {
    const ConstMatrixRef v = a.value();
    if (v.shape() != target.shape()) throw shape_error("mse", "shapes differ,", v.shape(), "vs", target.shape());
    if (target.size() == 0) throw std::invalid_argument("mse: the mean of an empty " + to_string(v.shape()) + " matrix");
    auto [out, node] = record("mse", {1, 1}, mse_rules, a, b);
    node.saved = a.tape().scratch(v.shape());
    node.value.data[0] = squared_distance(v, target, node.saved) / static_cast<double>(v.size());
    return out;
}

}  // namespace

Var mse(const Var& a, const Var& b) { return record_mse(a, b, b.value()); }

Var mse(const Var& a, const ConstMatrixRef& target) { return record_mse(a, {}, target); }

}  // namespace tapegrad
