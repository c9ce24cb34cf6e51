"""Self-checks for notebook 06: a local derivative rule, and counting what each mode costs."""
from __future__ import annotations

import math

import numpy as np

from ..autodiff import Value
from ..graphs import count_modes
from ..network import Network
from ._core import CheckResult, run_check, seeded
from ._numbers import check_numbers


# ----- exercise 1: the local derivative of softplus -------------------------------------
def _sigmoid(x):
    return math.exp(min(x, 0.0)) / (1.0 + math.exp(-abs(x)))


def _softplus_with(rule):
    """softplus as one node of the graph, whose local derivative is ``rule(x)``."""
    def softplus(x):
        data = max(x.data, 0.0) + math.log1p(math.exp(-abs(x.data)))  # log(1 + e^x) without overflow
        return Value(data, (x,), (rule(x.data),), "softplus")
    return softplus


def _cost_and_grad(op, x, how):
    """``[C, dC/dx]`` where ``C`` uses ``op`` (the student's node) as ``how`` says."""
    X = Value(x)
    if how == "C = softplus(x)":
        C = op(X)
    elif how == "C = softplus(x) * x":  # x is used twice: both paths must add up
        C = op(X) * X
    else:  # "C = softplus(2x - 1)": the chain rule through the node
        C = op(X * 2 - 1)
    if not isinstance(C, Value):
        raise TypeError(f"your function must return a Value (the new node), got {type(C).__name__}")
    C.backward()
    return np.array([C.data, X.grad])


@seeded
def check_softplus(student, seed=0) -> CheckResult:
    """``student(x)`` should return softplus(x) = log(1 + e^x) as a Value with the right local derivative."""
    rng = np.random.default_rng(seed)
    xs = [0.8, -1.5, float(np.round(rng.uniform(1, 3), 3)), float(np.round(rng.uniform(-1, 0), 3))]
    hows = ["C = softplus(x)", "C = softplus(x)", "C = softplus(x) * x", "C = softplus(2x - 1)"]
    cases = [(f"x = {x}, {how}", (x, how)) for x, how in zip(xs, hows)]

    def run(op):
        return lambda x, how: _cost_and_grad(op, x, how)

    def softplus(x):
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    mistakes = [
        ("Your local derivative is 1/(1 + e^x): the chain rule needs the inner derivative too, "
         "d(1 + e^x)/dx = e^x, which makes it e^x/(1 + e^x).", lambda x: _sigmoid(-x)),
        ("Your local derivative is e^x, the inner derivative alone: multiply it by the outer one, "
         "d log(u)/du = 1/u at u = 1 + e^x.", math.exp),
        ("Your local derivative is the forward value log(1 + e^x) itself, not its derivative.", softplus),
        ("Your local derivative is sigma(x)(1 - sigma(x)), the derivative of the sigmoid: one derivative too "
         "many.", lambda x: _sigmoid(x) * (1 - _sigmoid(x))),
        ("Your local derivative has the wrong sign: softplus increases everywhere.", lambda x: -_sigmoid(x)),
        ("No gradient reaches x: the local derivative is 0.", lambda x: 0.0),
    ]
    return run_check("softplus", run(student), run(_softplus_with(_sigmoid)), cases,
                     [(sentence, run(_softplus_with(rule))) for sentence, rule in mistakes])


# ----- exercise 2: counting operations (a paper exercise) --------------------------------
NAMES = ("P", "forward_mode", "reverse_mode", "central_differences")


def check_mode_counts(student, sizes=(2, 2, 3, 2)) -> CheckResult:
    """``student()`` should return ``(P, forward_mode, reverse_mode, central_differences)``.

    For the network ``sizes`` (Higham & Higham's 2-2-3-2 by default), one data point and the
    quadratic cost: the number of parameters, and the operations of forward mode, reverse mode
    and central differences, counted as in :mod:`backproplab.graphs`.  The right counts are
    measured here, on the graph, and never printed: a wrong answer is told how far off it is,
    and the typical slips are named.
    """
    net = Network(list(sizes), seed=0)
    m = count_modes(net, np.full(sizes[0], 0.5), np.eye(sizes[-1])[0])
    N, E, P = m.operations, m.edges, m.parameters
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    slips = [
        ("P", weights, "You counted the weights only: every bias is a parameter too."),
        ("P", P - weights, "You counted the biases only: every weight is a parameter too."),
        ("P", sum(sizes), "You counted the neurons: the parameters are the weights and the biases."),
        ("forward_mode", P * E,
         "You left out the one evaluation of C that computes the values the local derivatives need."),
        ("forward_mode", P * (N + E), "You evaluated C again for every pass: the graph is recorded once, "
                                      "and each further pass is one sweep over the edges."),
        ("forward_mode", N + E, "That is one sweep: forward mode gives the derivative for one parameter per sweep."),
        ("forward_mode", N + P * N, "A sweep makes one multiply-add per edge, not per operation."),
        ("reverse_mode", E, "You left out the one evaluation of C (the forward pass)."),
        ("reverse_mode", N + P * E,
         "That is forward mode's count: one backward sweep gives the derivatives for all parameters."),
        ("reverse_mode", N, "You left out the backward sweep: one multiply-add per edge."),
        ("reverse_mode", 2 * N, "A sweep makes one multiply-add per edge, not per operation."),
        ("central_differences", P * N, "That is one evaluation per parameter: central differences evaluate C "
                                       "at p + eps and at p - eps."),
        ("central_differences", 2 * P * N + N,
         "You added an evaluation at p itself: central differences need only C(p + eps) and C(p - eps)."),
        ("central_differences", 2 * P * E, "Finite differences make no sweep over the edges: each of their "
                                           "evaluations costs N operations."),
        ("central_differences", 2 * N, "That is two evaluations in all: central differences need two per parameter."),
    ]
    expected = dict(zip(NAMES, (P, m.forward_mode, m.reverse_mode, m.central_differences)))
    return check_numbers("mode_counts", student, expected, slips, rtol=0)
