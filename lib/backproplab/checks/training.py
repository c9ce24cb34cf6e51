"""Self-checks for notebooks 04 and 05: the whole backward pass, one SGD step, the plateau.

The networks of :func:`check_backprop` and :func:`check_sgd_step` cover what the
exercises ask for: sigmoid and tanh hidden layers, a linear output with the quadratic
cost, a sigmoid output with cross-entropy, and a network with no hidden layer.  A solution
that ignores ``net.output_activation`` or ``net.cost_function`` fails with a message
saying so.
"""
from __future__ import annotations

import numpy as np

from ..layers import ByLayer
from ..lemma import bias_gradient, output_delta, weight_gradient
from ..network import Network
from ._core import CheckResult, Mistake, run_check, seeded
from ._numbers import check_numbers

# (sizes, hidden activation, output activation, cost), simplest first
NETWORKS = [
    ([2, 3, 2], "sigmoid", "sigmoid", "quadratic"),
    ([3, 4, 4, 2], "tanh", "tanh", "quadratic"),
    ([2, 3, 2], "tanh", "linear", "quadratic"),
    ([2, 4, 3, 2], "tanh", "sigmoid", "cross_entropy"),
    ([2, 2, 3, 2], "sigmoid", "sigmoid", "cross_entropy"),
    ([1, 1], "tanh", "tanh", "quadratic"),
]


def _networks(seed):
    rng = np.random.default_rng(seed)
    out = []
    for sizes, act, out_act, cost in NETWORKS:
        net = Network(sizes, activation=act, output_activation=out_act, cost=cost, seed=int(rng.integers(1000)))
        x, y = rng.uniform(-1, 1, size=sizes[0]), rng.uniform(0, 1, size=sizes[-1])
        output = "" if out_act == act else f", {out_act} output"
        out.append((f"a {act} network {sizes}{output}, {cost.replace('_', '-')} cost, one sample", net, x, y))
    return out


def _backprop(net, x, y, output_activation=None, cost=None, a_shift=1, W_shift=1, hidden_prime=True):
    """The backward pass with optional mistakes: the output's activation or cost replaced, a[l]
    for a[l-1] (``a_shift=0``), W[l] for W[l+1] (``W_shift=0``), sigma' forgotten in (23)."""
    trace, L = net.forward(x), net.L
    sigma_L = net.output_activation if output_activation is None else output_activation
    delta = output_delta(trace.z[L], trace.a[L], y, sigma_L, net.cost_function if cost is None else cost)
    grad_W, grad_b = {}, {}
    for l in range(L, 1, -1):
        grad_b[l] = bias_gradient(delta)  # (24)
        grad_W[l] = weight_gradient(delta, trace.a[l - a_shift])  # (25)
        if l > 2:
            W = net.weights[l - 1 + W_shift]
            back = delta @ W
            delta = net.activation.prime(trace.z[l - 1]) * back if hidden_prime else back  # (23)
    layers = range(2, L + 1)
    return ByLayer([grad_W[l] for l in layers], 2, "dC/dW"), ByLayer([grad_b[l] for l in layers], 2, "dC/db")


def _swap(pair):
    return pair[1], pair[0]


BACKPROP_MISTAKES = [
    ("your output layer uses net.activation: the output's activation is net.output_activation (here "
     "it differs), so (22) needs net.output_activation.prime.",
     lambda net, x, y: _backprop(net, x, y, output_activation=net.activation)),
    ("your gradients are right for the quadratic cost, but this network uses cross-entropy: pass "
     "net.cost_function to output_delta.",
     lambda net, x, y: _backprop(net, x, y, cost="quadratic")),
    ("your weight gradients use a[l] where (25) has a[l-1], the activation of the layer before.",
     lambda net, x, y: _backprop(net, x, y, a_shift=0)),
    ("your hidden deltas use W[l] where (23) has W[l+1], the weights of the layer after.",
     lambda net, x, y: _backprop(net, x, y, W_shift=0)),
    ("your hidden deltas lack the factor sigma'(z[l]) of (23).",
     lambda net, x, y: _backprop(net, x, y, hidden_prime=False)),
    ("your lists run from layer L down to layer 2: return them in layer order, grad_W[2] first.",
     lambda net, x, y: tuple(list(reversed(list(g))) for g in _backprop(net, x, y))),
    ("you returned (grad_b, grad_W): the weights come first.", lambda net, x, y: _swap(_backprop(net, x, y))),
]

BACKPROP_HINTS = [
    (r"IndexError: .* does not exist: the notes number the layers",
     "the library numbers layers as the notes do: net.weights[l] and trace.z[l] exist for "
     "l = 2, ..., L and trace.a[l] for l = 1, ..., L (net.L is L)."),
]


@seeded
def check_backprop(student, seed=0) -> CheckResult:
    """``student(net, x, y)`` should return ``(grad_W, grad_b)`` for one sample.

    ``grad_W`` and ``grad_b`` may be lists (first entry: layer 2), a ``ByLayer`` or dicts
    keyed by the layer numbers 2..L.  Use ``net.forward(x)`` for the z's and a's, then the
    four equations with ``net.activation`` (hidden layers), ``net.output_activation`` and
    ``net.cost_function`` (output).  Diagnoses: the output's activation or the cost ignored,
    a[l] for a[l-1], W[l] for W[l+1], sigma' forgotten, the lists reversed or swapped.
    """
    cases = [(where, (net, x, y)) for where, net, x, y in _networks(seed)]

    def reference(net, x, y):
        return net.gradients(x, y)

    return run_check("backprop", _pair(student), reference, cases, BACKPROP_MISTAKES, BACKPROP_HINTS,
                     path=("grad_W", "grad_b"))


def _pair(student):
    """The student's function, with a clear message when it does not return two values."""
    def wrapped(*args):
        got = student(*args)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            what = f"{len(got)} values" if isinstance(got, (tuple, list)) else type(got).__name__
            raise Mistake(f"your function should return two values, (grad_W, grad_b); it returned {what}.")
        return got
    wrapped.__wrapped__ = student
    return wrapped


@seeded
def check_sgd_step(student, seed=0) -> CheckResult:
    """``student(net, x, y, learning_rate)`` should update ``net`` in place by one gradient step.

    The check compares the updated weights and biases with the library's ``net.step``.
    Diagnoses: no in-place update (the network unchanged), the learning rate's sign, eta
    forgotten, the biases or the weights left out.
    """
    def after(step):
        def run(net, x, y, eta):
            step(net, x, y, eta)
            return net.weights, net.biases
        run.__wrapped__ = step
        return run

    def moved(factor, weights=True, biases=True):
        def wrong(net, x, y, eta):
            gW, gb = net.gradients(x, y)
            W = [w - factor * eta * g if weights else w for w, g in zip(net.weights, gW)]
            b = [c - factor * eta * g if biases else c for c, g in zip(net.biases, gb)]
            return W, b
        return wrong

    def no_eta(net, x, y, eta):
        gW, gb = net.gradients(x, y)
        return [w - g for w, g in zip(net.weights, gW)], [c - g for c, g in zip(net.biases, gb)]

    mistakes = [
        ("the network did not change: `W = W - eta * g` makes a new array and leaves net.weights as it "
         "was; update in place, `W -= eta * g`.", moved(0.0)),
        ("your step goes uphill: the learning rate's sign is wrong, a descent step subtracts eta times "
         "the gradient.", moved(-1.0)),
        ("your step leaves out the learning rate: subtract learning_rate times the gradient.", no_eta),
        ("your step moved the weights but not the biases.", moved(1.0, biases=False)),
        ("your step moved the biases but not the weights.", moved(1.0, weights=False)),
    ]
    cases = [(where, (net, x, y, 0.5)) for where, net, x, y in _networks(seed)]
    return run_check("sgd_step", after(student), after(lambda net, x, y, eta: net.step(x, y, eta)), cases,
                     mistakes, BACKPROP_HINTS, path=("W", "b"))


def check_plateau(student) -> CheckResult:
    """``student()`` returns (cost, output_1, output_2): the plateau of notebook 05's exercise, for
    eight points of class 0 and two of class 1; here the best constant output and its cost."""
    Y = np.eye(2)[[0] * 8 + [1] * 2]
    best = Y.mean(axis=0)  # the constant output that minimises the quadratic cost (9)
    cost = float(np.mean(0.5 * np.sum((Y - best) ** 2, axis=1)))
    balanced = 0.5 * (0.5 ** 2 + 0.5 ** 2)
    slips = [("cost", balanced, "that is the balanced plateau of Section 2; with 8 and 2 points the mean "
                                "target moves."),
             ("cost", 2 * cost, "the cost (18) has the factor 1/2."),
             ("output_1", 0.5, "the best constant output is the mean target, which is no longer (0.5, 0.5).")]
    return check_numbers("plateau", student, {"cost": cost, "output_1": float(best[0]), "output_2": float(best[1])},
                         slips, rtol=1e-3)
