#pragma once
// Everything a user of the engine needs: the matrix, the tape, the ops, the gradient check, the optimisers.
#include "autodiff/gradcheck.hpp"
#include "autodiff/graphviz.hpp"
#include "autodiff/matrix.hpp"
#include "autodiff/ops.hpp"
#include "autodiff/optim.hpp"
#include "autodiff/random.hpp"
#include "autodiff/tape.hpp"
