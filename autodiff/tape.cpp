#include "autodiff/tape.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <string>

#include "autodiff/simd.hpp"

namespace tapegrad {

// --- Var ---

void Var::throw_empty() { throw std::logic_error("Var: used before being recorded (a default-constructed Var)"); }

void Var::throw_dead() {
    throw std::logic_error("Var: used after its Tape was destroyed (a Tape must outlive the Vars recorded on it)");
}

bool Var::requires_grad() const { return static_cast<bool>(tape().node(*this).grad); }

ConstMatrixRef Var::grad() const {
    const MatrixRef g = tape().node(*this).grad;
    if (!g) throw std::logic_error("Var::grad: no parameter feeds this node, so it has no adjoint");
    return g;
}

ConstMatrixRef Var::tangent() const {
    tape().node(*this);  // throws on a stale Var
    const MatrixRef t = tape().tangent(index_);
    if (!t) throw std::logic_error("Var::tangent: no jvp() or hvp() has run through this node (or no parameter feeds it)");
    return t;
}

double Var::item() const {
    const ConstMatrixRef v = value();
    if (v.rows != 1 || v.cols != 1)
        throw std::invalid_argument("item: expects a 1x1 result, got " + to_string(v.shape()));
    return v.data[0];
}

// --- Tape ---

// Numbers unique in the process, handed out without a locked instruction per clear(): a locked add waits until
// every store before it has reached the cache, dozens of cycles after a step's recording (perf: nearly all of
// clear()'s time, 4% of the 4x4 inverse step; issue 12). So each thread takes a block of numbers at a time from
// the shared counter and hands them out one by one.
std::uint32_t Tape::next_generation() {
    constexpr std::uint32_t block = 1024;
    static std::atomic<std::uint32_t> next_block{0};
    thread_local std::uint32_t next = 0, end = 0;
    if (next == end) {
        next = next_block.fetch_add(block, std::memory_order_relaxed);
        end = next + block;
    }
    return next++;
}

void Tape::throw_stale(const Var& v) const {
    if (v.tape_ != this) throw std::logic_error("Var: recorded on a different tape");
    throw std::logic_error("Var: used after its tape was cleared, or destroyed and another made in its place (node " +
                           std::to_string(v.index_) + " of recording " +
                           std::to_string(v.generation_) + "; the tape is now at recording " +
                           std::to_string(generation_) + ")");
}

namespace {

// to = from. A call to memmove costs more than a small matrix's copy (the tutorial's parameters are 5x4), so
// below 64 entries four doubles at a time, in a register.
void copy_values(const ConstMatrixRef& from, const MatrixRef& to) {
    if (from.size() >= 64) {
        std::copy(from.data, from.data + from.size(), to.data);
        return;
    }
    std::size_t k = 0;
    for (; k + 4 <= from.size(); k += 4) Four(from.data + k, unaligned).copy_to(to.data + k, unaligned);
    for (; k < from.size(); ++k) to.data[k] = from.data[k];
}

}  // namespace

Var Tape::leaf(const char* op, const ConstMatrixRef& value, Parameter* parameter, bool in_place) {
    Node& n = nodes_.emplace_back();
    n.op = op;
    if (in_place) {
        // Nodes hold writable views because an op fills its own node's value as it is recorded; a leaf's value is
        // never written after, so dropping the const here writes nothing through it.
        n.value = MatrixRef{const_cast<double*>(value.data), value.rows, value.cols};
    } else {
        n.value = values_.allocate(value.shape());
        copy_values(value, n.value);
    }
    if (parameter != nullptr && grad_enabled_) {
        n.grad = adjoints_.allocate(value.shape());
        n.parameter = parameter;
        if constexpr (lifetime::checked)
            if (in_place) {  // the value as recorded, for parameter_of to compare
                n.saved = values_.allocate(value.shape());
                copy_values(value, n.saved);
            }
    }
    return Var(this, static_cast<std::uint32_t>(nodes_.size() - 1), generation_);
}

namespace {

void check_param(const char* who, const Parameter& p) {
    if (p.grad.shape() != p.value.shape())
        throw shape_error(who, "the gradient's shape", p.grad.shape(), "does not match the value's", p.value.shape());
}

}  // namespace

Var Tape::param(Parameter& p) {
    check_param("param", p);
    return leaf("param", p.value, &p, false);
}

Var Tape::param_view(Parameter& p) {
    check_param("param_view", p);
    return leaf("param", p.value, &p, true);
}

Var Tape::constant(const ConstMatrixRef& m) { return leaf("constant", m, nullptr, false); }

Var Tape::constant_view(const ConstMatrixRef& m) { return leaf("constant", m, nullptr, true); }

void Tape::clear() {
    nodes_.clear();  // keeps its capacity
    values_.reset();
    adjoints_.reset();
    tangent_memory_.reset();
    tangents_.clear();
    grad_tangents_.clear();
    swept_ = no_input;
    generation_ = next_generation();
}

// --- the reverse sweep ---

namespace {

// The Parameter behind a parameter's leaf, which refers to it by address: in the builds that check lifetimes, one
// destroyed since it was recorded is refused before it is written to, and so is one recorded in place
// (param_view) whose value changed since.
Parameter& parameter_of(const Node& n, const char* who) {
    if constexpr (lifetime::checked) {
        if (!lifetime::alive(n.parameter, lifetime::Kind::parameter))
            throw std::logic_error(std::string(who) +
                                   ": a Parameter recorded on this tape was destroyed (it must outlive the recording)");
        // Bit for bit, so that a NaN recorded (a diverged descent, which its loop reports) counts as unchanged.
        if (n.saved && std::memcmp(n.saved.data, n.value.data, n.saved.size() * sizeof(double)) != 0)
            throw std::logic_error(std::string(who) +
                                   ": a Parameter recorded in place (param_view) changed since it was recorded (update "
                                   "it after backward, or record it with param)");
    }
    return *n.parameter;
}

// Nodes 0..last in reverse order of recording: every node's adjoint is complete before its rule reads it.
void reverse_sweep(Tape& tape, std::size_t last) {
    for (std::size_t i = last + 1; i-- > 0;)
        if (const Node& n = tape.node(static_cast<std::uint32_t>(i)); n.rules) n.rules->backward(tape, n);
}

// Parameters accumulate: p.grad += adjoint of each leaf recorded from p (PyTorch's AccumulateGrad).
void flush_into_parameters(const Tape& tape, std::size_t last) {
    if constexpr (lifetime::checked)  // every leaf's Parameter first, so a refused backward has written nothing
        for (std::size_t i = 0; i <= last; ++i)
            if (const Node& n = tape.node(static_cast<std::uint32_t>(i)); n.parameter != nullptr)
                parameter_of(n, "backward");
    for (std::size_t i = 0; i <= last; ++i)
        if (const Node& n = tape.node(static_cast<std::uint32_t>(i)); n.parameter != nullptr) {
            Parameter* const p = &parameter_of(n, "backward");
            if (p->grad.shape() != n.grad.shape())  // .grad is the caller's: it may have been replaced
                throw shape_error("backward", "the parameter's gradient is", p->grad.shape(), "but was recorded as",
                                  n.grad.shape());
            double* const grad = p->grad.data();
            for (std::size_t k = 0; k < n.grad.size(); ++k) grad[k] += n.grad.data[k];
        }
}

}  // namespace

void backward(const Var& y) {
    if (y.shape() != Shape{1, 1})
        throw std::invalid_argument("backward: the output is " + to_string(y.shape()) +
                                    ", not 1x1; pass a seed of that shape, e.g. backward(y, Matrix::ones(" +
                                    std::to_string(y.rows()) + ", " + std::to_string(y.cols()) + "))");
    const double one = 1.0;
    backward(y, ConstMatrixRef(&one, 1, 1));
}

void backward(const Var& y, const ConstMatrixRef& seed) {
    Tape& tape = y.tape();
    const Node& out = tape.node(y);
    if (seed.shape() != out.value.shape())
        throw shape_error("backward", "the seed is", seed.shape(), "but the output is", out.value.shape());
    if (!out.grad)
        throw std::invalid_argument("backward: the output depends on no parameter (or was recorded under NoGrad)");

    const std::size_t last = y.index();
    // Adjoints start at zero (they share an arena, so that is one pass); the output's is the seed.
    tape.adjoints_.zero();
    std::copy(seed.data, seed.data + seed.size(), out.grad.data);
    reverse_sweep(tape, last);
    flush_into_parameters(tape, last);
    tape.swept_ = seed.size() == 1 && seed.data[0] == 1.0 ? y.index() : no_input;
}

// --- forward mode ---

// Gives every node 0..last that a parameter feeds a tangent and a grad tangent, all zero, then runs the tangent
// rules in recording order: a leaf's tangent is its parameter's, every other node's comes from its inputs'.
void Tape::forward_sweep(std::size_t last) {
    tangent_memory_.reset();
    tangents_.assign(last + 1, MatrixRef{});  // keeps its capacity: no heap allocation once warm
    grad_tangents_.assign(last + 1, MatrixRef{});
    for (std::size_t i = 0; i <= last; ++i)
        if (nodes_[i].grad) {
            tangents_[i] = tangent_memory_.allocate(nodes_[i].value.shape());
            grad_tangents_[i] = tangent_memory_.allocate(nodes_[i].value.shape());
        }
    tangent_memory_.zero();
    for (std::size_t i = 0; i <= last; ++i) {
        const Node& n = nodes_[i];
        if (n.rules) {
            n.rules->tangent(*this, n);
        } else if (n.parameter != nullptr && !parameter_of(n, "jvp").tangent.empty()) {
            const Matrix& v = n.parameter->tangent;
            if (v.shape() != n.value.shape())
                throw shape_error("jvp", "a parameter's tangent is", v.shape(), "but its value is", n.value.shape());
            std::copy(v.data(), v.data() + v.size(), tangents_[i].data);
        }
    }
}

ConstMatrixRef jvp(const Var& y) {
    Tape& tape = y.tape();
    if (!tape.node(y).grad)
        throw std::invalid_argument("jvp: the output depends on no parameter (or was recorded under NoGrad)");
    tape.forward_sweep(y.index());
    return tape.tangents_[y.index()];
}

// Forward over reverse. The reverse sweep computes each adjoint G from the adjoints after it; its derivative
// along v, the grad tangent Ġ, follows the same sweep: each rule is linear in G, so Ġ flows back through the
// very same rules, and where a rule also reads its inputs' values (a nonlinear op), their tangents add the
// curvature term. Both are linear in Ġ's sources, so: every curvature term first, then the ordinary rules run
// once more with each node's adjoint pointed at its grad tangent.
void hvp(const Var& y) {
    Tape& tape = y.tape();
    const std::size_t last = y.index();
    if (tape.node(y).grad && tape.swept_ == y.index() && y.shape() == Shape{1, 1})
        flush_into_parameters(tape, last);  // the adjoints G, which the curvature terms read, are already there
    else
        backward(y);  // checks y
    tape.forward_sweep(last);
    std::vector<Node>& nodes = tape.nodes_;
    for (std::size_t i = 0; i <= last; ++i)
        if (nodes[i].rules && nodes[i].rules->curvature) nodes[i].rules->curvature(tape, nodes[i]);
    // y's own grad tangent stays 0: the seed 1 does not move with v.
    for (std::size_t i = 0; i <= last; ++i) std::swap(nodes[i].grad, tape.grad_tangents_[i]);
    reverse_sweep(tape, last);
    for (std::size_t i = 0; i <= last; ++i) std::swap(nodes[i].grad, tape.grad_tangents_[i]);

    for (std::size_t i = 0; i <= last; ++i)
        if (nodes[i].parameter != nullptr) {
            Parameter* const p = &parameter_of(nodes[i], "hvp");
            if (p->grad_tangent.shape() != p->value.shape()) p->grad_tangent = Matrix(p->value.rows(), p->value.cols());
            p->grad_tangent.add_scaled(tape.grad_tangents_[i], 1.0);
        }
}

}  // namespace tapegrad
