"""Self-checks for notebooks 04 and 05: the whole backward pass and one SGD step."""
from __future__ import annotations

import numpy as np

from ..network import Network
from ._core import CheckResult, run_check


def _networks(seed):
    rng = np.random.default_rng(seed)
    out = []
    for sizes, act in (([2, 3, 2], "sigmoid"), ([3, 4, 4, 2], "tanh"), ([2, 2, 3, 2], "sigmoid"), ([1, 1], "tanh")):
        net = Network(sizes, activation=act, seed=int(rng.integers(1000)))
        x, y = rng.uniform(size=sizes[0]), rng.uniform(size=sizes[-1])
        out.append((f"a {act} network {sizes}, one sample", net, x, y))
    return out


def check_backprop(student, seed=0) -> CheckResult:
    """``student(net, x, y)`` should return ``(grad_W, grad_b)`` for one sample (quadratic cost).

    Use ``net.forward(x)`` for the z's and a's, then the four equations.
    """
    cases = [(where, (net, x, y)) for where, net, x, y in _networks(seed)]
    return run_check("backprop", student, lambda net, x, y: net.gradients(x, y), cases)


def check_sgd_step(student, seed=0) -> CheckResult:
    """``student(net, x, y, learning_rate)`` should update ``net`` in place by one gradient step.

    The check compares the updated weights and biases with the library's ``net.step``.
    """
    def after(step):
        def run(net, x, y, eta):
            step(net, x, y, eta)
            return [*net.weights, *net.biases]
        return run

    cases = [(where, (net, x, y, 0.5)) for where, net, x, y in _networks(seed)]
    return run_check("sgd_step", after(student), after(lambda net, x, y, eta: net.step(x, y, eta)), cases)
