#include "autodiff/tape.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tapegrad {

// --- Var ---

void Var::throw_empty() { throw std::logic_error("Var: used before being recorded (a default-constructed Var)"); }

bool Var::requires_grad() const { return static_cast<bool>(tape().node(*this).grad); }

double Var::item() const {
    const ConstMatrixRef v = value();
    if (v.rows != 1 || v.cols != 1)
        throw std::invalid_argument("item: expects a 1x1 result, got " + to_string(v.shape()));
    return v.data[0];
}

// --- Tape ---

void Tape::throw_stale(const Var& v) const {
    if (v.tape_ != this) throw std::logic_error("Var: recorded on a different tape");
    throw std::logic_error("Var: used after its tape was cleared (node " + std::to_string(v.index_) + " of recording " +
                           std::to_string(v.generation_) + "; the tape is now at recording " +
                           std::to_string(generation_) + ")");
}

Var Tape::leaf(const char* op, ConstMatrixRef value, Parameter* parameter) {
    Node& n = nodes_.emplace_back();
    n.op = op;
    n.value = values_.allocate(value.shape());
    std::copy(value.data, value.data + value.size(), n.value.data);
    if (parameter != nullptr && grad_enabled_) {
        n.grad = adjoints_.allocate(value.shape());
        n.parameter = parameter;
    }
    return Var(this, static_cast<std::uint32_t>(nodes_.size() - 1), generation_);
}

Var Tape::param(Parameter& p) {
    if (p.grad.shape() != p.value.shape())
        throw shape_error("param", "the gradient's shape", p.grad.shape(), "does not match the value's", p.value.shape());
    return leaf("param", p.value, &p);
}

Var Tape::constant(ConstMatrixRef m) { return leaf("constant", m, nullptr); }

void Tape::clear() {
    nodes_.clear();  // keeps its capacity
    values_.reset();
    adjoints_.reset();
    ++generation_;
}

// --- the reverse sweep ---

void backward(const Var& y) {
    if (y.shape() != Shape{1, 1})
        throw std::invalid_argument("backward: the output is " + to_string(y.shape()) +
                                    ", not 1x1; pass a seed of that shape, e.g. backward(y, Matrix::ones(" +
                                    std::to_string(y.rows()) + ", " + std::to_string(y.cols()) + "))");
    const double one = 1.0;
    backward(y, ConstMatrixRef(&one, 1, 1));
}

void backward(const Var& y, ConstMatrixRef seed) {
    Tape& tape = y.tape();
    const Node& out = tape.node(y);
    if (seed.shape() != out.value.shape())
        throw shape_error("backward", "the seed is", seed.shape(), "but the output is", out.value.shape());
    if (!out.grad)
        throw std::invalid_argument("backward: the output depends on no parameter (or was recorded under NoGrad)");

    std::vector<Node>& nodes = tape.nodes_;
    const std::size_t last = y.index();
    // Adjoints start at zero (they share an arena, so that is one pass); the output's is the seed.
    tape.adjoints_.zero();
    std::copy(seed.data, seed.data + seed.size(), out.grad.data);

    // Reverse order of recording: every node's adjoint is complete before its rule reads it.
    for (std::size_t i = last + 1; i-- > 0;)
        if (nodes[i].backward) nodes[i].backward(tape, nodes[i]);

    // Parameters accumulate: p.grad += adjoint of each leaf recorded from p (PyTorch's AccumulateGrad).
    for (std::size_t i = 0; i <= last; ++i)
        if (nodes[i].parameter != nullptr) nodes[i].parameter->grad.add_scaled(nodes[i].grad, 1.0);
}

}  // namespace tapegrad
