"""Self-checks for notebook 00: sigma', tanh' and the central difference."""
from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from ._core import CheckResult, run_check


def check_sigmoid_prime(student, seed=0) -> CheckResult:
    """``student(z)`` should return sigma'(z) = sigma(z)(1 - sigma(z)) for any array z."""
    rng = np.random.default_rng(seed)
    cases = [("z = 0.0", (np.array(0.0),)), ("z of shape (5,)", (rng.normal(0, 3, 5),)),
             ("z of shape (3, 4)", (rng.normal(0, 3, (3, 4)),)), ("z = [-30, 30]", (np.array([-30.0, 30.0]),))]
    return run_check("sigmoid_prime", student, ACTIVATIONS["sigmoid"].prime, cases)


def check_tanh_prime(student, seed=0) -> CheckResult:
    """``student(z)`` should return tanh'(z) = 1 - tanh(z)^2."""
    rng = np.random.default_rng(seed)
    cases = [("z = 0.0", (np.array(0.0),)), ("z of shape (5,)", (rng.normal(0, 2, 5),)),
             ("z of shape (3, 4)", (rng.normal(0, 2, (3, 4)),))]
    return run_check("tanh_prime", student, ACTIVATIONS["tanh"].prime, cases)


def _central(f, x, eps):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def check_central_difference(student, seed=0) -> CheckResult:
    """``student(f, x, eps)`` should return ``(f(x + eps) - f(x - eps)) / (2 eps)``."""
    rng = np.random.default_rng(seed)
    fs = [("sin", np.sin), ("exp", np.exp), ("x**3", lambda x: x ** 3)]
    cases = [(f"f = {name}, x = {x:.3f}, eps = {eps:g}", (f, x, eps))
             for (name, f), x, eps in zip(fs, rng.uniform(-1, 1, 3), (1e-3, 1e-4, 1e-2))]
    return run_check("central_difference", student, _central, cases)


