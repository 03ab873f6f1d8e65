#pragma once
// The tape: define-by-run reverse-mode autodiff, one node per *matrix* (a value and an adjoint), as in Stan
// Math's "var of matrix". Every op appends a node as it computes; backward() walks the nodes in reverse, and
// each node's derivative rule adds its share of the adjoint into its inputs' adjoints. The order in which
// ops ran is already a valid reverse order, so no graph sort is needed.
//
//   Tape tape;
//   Parameter x(Matrix{{3.0}});
//   Var z = tape.param(x) * 2.0;  // record
//   backward(z);                  // x.grad is now [[2]]
//   tape.clear();                 // forget the nodes, keep the memory for the next iteration
#include <cstdint>
#include <vector>

#include "autodiff/arena.hpp"
#include "autodiff/lifetime.hpp"
#include "autodiff/matrix.hpp"

namespace tapegrad {

class Tape;
struct Node;

// A leaf that wants a gradient: its value and .grad outlive every tape it is recorded on. Gradients
// *accumulate* into .grad (as in PyTorch) until zero_grad(), so grads from several backward calls add up.
// For second derivatives, .tangent is a direction v (empty means 0): jvp() moves the parameter along it, and
// hvp() adds the Hessian-vector product H·v into .grad_tangent (allocated on first use, then accumulated).
// A parameter's leaf refers to it by address: it must outlive the recordings it is on (checked in Debug builds).
struct Parameter : lifetime::Tracked<lifetime::Kind::parameter> {
    Matrix value;
    Matrix grad;
    Matrix tangent;
    Matrix grad_tangent;

    explicit Parameter(Matrix initial) : value(std::move(initial)), grad(value.rows(), value.cols()) {}
    void zero_grad() {
        grad.fill(0.0);
        grad_tangent.fill(0.0);
    }
    Shape shape() const { return value.shape(); }
};

// A derivative rule. Each reads the node and its inputs through the tape and adds into matrices they point to.
using Rule = void (*)(Tape& tape, const Node& node);

// An op's rules, three views of one derivative (ops.hpp lists them; docs/autodiff.md traces them):
struct Rules {
    Rule backward;  // reverse mode: the node's adjoint G, times the op's derivative, added into each input's adjoint
    Rule tangent;   // forward mode: the inputs' tangents (ẋ), through the op's derivative, added into the node's tangent
    // For Hessian-vector products: the derivative of `backward` along the tangents with G held fixed, added into
    // the inputs' grad tangents. Null when the op is linear, as its backward rule then reads no input's value.
    Rule curvature = nullptr;
};

inline constexpr std::uint32_t no_input = UINT32_MAX;

// 112 bytes of fields, laid out on 128 (alignas): finding node i is then a shift where 112 took three
// instructions, on every lookup of every op and rule, and no node straddles three cache lines (issue 12).
struct alignas(64) Node {
    const char* op = "";              // the op that made it, as ops.hpp names it: "matmul", "pow"; "param" for a leaf
    MatrixRef value;                  // what the op computed
    MatrixRef grad;                   // its adjoint ∂out/∂value; null when no parameter feeds this node
    const Rules* rules = nullptr;     // null for leaves, and for nodes no parameter feeds
    std::uint32_t a = no_input;       // inputs, as positions on the tape
    std::uint32_t b = no_input;
    double scalar = 0.0;              // the op's constant, e.g. the c of c·x or the p of x^p
    MatrixRef saved;                  // an intermediate the rule reuses (mse keeps its difference); on a
                                      // param_view leaf in checked builds, the value as recorded
    Parameter* parameter = nullptr;   // on a parameter's leaf: where backward() adds the adjoint
};
static_assert(sizeof(Node) == 128, "a Node is laid out on 128 bytes: see the comment above it");

// A handle to one node of one recording. Cheap to copy. Using it after its tape was cleared is an error.
class Var {
public:
    Var() = default;

    ConstMatrixRef value() const;
    Shape shape() const { return value().shape(); }
    std::size_t rows() const { return shape().rows; }
    std::size_t cols() const { return shape().cols; }
    double item() const;  // the number inside a 1x1 result
    bool requires_grad() const;
    // The adjoint ∂y/∂(this) from the last backward(y) on this recording (PyTorch's retain_grad, always on);
    // throws if no parameter feeds this node.
    ConstMatrixRef grad() const;
    // The tangent from the last jvp() or hvp() on this recording: this value's derivative along the
    // parameters' tangents.
    ConstMatrixRef tangent() const;
    bool empty() const { return tape_ == nullptr; }

    Tape& tape() const {
        if (tape_ == nullptr) throw_empty();
        if constexpr (lifetime::checked)
            if (!lifetime::alive(tape_, lifetime::Kind::tape)) throw_dead();
        return *tape_;
    }
    std::uint32_t index() const { return index_; }

private:
    friend class Tape;
    [[noreturn]] static void throw_empty();
    [[noreturn]] static void throw_dead();
    Var(Tape* tape, std::uint32_t index, std::uint32_t generation) : tape_(tape), index_(index), generation_(generation) {}

    Tape* tape_ = nullptr;
    std::uint32_t index_ = 0;
    std::uint32_t generation_ = 0;  // which recording of the tape this handle belongs to
};

// A Tape must outlive its Vars: they name it by address (checked in Debug builds, lifetime.hpp). Each recording has
// a number of its own, so a Var of a destroyed tape is refused even by a new tape at the same address. The numbers
// are 32 bits, so that a Var fits in two registers: they repeat after 2³² recordings (about half an hour of the
// tutorial's steps), and a stale Var used exactly a multiple of 2³² recordings later goes unnoticed.
class Tape : lifetime::Tracked<lifetime::Kind::tape> {
public:
    Tape() = default;
    // Vars name their tape by address: the Vars of a tape moved from go stale, as after clear().
    Tape(Tape&& other) noexcept
        : nodes_(std::move(other.nodes_)),
          values_(std::move(other.values_)),
          adjoints_(std::move(other.adjoints_)),
          tangent_memory_(std::move(other.tangent_memory_)),
          tangents_(std::move(other.tangents_)),
          grad_tangents_(std::move(other.grad_tangents_)),
          generation_(other.generation_),
          grad_enabled_(other.grad_enabled_),
          swept_(other.swept_) {
        other.clear();
    }
    Tape& operator=(Tape&& other) noexcept {
        nodes_ = std::move(other.nodes_);
        values_ = std::move(other.values_);
        adjoints_ = std::move(other.adjoints_);
        tangent_memory_ = std::move(other.tangent_memory_);
        tangents_ = std::move(other.tangents_);
        grad_tangents_ = std::move(other.grad_tangents_);
        generation_ = next_generation();  // this tape's own Vars go stale too
        grad_enabled_ = other.grad_enabled_;
        swept_ = other.swept_;  // the adjoints it names came along
        other.clear();
        return *this;
    }

    // A leaf holding a copy of the parameter's value; backward() adds its adjoint into p.grad.
    Var param(Parameter& p);
    // The same leaf read in place: its value is p.value's own storage, not a copy. For a loop that records, runs
    // backward and only then updates p (the tutorial's descents): the copies were a few percent of a 64×64 SVD step.
    // p.value must stay unchanged until the recording's backward, jvp or hvp has run; the builds that check
    // lifetimes (Debug, asan) keep a copy aside and refuse one that changed, the Release build trusts it.
    Var param_view(Parameter& p);
    // A leaf that wants no gradient (data, targets); its value is copied into the tape's arena.
    Var constant(const ConstMatrixRef& m);
    // A leaf that wants no gradient, read in place: the node's value is m's own storage, not a copy. For large
    // data recorded on every pass (the matrix a solver fits), whose copy costs as much as the products with it.
    // m must outlive the recording and stay unchanged while it is used; the node has no adjoint.
    Var constant_view(const ConstMatrixRef& m);

    // Forget every node and rewind the arena (memory is kept). Vars recorded before become invalid.
    void clear();
    std::size_t size() const { return nodes_.size(); }
    bool grad_enabled() const { return grad_enabled_; }
    std::size_t arena_capacity() const { return values_.capacity() + adjoints_.capacity(); }

    // --- for ops and their rules ---
    struct Recorded {
        Var var;     // the handle the op returns
        Node& node;  // the node to fill in: node.value, and node.saved if the rule needs it
    };
    // Appends a node of the given shape, made by op, fed by a (and b, if not empty). It gets an adjoint only if
    // grads are enabled and an input has one. Inline, the node filled in place: at the tutorial's sizes
    // recording is a large part of an op's cost, and here an op's constant arguments fold away (issue 12).
    Recorded record(const char* op, Shape shape, const Rules& rules, const Var& a, const Var& b = {}, double scalar = 0.0) {
        const bool a_has_grad = static_cast<bool>(node(a).grad);  // each node() throws on a stale or foreign Var
        const bool b_has_grad = !b.empty() && node(b).grad;
        const bool wants_grad = grad_enabled_ && (a_has_grad || b_has_grad);
        // Field by field, not from local views passed to emplace_back: those views live on the stack, and copying
        // one into the node reads 16 bytes across two 8-byte stores just made, a load the CPU cannot forward.
        Node& n = nodes_.emplace_back();
        n.op = op;
        n.value = values_.allocate(shape);
        if (wants_grad) {
            n.grad = adjoints_.allocate(shape);
            n.rules = &rules;
        }
        n.a = a.index_;
        n.b = b.empty() ? no_input : b.index_;
        n.scalar = scalar;
        return {Var(this, static_cast<std::uint32_t>(nodes_.size() - 1), generation_), n};
    }
    // Arena memory for a rule's or an op's temporary; lives until clear().
    MatrixRef scratch(Shape shape) { return values_.allocate(shape); }
    ConstMatrixRef value(std::uint32_t i) const { return nodes_[i].value; }
    MatrixRef grad(std::uint32_t i) const { return i == no_input ? MatrixRef{} : nodes_[i].grad; }
    // Node i's tangent ẋ and the tangent of its adjoint Ġ, during jvp() and hvp(); null where no parameter
    // feeds node i (its tangent is 0).
    MatrixRef tangent(std::uint32_t i) const { return i < tangents_.size() ? tangents_[i] : MatrixRef{}; }
    MatrixRef grad_tangent(std::uint32_t i) const { return i < grad_tangents_.size() ? grad_tangents_[i] : MatrixRef{}; }
    MatrixRef tangent(const Node& n) const { return tangent(static_cast<std::uint32_t>(&n - nodes_.data())); }
    // The node at position i < size() of this recording: for code that walks the tape, such as to_dot.
    const Node& node(std::uint32_t i) const { return nodes_[i]; }
    // The node behind v; throws std::logic_error if v belongs to another tape or to a cleared recording. No
    // bounds check is needed: a Var of this tape's current recording was made by it, and the recording only
    // grows until clear() starts a new one (a move, below, counts as one for the tape moved from). Every op
    // looks its inputs up, so the check is kept to two compares.
    const Node& node(const Var& v) const {
        if (v.tape_ != this || v.generation_ != generation_) throw_stale(v);
        return nodes_[v.index_];
    }

private:
    friend class NoGrad;
    friend void backward(const Var& y, const ConstMatrixRef& seed);
    friend ConstMatrixRef jvp(const Var& y);
    friend void hvp(const Var& y);
    void forward_sweep(std::size_t last);

    Var leaf(const char* op, const ConstMatrixRef& value, Parameter* parameter, bool in_place);
    [[noreturn]] void throw_stale(const Var& v) const;
    static std::uint32_t next_generation();

    std::vector<Node> nodes_;
    Arena values_;    // every node's value, and scratch
    Arena adjoints_;  // every node's adjoint: kept apart so backward() zeroes them all in one pass
    // Forward mode's memory, used only by jvp() and hvp(): a tangent and a grad tangent per node (by position).
    Arena tangent_memory_;
    std::vector<MatrixRef> tangents_;
    std::vector<MatrixRef> grad_tangents_;
    std::uint32_t generation_ = next_generation();
    bool grad_enabled_ = true;
    // The node whose backward() with seed 1 the adjoints hold (no_input if none): hvp() then skips that sweep.
    std::uint32_t swept_ = no_input;
};

// While alive, ops on this tape record values but no gradients: for updates and evaluation.
class NoGrad {
public:
    explicit NoGrad(Tape& tape) : tape_(tape), was_enabled_(tape.grad_enabled_) { tape.grad_enabled_ = false; }
    ~NoGrad() { tape_.grad_enabled_ = was_enabled_; }
    NoGrad(const NoGrad&) = delete;
    NoGrad& operator=(const NoGrad&) = delete;

private:
    Tape& tape_;
    bool was_enabled_;
};

inline ConstMatrixRef Var::value() const { return tape().node(*this).value; }

// Reverse sweep from a 1x1 result (a loss): adds ∂y/∂p into every parameter p's .grad.
void backward(const Var& y);
// Reverse sweep from any result, seeded with ∂L/∂y (PyTorch's y.backward(seed)); seed has y's shape. The seed by
// reference, as gemm's views (gemm.hpp says why).
void backward(const Var& y, const ConstMatrixRef& seed);

// Forward mode: the derivative of y along the parameters' .tangent (JAX's jvp, PyTorch's forward AD), one
// sweep in recording order through each op's tangent rule. The view lives until the next jvp, hvp or clear.
ConstMatrixRef jvp(const Var& y);
// The exact Hessian-vector product of a 1x1 y: adds H·v into each parameter's .grad_tangent, v being the
// parameters' .tangent, and ∂y/∂p into .grad as backward(y) does (its reverse sweep is skipped when the last
// sweep on this recording was backward(y), whose adjoints are still there: many products at one point cost
// two sweeps each). Forward over reverse: the reverse sweep,
// differentiated along v (docs/autodiff.md traces it on z = x·y⁵).
void hvp(const Var& y);

// The op helper: records on the tape of `a`. Shorthand for a.tape().record(...).
inline Tape::Recorded record(const char* op, Shape shape, const Rules& rules, const Var& a, const Var& b = {},
                             double scalar = 0.0) {
    return a.tape().record(op, shape, rules, a, b, scalar);
}

}  // namespace tapegrad
