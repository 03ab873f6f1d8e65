// Elementwise ops: the gradient table. Each op below is a forward formula and its partial derivatives,
// one short line each; the two helpers first run them over matrices (with broadcasting) and record the node.
#include <cmath>

#include "autodiff/ops.hpp"

namespace tapegrad {
namespace {

// Shape of an elementwise result: per dimension equal sizes, or a 1 that stretches to the other size.
Shape broadcast_shape(const char* op, Shape a, Shape b) {
    const auto dim = [&](std::size_t x, std::size_t y) {
        if (x != y && x != 1 && y != 1) throw shape_error(op, "cannot broadcast", a, "with", b);
        return x == 1 ? y : x;
    };
    return {dim(a.rows, b.rows), dim(a.cols, b.cols)};
}

// Calls f(k, ka, kb) for every element k of the result, with the elements of a and b it is made from.
template <class F>
void for_each_broadcast(Shape out, Shape a, Shape b, F f) {
    if (a == out && b == out) {  // the common case: one flat loop
        for (std::size_t k = 0; k < out.size(); ++k) f(k, k, k);
        return;
    }
    if (a == out && b.rows == 1 && b.cols == out.cols) {  // b a row, stretched down (U * s)
        for (std::size_t i = 0; i < out.rows; ++i)
            for (std::size_t j = 0; j < out.cols; ++j) f(i * out.cols + j, i * out.cols + j, j);
        return;
    }
    for (std::size_t i = 0; i < out.rows; ++i)
        for (std::size_t j = 0; j < out.cols; ++j)
            f(i * out.cols + j, (a.rows == 1 ? 0 : i) * a.cols + (a.cols == 1 ? 0 : j),
              (b.rows == 1 ? 0 : i) * b.cols + (b.cols == 1 ? 0 : j));
}

// z = f(a, b) elementwise, with ∂z/∂a = da(a, b) and ∂z/∂b = db(a, b). f, da and db are stateless lambdas,
// passed as template arguments so each op's loop is compiled with its formula inlined.
template <auto f, auto da, auto db>
void binary_rule(Tape& t, const Node& n) {
    const ConstMatrixRef a = t.value(n.a), b = t.value(n.b);
    const MatrixRef ga = t.grad(n.a), gb = t.grad(n.b);
    for_each_broadcast(n.value.shape(), a.shape(), b.shape(), [&](std::size_t k, std::size_t ka, std::size_t kb) {
        if (ga) ga.data[ka] += n.grad.data[k] * da(a.data[ka], b.data[kb]);
        if (gb) gb.data[kb] += n.grad.data[k] * db(a.data[ka], b.data[kb]);
    });
}

template <auto f, auto da, auto db>
Var binary(const char* op, const Var& a, const Var& b) {
    const ConstMatrixRef x = a.value(), y = b.value();
    const Shape shape = broadcast_shape(op, x.shape(), y.shape());
    auto [out, node] = record(op, shape, binary_rule<f, da, db>, a, b);
    for_each_broadcast(shape, x.shape(), y.shape(), [&](std::size_t k, std::size_t ka, std::size_t kb) {
        node.value.data[k] = f(x.data[ka], y.data[kb]);
    });
    return out;
}

// y = f(x, c) elementwise, with dy/dx = df(x, y, c): c is the op's constant (the p of x^p), and the derivative
// may use y = f(x) when that is cheaper (exp, tanh).
template <auto df>
void unary_rule(Tape& t, const Node& n) {
    const ConstMatrixRef x = t.value(n.a);
    const MatrixRef gx = t.grad(n.a);
    for (std::size_t k = 0; k < x.size(); ++k) gx.data[k] += n.grad.data[k] * df(x.data[k], n.value.data[k], n.scalar);
}

template <auto f, auto df>
Var unary(const char* op, const Var& x, double c = 0.0) {
    const ConstMatrixRef v = x.value();
    auto [out, node] = record(op, v.shape(), unary_rule<df>, x, {}, c);
    for (std::size_t k = 0; k < v.size(); ++k) node.value.data[k] = f(v.data[k], c);
    return out;
}

}  // namespace

// --- The table: each op's forward formula, then its derivative(s). ---
// (A '>' inside a template argument must sit in parentheses, hence relu's.)

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
                  [](double x, double) { return x; }>        // ∂z/∂b = a
        ("multiply", a, b);
}
Var operator/(const Var& a, const Var& b) {
    return binary<[](double x, double y) { return x / y; },              // z = a / b
                  [](double, double y) { return 1.0 / y; },              // ∂z/∂a = 1/b
                  [](double x, double y) { return -x / (y * y); }>       // ∂z/∂b = -a/b²
        ("divide", a, b);
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
Var square(const Var& x) {
    return unary<[](double v, double) { return v * v; },                          // y = x²
                 [](double v, double, double) { return 2.0 * v; }>("square", x);  // dy/dx = 2x
}
Var pow(const Var& x, double p) {
    return unary<[](double v, double s) { return std::pow(v, s); },                    // y = x^p
                 [](double v, double, double s) { return s * std::pow(v, s - 1.0); }>  // dy/dx = p·x^(p-1)
        ("pow", x, p);
}
Var sin(const Var& x) {
    return unary<[](double v, double) { return std::sin(v); },                     // y = sin x
                 [](double v, double, double) { return std::cos(v); }>("sin", x);  // dy/dx = cos x
}
Var cos(const Var& x) {
    return unary<[](double v, double) { return std::cos(v); },                      // y = cos x
                 [](double v, double, double) { return -std::sin(v); }>("cos", x);  // dy/dx = -sin x
}
Var exp(const Var& x) {
    return unary<[](double v, double) { return std::exp(v); },           // y = eˣ
                 [](double, double y, double) { return y; }>("exp", x);  // dy/dx = eˣ = y
}
Var log(const Var& x) {
    return unary<[](double v, double) { return std::log(v); },                 // y = ln x
                 [](double v, double, double) { return 1.0 / v; }>("log", x);  // dy/dx = 1/x
}
Var tanh(const Var& x) {
    return unary<[](double v, double) { return std::tanh(v); },                     // y = tanh x
                 [](double, double y, double) { return 1.0 - y * y; }>("tanh", x);  // dy/dx = 1 - y²
}
Var relu(const Var& x) {
    return unary<[](double v, double) { return (v > 0.0) ? v : 0.0; },                        // y = max(x, 0)
                 [](double v, double, double) { return (v > 0.0) ? 1.0 : 0.0; }>("relu", x);  // dy/dx = [x > 0]
}

}  // namespace tapegrad
