// Elementwise ops: the gradient table. Each op below is a forward formula and its partial derivatives,
// one short line each; the two helpers first run them over matrices (with broadcasting) and record the node.
#include <cmath>
#include <type_traits>

#include "autodiff/ops.hpp"

namespace tapegrad {
namespace {

[[noreturn, gnu::cold, gnu::noinline]] void throw_broadcast(const char* op, Shape a, Shape b) {
    throw shape_error(op, "cannot broadcast", a, "with", b);
}

// Shape of an elementwise result: per dimension equal sizes, or a 1 that stretches to the other size. Inline, the
// message built out of line: called, it returned the shape in two registers that the caller stored and read back
// as one 16-byte load, which the CPU cannot forward from two stores, a stall on every elementwise op (issue 12).
inline Shape broadcast_shape(const char* op, Shape a, Shape b) {
    const auto fits = [](std::size_t x, std::size_t y) { return x == y || x == 1 || y == 1; };
    if (!fits(a.rows, b.rows) || !fits(a.cols, b.cols)) throw_broadcast(op, a, b);
    return {a.rows == 1 ? b.rows : a.rows, a.cols == 1 ? b.cols : a.cols};
}

// Calls f(k, ka, kb) for every element k of the result, with the elements of a and b it is made from.
template <class F>
void for_each_broadcast(Shape out, Shape a, Shape b, F f) {
    if (out.size() == 1) return f(0, 0, 0);  // one number (a loss's terms, scaled and summed): no loop to set up
    if (a == out && b == out) {  // the common case: one flat loop
        for (std::size_t k = 0; k < out.size(); ++k) f(k, k, k);
        return;
    }
    if (a == out && b.rows == 1 && b.cols == out.cols) {  // b a row, stretched down (U * s)
        // Each row's loop vectorises. Told that its iterations are independent (f writes a value, adjoint or tangent
        // of the tape's own, never the memory it reads), GCC drops the checks that what is written overlaps what is
        // read, which it made at the start of every row: 5×4's U * s 426 → 195 instructions (issue 12).
        for (std::size_t i = 0; i < out.rows; ++i)
#pragma GCC ivdep
            for (std::size_t j = 0; j < out.cols; ++j) f(i * out.cols + j, i * out.cols + j, j);
        return;
    }
    for (std::size_t i = 0; i < out.rows; ++i)
        for (std::size_t j = 0; j < out.cols; ++j)
            f(i * out.cols + j, (a.rows == 1 ? 0 : i) * a.cols + (a.cols == 1 ? 0 : j),
              (b.rows == 1 ? 0 : i) * b.cols + (b.cols == 1 ? 0 : j));
}

// Second partial derivatives of z = f(a, b), for Hessian-vector products.
struct Second {
    double aa, ab, bb;  // ∂²z/∂a², ∂²z/∂a∂b, ∂²z/∂b²
};

// z = f(a, b) elementwise, with ∂z/∂a = da(a, b), ∂z/∂b = db(a, b) and second partials d2(a, b) (nullptr for
// an op linear in a and b). f, da, db and d2 are stateless lambdas, passed as template arguments so each op's
// loop is compiled with its formula inlined. All three rules follow from the partials:
//   reverse:   Ga += G·∂z/∂a,   Gb += G·∂z/∂b
//   tangent:   ż += ∂z/∂a·ȧ + ∂z/∂b·ḃ
//   curvature: Ġa += G·(∂²z/∂a²·ȧ + ∂²z/∂a∂b·ḃ),   Ġb += G·(∂²z/∂a∂b·ȧ + ∂²z/∂b²·ḃ)
template <auto f, auto da, auto db, auto d2>
struct BinaryRules {
    static void backward(Tape& t, const Node& n) {
        const ConstMatrixRef a = t.value(n.a), b = t.value(n.b);
        const MatrixRef ga = t.grad(n.a), gb = t.grad(n.b);
        // One pass per input that wants its adjoint: each loop then has one store, and the flat one vectorises.
        if (ga)
            for_each_broadcast(n.value.shape(), a.shape(), b.shape(), [&](std::size_t k, std::size_t ka, std::size_t kb) {
                ga.data[ka] += n.grad.data[k] * da(a.data[ka], b.data[kb]);
            });
        if (gb)
            for_each_broadcast(n.value.shape(), a.shape(), b.shape(), [&](std::size_t k, std::size_t ka, std::size_t kb) {
                gb.data[kb] += n.grad.data[k] * db(a.data[ka], b.data[kb]);
            });
    }
    static void tangent(Tape& t, const Node& n) {
        const ConstMatrixRef a = t.value(n.a), b = t.value(n.b);
        const MatrixRef ta = t.tangent(n.a), tb = t.tangent(n.b), tz = t.tangent(n);
        for_each_broadcast(n.value.shape(), a.shape(), b.shape(), [&](std::size_t k, std::size_t ka, std::size_t kb) {
            if (ta) tz.data[k] += da(a.data[ka], b.data[kb]) * ta.data[ka];
            if (tb) tz.data[k] += db(a.data[ka], b.data[kb]) * tb.data[kb];
        });
    }
    static void curvature(Tape& t, const Node& n) {
        const ConstMatrixRef a = t.value(n.a), b = t.value(n.b);
        const MatrixRef ta = t.tangent(n.a), tb = t.tangent(n.b), ga = t.grad_tangent(n.a), gb = t.grad_tangent(n.b);
        for_each_broadcast(n.value.shape(), a.shape(), b.shape(), [&](std::size_t k, std::size_t ka, std::size_t kb) {
            const Second h = d2(a.data[ka], b.data[kb]);
            const double dot_a = ta ? ta.data[ka] : 0.0, dot_b = tb ? tb.data[kb] : 0.0;
            if (ga) ga.data[ka] += n.grad.data[k] * (h.aa * dot_a + h.ab * dot_b);
            if (gb) gb.data[kb] += n.grad.data[k] * (h.ab * dot_a + h.bb * dot_b);
        });
    }
    static constexpr Rule curvature_if_any() {
        if constexpr (std::is_null_pointer_v<decltype(d2)>) return nullptr;  // a linear op
        else return curvature;
    }
    static constexpr Rules rules{backward, tangent, curvature_if_any()};
};

template <auto f, auto da, auto db, auto d2 = nullptr>
Var binary(const char* op, const Var& a, const Var& b) {
    const ConstMatrixRef x = a.value(), y = b.value();
    const Shape shape = broadcast_shape(op, x.shape(), y.shape());
    auto [out, node] = record(op, shape, BinaryRules<f, da, db, d2>::rules, a, b);
    for_each_broadcast(shape, x.shape(), y.shape(), [&](std::size_t k, std::size_t ka, std::size_t kb) {
        node.value.data[k] = f(x.data[ka], y.data[kb]);
    });
    return out;
}

// y = f(x, c) elementwise, with dy/dx = df(x, y, c) and d²y/dx² = d2f(x, y, c) (nullptr for a linear op): c is
// the op's constant (the p of x^p), and a derivative may use y = f(x) when that is cheaper (exp, tanh).
//   reverse: Gx += G·dy/dx,   tangent: ẏ += dy/dx·ẋ,   curvature: Ġx += G·d²y/dx²·ẋ
template <auto df, auto d2f>
struct UnaryRules {
    static void backward(Tape& t, const Node& n) {
        const ConstMatrixRef x = t.value(n.a);
        const MatrixRef gx = t.grad(n.a);
        for (std::size_t k = 0; k < x.size(); ++k) gx.data[k] += n.grad.data[k] * df(x.data[k], n.value.data[k], n.scalar);
    }
    static void tangent(Tape& t, const Node& n) {
        const ConstMatrixRef x = t.value(n.a);
        const MatrixRef tx = t.tangent(n.a), ty = t.tangent(n);
        for (std::size_t k = 0; k < x.size(); ++k) ty.data[k] += df(x.data[k], n.value.data[k], n.scalar) * tx.data[k];
    }
    static void curvature(Tape& t, const Node& n) {
        const ConstMatrixRef x = t.value(n.a);
        const MatrixRef tx = t.tangent(n.a), gx = t.grad_tangent(n.a);
        for (std::size_t k = 0; k < x.size(); ++k)
            gx.data[k] += n.grad.data[k] * d2f(x.data[k], n.value.data[k], n.scalar) * tx.data[k];
    }
    static constexpr Rule curvature_if_any() {
        if constexpr (std::is_null_pointer_v<decltype(d2f)>) return nullptr;  // a linear op
        else return curvature;
    }
    static constexpr Rules rules{backward, tangent, curvature_if_any()};
};

template <auto f, auto df, auto d2f = nullptr>
Var unary(const char* op, const Var& x, double c = 0.0) {
    const ConstMatrixRef v = x.value();
    auto [out, node] = record(op, v.shape(), UnaryRules<df, d2f>::rules, x, {}, c);
    for (std::size_t k = 0; k < v.size(); ++k) node.value.data[k] = f(v.data[k], c);
    return out;
}

}  // namespace

// --- The table: each op's forward formula, then its derivative(s), then its second derivative(s) where they are
// not all 0 (an op without them is linear, and needs no curvature rule). relu's second derivative is 0 wherever
// it has one. (A '>' inside a template argument must sit in parentheses, hence relu's.)

Var operator+(const Var& a, const Var& b) {
    return binary<[](double x, double y) { return x + y; },  // z = a + b
                  [](double, double) { return 1.0; },        // ∂z/∂a = 1
                  [](double, double) { return 1.0; }>        // ∂z/∂b = 1
        ("add", a, b);
}
Var operator-(const Var& a, const Var& b) {
    return binary<[](double x, double y) { return x - y; },  // z = a - b
                  [](double, double) { return 1.0; },        // ∂z/∂a = 1
                  [](double, double) { return -1.0; }>       // ∂z/∂b = -1
        ("subtract", a, b);
}
Var operator*(const Var& a, const Var& b) {
    return binary<[](double x, double y) { return x * y; },  // z = a·b (elementwise)
                  [](double, double y) { return y; },        // ∂z/∂a = b
                  [](double x, double) { return x; },        // ∂z/∂b = a
                  [](double, double) { return Second{0.0, 1.0, 0.0}; }>  // ∂²z/∂a² = 0, ∂²z/∂a∂b = 1, ∂²z/∂b² = 0
        ("multiply", a, b);
}
Var operator/(const Var& a, const Var& b) {
    return binary<[](double x, double y) { return x / y; },              // z = a / b
                  [](double, double y) { return 1.0 / y; },              // ∂z/∂a = 1/b
                  [](double x, double y) { return -x / (y * y); },       // ∂z/∂b = -a/b²
                  [](double x, double y) { return Second{0.0, -1.0 / (y * y), 2.0 * x / (y * y * y)}; }>
        ("divide", a, b);  // ∂²z/∂a² = 0, ∂²z/∂a∂b = -1/b², ∂²z/∂b² = 2a/b³
}

Var operator-(const Var& x) {
    return unary<[](double v, double) { return -v; },                        // y = -x
                 [](double, double, double) { return -1.0; }>("negate", x);  // dy/dx = -1
}
Var operator+(const Var& x, double c) {
    return unary<[](double v, double s) { return v + s; },                  // y = x + c
                 [](double, double, double) { return 1.0; }>("add", x, c);  // dy/dx = 1
}
Var operator+(double c, const Var& x) { return x + c; }
Var operator-(const Var& x, double c) {
    return unary<[](double v, double s) { return v - s; },                       // y = x - c
                 [](double, double, double) { return 1.0; }>("subtract", x, c);  // dy/dx = 1
}
Var operator-(double c, const Var& x) {
    return unary<[](double v, double s) { return s - v; },                             // y = c - x
                 [](double, double, double) { return -1.0; }>("subtract from", x, c);  // dy/dx = -1
}
Var operator*(double c, const Var& x) {
    return unary<[](double v, double s) { return s * v; },                    // y = c·x
                 [](double, double, double s) { return s; }>("scale", x, c);  // dy/dx = c
}
Var operator*(const Var& x, double c) { return c * x; }
Var operator/(const Var& x, double c) {
    return unary<[](double v, double s) { return v / s; },                           // y = x / c
                 [](double, double, double s) { return 1.0 / s; }>("divide", x, c);  // dy/dx = 1/c
}
Var operator/(double c, const Var& x) {
    return unary<[](double v, double s) { return s / v; },                                   // y = c / x
                 [](double v, double, double s) { return -s / (v * v); },                    // dy/dx = -c/x²
                 [](double v, double, double s) { return 2.0 * s / (v * v * v); }>("divide into", x, c);  // d²y/dx² = 2c/x³
}
Var square(const Var& x) {
    return unary<[](double v, double) { return v * v; },                          // y = x²
                 [](double v, double, double) { return 2.0 * v; },              // dy/dx = 2x
                 [](double, double, double) { return 2.0; }>("square", x);      // d²y/dx² = 2
}
Var pow(const Var& x, double p) {
    return unary<[](double v, double s) { return std::pow(v, s); },                    // y = x^p
                 [](double v, double, double s) { return s * std::pow(v, s - 1.0); },  // dy/dx = p·x^(p-1)
                 [](double v, double, double s) { return s * (s - 1.0) * std::pow(v, s - 2.0); }>  // d²y/dx² = p(p-1)·x^(p-2)
        ("pow", x, p);
}
Var sin(const Var& x) {
    return unary<[](double v, double) { return std::sin(v); },                     // y = sin x
                 [](double v, double, double) { return std::cos(v); },          // dy/dx = cos x
                 [](double, double y, double) { return -y; }>("sin", x);       // d²y/dx² = -sin x = -y
}
Var cos(const Var& x) {
    return unary<[](double v, double) { return std::cos(v); },                      // y = cos x
                 [](double v, double, double) { return -std::sin(v); },          // dy/dx = -sin x
                 [](double, double y, double) { return -y; }>("cos", x);        // d²y/dx² = -cos x = -y
}
Var exp(const Var& x) {
    return unary<[](double v, double) { return std::exp(v); },           // y = eˣ
                 [](double, double y, double) { return y; },           // dy/dx = eˣ = y
                 [](double, double y, double) { return y; }>("exp", x);  // d²y/dx² = eˣ = y
}
Var log(const Var& x) {
    return unary<[](double v, double) { return std::log(v); },                 // y = ln x
                 [](double v, double, double) { return 1.0 / v; },               // dy/dx = 1/x
                 [](double v, double, double) { return -1.0 / (v * v); }>("log", x);  // d²y/dx² = -1/x²
}
Var tanh(const Var& x) {
    return unary<[](double v, double) { return std::tanh(v); },                     // y = tanh x
                 [](double, double y, double) { return 1.0 - y * y; },                   // dy/dx = 1 - y²
                 [](double, double y, double) { return -2.0 * y * (1.0 - y * y); }>("tanh", x);  // d²y/dx² = -2y(1 - y²)
}
Var relu(const Var& x) {
    return unary<[](double v, double) { return (v > 0.0) ? v : 0.0; },                        // y = max(x, 0)
                 [](double v, double, double) { return (v > 0.0) ? 1.0 : 0.0; }>("relu", x);  // dy/dx = [x > 0]
}

Var operator+(const Var& a, ConstMatrixRef b) { return a + a.tape().constant(b); }
Var operator+(ConstMatrixRef a, const Var& b) { return b.tape().constant(a) + b; }
Var operator-(const Var& a, ConstMatrixRef b) { return a - a.tape().constant(b); }
Var operator-(ConstMatrixRef a, const Var& b) { return b.tape().constant(a) - b; }
Var operator*(const Var& a, ConstMatrixRef b) { return a * a.tape().constant(b); }
Var operator*(ConstMatrixRef a, const Var& b) { return b.tape().constant(a) * b; }
Var operator/(const Var& a, ConstMatrixRef b) { return a / a.tape().constant(b); }
Var operator/(ConstMatrixRef a, const Var& b) { return b.tape().constant(a) / b; }

}  // namespace tapegrad
