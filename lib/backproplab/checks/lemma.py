"""Self-checks for notebooks 01 to 04: the four equations (22) to (25)."""
from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from ..lemma import bias_gradient, hidden_delta, output_delta, weight_gradient
from ._core import CheckResult, _shapes, run_check


def _delta_cases(seed, with_W):
    rng = np.random.default_rng(seed)
    cases = []
    for name in ("sigmoid", "tanh"):
        act = ACTIVATIONS[name]
        for n_l, n_next, n in _shapes():
            shape = (n_l,) if n is None else (n, n_l)
            where = f"{name}, {'one sample' if n is None else f'a batch of {n}'}, layer width {n_l}"
            z = rng.normal(0, 1.5, shape)
            if with_W:
                W_next = rng.normal(0, 1, (n_next, n_l))
                delta_next = rng.normal(0, 0.5, shape[:-1] + (n_next,))
                cases.append((where, (z, W_next, delta_next, act)))
            else:
                y = rng.uniform(0, 1, shape)
                cases.append((where, (z, act.sigma(z), y, act)))
    return cases


def check_output_delta(student, seed=0) -> CheckResult:
    """``student(z_L, a_L, y, activation)`` should return (22) for the quadratic cost.

    ``activation`` is an :class:`~backproplab.activations.Activation`; use
    ``activation.prime(z_L)`` for sigma'(z[L]).
    """
    mistakes = [
        ("your result equals a - y: did you forget the factor sigma'(z[L])?", lambda z, a, y, act: a - y),
        ("your result has the opposite sign: the cost's gradient is a - y, not y - a.",
         lambda z, a, y, act: act.prime(z) * (y - a)),
    ]
    return run_check("output_delta", student, lambda z, a, y, act: output_delta(z, a, y, act, "quadratic"),
                     _delta_cases(seed, with_W=False), mistakes)


def check_hidden_delta(student, seed=0) -> CheckResult:
    """``student(z_l, W_next, delta_next, activation)`` should return (23)."""
    return run_check("hidden_delta", student, hidden_delta, _delta_cases(seed, with_W=True))


def check_bias_gradient(student, seed=0) -> CheckResult:
    """``student(delta)`` should return (24): delta for one sample, its mean over a batch."""
    rng = np.random.default_rng(seed)
    cases = [("one sample of width 3", (rng.normal(size=3),)), ("one sample of width 1", (rng.normal(size=1),)),
             ("a batch of 4, width 3", (rng.normal(size=(4, 3)),)), ("a batch of 1, width 2", (rng.normal(size=(1, 2)),))]
    return run_check("bias_gradient", student, bias_gradient, cases)


def check_bias_update(student, seed=0) -> CheckResult:
    """``student(b, delta, learning_rate)`` should return ``b - learning_rate * delta``."""
    rng = np.random.default_rng(seed)
    cases = [(f"width {n}, learning rate {eta}", (rng.normal(size=n), rng.normal(size=n), eta))
             for n, eta in ((1, 0.1), (3, 0.05), (5, 2.0))]
    return run_check("bias_update", student, lambda b, d, eta: b - eta * d, cases)


def check_weight_gradient(student, seed=0) -> CheckResult:
    """``student(delta, a_prev)`` should return (25): the outer product, averaged over a batch."""
    rng = np.random.default_rng(seed)
    cases = []
    for n_l, n_prev, n in ((1, 1, None), (3, 2, None), (2, 4, None), (3, 2, 5), (1, 3, 2)):
        where = f"{'one sample' if n is None else f'a batch of {n}'}, n_l = {n_l}, n_(l-1) = {n_prev}"
        lead = () if n is None else (n,)
        cases.append((where, (rng.normal(size=lead + (n_l,)), rng.uniform(size=lead + (n_prev,)))))
    return run_check("weight_gradient", student, weight_gradient, cases)
