#include "autodiff/optim.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tapegrad {

namespace {

void require(bool ok, const char* optimizer, const char* what, double value) {
    if (ok) return;
    std::ostringstream got;
    got << value;  // 1e-09, not std::to_string's 0.000000
    throw std::invalid_argument(std::string(optimizer) + ": " + what + ", got " + got.str());
}

std::vector<Matrix> zeros_like(const std::vector<Parameter*>& params) {
    std::vector<Matrix> out;
    for (const Parameter* p : params) out.emplace_back(p->value.rows(), p->value.cols());
    return out;
}

}  // namespace

Optimizer::Optimizer(std::vector<Parameter*> params) : params_(std::move(params)) {
    for (const Parameter* p : params_) {
        if (p == nullptr) throw std::invalid_argument("Optimizer: a parameter pointer is null");
        if (p->grad.shape() != p->value.shape())
            throw shape_error("Optimizer", "a parameter's grad is", p->grad.shape(), "but its value is", p->value.shape());
        shapes_.push_back(p->shape());
    }
}

void Optimizer::require_alive(const char* who) const {
    for (std::size_t i = 0; i < params_.size(); ++i)
        if (!lifetime::alive(params_[i], lifetime::Kind::parameter))
            throw std::logic_error(std::string(who) + ": parameter " + std::to_string(i) +
                                   " was destroyed (an optimiser's parameters must outlive it)");
}

void Optimizer::require_parameters(const char* who) const {
    if constexpr (lifetime::checked) require_alive(who);
    for (std::size_t i = 0; i < params_.size(); ++i) {
        for (const Matrix* m : {&params_[i]->value, &params_[i]->grad})
            if (m->shape() != shapes_[i])
                throw std::invalid_argument(std::string(who) + ": parameter " + std::to_string(i) + "'s " +
                                            (m == &params_[i]->value ? "value" : "grad") + " is " +
                                            to_string(m->shape()) + ", but was " + to_string(shapes_[i]) +
                                            " when the optimiser was built");
    }
}

void Optimizer::zero_grad() {
    if constexpr (lifetime::checked) require_alive("zero_grad");
    for (Parameter* p : params_) p->zero_grad();
}

Momentum::Momentum(std::vector<Parameter*> params, double lr, double momentum)
    : Optimizer(std::move(params)), lr_(lr), momentum_(momentum) {
    require(lr > 0.0 && std::isfinite(lr), "Momentum", "lr must be finite and > 0", lr);
    require(momentum >= 0.0 && momentum < 1.0, "Momentum", "momentum must be in [0, 1)", momentum);
}

void Momentum::step() {
    if constexpr (lifetime::checked) require_alive("Momentum::step");  // add_scaled checks the shapes
    for (Parameter* p : params_) {  // the tutorial's two lines, verbatim
        p->value.add_scaled(p->grad, -lr_);
        p->grad *= momentum_;
    }
}

Sgd::Sgd(std::vector<Parameter*> params, const SgdOptions& options)
    : Optimizer(std::move(params)), options_(options), momentum_buffers_(zeros_like(params_)) {
    require(options.lr > 0.0 && std::isfinite(options.lr), "Sgd", "lr must be finite and > 0", options.lr);
    require(options.momentum >= 0.0 && std::isfinite(options.momentum), "Sgd", "momentum must be finite and >= 0",
            options.momentum);
    require(options.dampening >= 0.0 && options.dampening <= 1.0, "Sgd", "dampening must be in [0, 1]",
            options.dampening);
    require(options.weight_decay >= 0.0 && std::isfinite(options.weight_decay), "Sgd",
            "weight_decay must be finite and >= 0", options.weight_decay);
    if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0))
        throw std::invalid_argument("Sgd: nesterov needs momentum > 0 and dampening = 0");
}

void Sgd::step() {
    require_parameters("Sgd::step");
    // Local copies: the compiler then knows the writes to p below cannot change them, and keeps them in registers.
    const double lr = options_.lr, momentum = options_.momentum, dampening = options_.dampening;
    const double weight_decay = options_.weight_decay;
    const bool nesterov = options_.nesterov, first = first_step_;
    for (std::size_t pi = 0; pi < params_.size(); ++pi) {
        double* p = params_[pi]->value.data();
        const double* grad = params_[pi]->grad.data();
        double* buf = momentum_buffers_[pi].data();
        for (std::size_t k = 0; k < params_[pi]->value.size(); ++k) {
            double g = weight_decay != 0.0 ? grad[k] + weight_decay * p[k] : grad[k];
            if (momentum != 0.0) {
                buf[k] = first ? g : momentum * buf[k] + (1.0 - dampening) * g;
                g = nesterov ? g + momentum * buf[k] : buf[k];
            }
            p[k] -= lr * g;
        }
    }
    first_step_ = false;
}

Adam::Adam(std::vector<Parameter*> params, const AdamOptions& options)
    : Optimizer(std::move(params)),
      options_(options),
      first_moments_(zeros_like(params_)),
      second_moments_(zeros_like(params_)) {
    require(options.lr > 0.0 && std::isfinite(options.lr), "Adam", "lr must be finite and > 0", options.lr);
    require(options.beta1 >= 0.0 && options.beta1 < 1.0, "Adam", "beta1 must be in [0, 1)", options.beta1);
    require(options.beta2 >= 0.0 && options.beta2 < 1.0, "Adam", "beta2 must be in [0, 1)", options.beta2);
    // eps = 0 divides 0 by 0 for an entry whose gradient has always been 0: a NaN parameter.
    require(options.eps > 0.0 && std::isfinite(options.eps), "Adam", "eps must be finite and > 0", options.eps);
    require(options.weight_decay >= 0.0 && std::isfinite(options.weight_decay), "Adam",
            "weight_decay must be finite and >= 0", options.weight_decay);
}

void Adam::step() {
    require_parameters("Adam::step");
    ++steps_;
    const double t = static_cast<double>(steps_);
    const double beta1 = options_.beta1, beta2 = options_.beta2, eps = options_.eps, weight_decay = options_.weight_decay;
    const double step_size = options_.lr / (1.0 - std::pow(beta1, t));
    const double bias2_sqrt = std::sqrt(1.0 - std::pow(beta2, t));
    for (std::size_t pi = 0; pi < params_.size(); ++pi) {
        double* p = params_[pi]->value.data();
        const double* grad = params_[pi]->grad.data();
        double* m = first_moments_[pi].data();
        double* v = second_moments_[pi].data();
        for (std::size_t k = 0; k < params_[pi]->value.size(); ++k) {
            const double g = weight_decay != 0.0 ? grad[k] + weight_decay * p[k] : grad[k];
            m[k] = beta1 * m[k] + (1.0 - beta1) * g;
            v[k] = beta2 * v[k] + (1.0 - beta2) * g * g;
            p[k] -= step_size * m[k] / (std::sqrt(v[k]) / bias2_sqrt + eps);
        }
    }
}

std::string_view to_string(OptimizerKind kind) {
    switch (kind) {
        case OptimizerKind::momentum: return "momentum";
        case OptimizerKind::sgd: return "sgd";
        case OptimizerKind::nesterov: return "nesterov";
        case OptimizerKind::adam: return "adam";
    }
    return "?";
}

double default_lr(OptimizerKind kind) { return kind == OptimizerKind::adam ? 0.01 : 0.9; }

std::unique_ptr<Optimizer> make_optimizer(OptimizerKind kind, std::vector<Parameter*> params, std::optional<double> lr,
                                          std::optional<double> momentum) {
    const std::string who = "make_optimizer(" + std::string(to_string(kind)) + ")";
    const char* name = who.c_str();
    const double rate = lr.value_or(default_lr(kind));
    // The torch optimisers accept lr = 0 and momentum >= 1; a descent can use neither.
    require(rate > 0.0 && std::isfinite(rate), name, "lr must be finite and > 0", rate);
    if (kind == OptimizerKind::adam) {
        if (momentum) throw std::invalid_argument(who + ": adam takes no momentum (its betas are 0.9 and 0.999)");
        return std::make_unique<Adam>(std::move(params), AdamOptions{.lr = rate});
    }
    const double mu = momentum.value_or(tutorial_momentum);
    require(mu >= 0.0 && mu < 1.0, name, "momentum must be in [0, 1)", mu);
    switch (kind) {
        case OptimizerKind::momentum: return std::make_unique<Momentum>(std::move(params), rate, mu);
        case OptimizerKind::sgd: return std::make_unique<Sgd>(std::move(params), SgdOptions{.lr = rate, .momentum = mu});
        case OptimizerKind::nesterov:
            return std::make_unique<Sgd>(std::move(params), SgdOptions{.lr = rate, .momentum = mu, .nesterov = true});
        case OptimizerKind::adam: break;  // above
    }
    throw std::invalid_argument("make_optimizer: unknown optimizer");
}

}  // namespace tapegrad
