"""Self-checks for notebook 00: sigma', tanh', the central difference and the paper exercises."""
from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from ._core import CheckResult, run_check, seeded
from ._numbers import check_numbers

_s = ACTIVATIONS["sigmoid"].sigma
_t = np.tanh

SIGMOID_PRIME_MISTAKES = [
    ("your result equals sigma(z) itself: the derivative is sigma(z) (1 - sigma(z)).", lambda z: _s(z)),
    ("your result equals z (1 - z): apply a (1 - a) to a = sigma(z), not to z.", lambda z: z * (1 - z)),
    ("your result has the opposite sign: sigma'(z) = sigma(z) (1 - sigma(z)) is positive.",
     lambda z: -_s(z) * (1 - _s(z))),
    ("your result equals e^-z / (1 + e^-z) = 1 - sigma(z): the denominator of step 4 is squared, "
     "which gives the factor sigma(z).", lambda z: 1 - _s(z)),
    ("your result equals 1 - sigma(z)^2, the pattern of tanh': the sigmoid's is sigma (1 - sigma).",
     lambda z: 1 - _s(z) ** 2),
]

TANH_PRIME_MISTAKES = [
    ("your result equals 1 - tanh(z): the tanh is squared in 1 - tanh(z)^2.", lambda z: 1 - _t(z)),
    ("your result equals tanh(z) (1 - tanh(z)), the sigmoid's a (1 - a) on a tanh: tanh' is 1 - a^2.",
     lambda z: _t(z) * (1 - _t(z))),
    ("your result has the opposite sign: tanh' = 1 - tanh^2 is positive.", lambda z: _t(z) ** 2 - 1),
    ("your result equals 1 - z^2: apply 1 - a^2 to a = tanh(z), not to z.", lambda z: 1 - z ** 2),
    ("your result equals tanh(z) itself: the derivative is 1 - tanh(z)^2.", lambda z: _t(z)),
]


@seeded
def check_sigmoid_prime(student, seed=0) -> CheckResult:
    """``student(z)`` should return sigma'(z) = sigma(z)(1 - sigma(z)) for any array z."""
    rng = np.random.default_rng(seed)
    cases = [("z = 0.0", (np.array(0.0),)), ("z of shape (5,)", (rng.normal(0, 3, 5),)),
             ("z of shape (3, 4)", (rng.normal(0, 3, (3, 4)),)), ("z = [-30, 30]", (np.array([-30.0, 30.0]),))]
    return run_check("sigmoid_prime", student, ACTIVATIONS["sigmoid"].prime, cases, SIGMOID_PRIME_MISTAKES)


@seeded
def check_tanh_prime(student, seed=0) -> CheckResult:
    """``student(z)`` should return tanh'(z) = 1 - tanh(z)^2."""
    rng = np.random.default_rng(seed)
    cases = [("z = 0.5", (np.array(0.5),)), ("z of shape (5,)", (rng.normal(0, 2, 5),)),
             ("z of shape (3, 4)", (rng.normal(0, 2, (3, 4)),))]
    return run_check("tanh_prime", student, ACTIVATIONS["tanh"].prime, cases, TANH_PRIME_MISTAKES)


def _central(f, x, eps):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


CENTRAL_DIFFERENCE_MISTAKES = [
    ("your result is the forward difference (f(x + eps) - f(x)) / eps: step to both sides, x - eps "
     "and x + eps.", lambda f, x, eps: (f(x + eps) - f(x)) / eps),
    ("your result is twice the central difference: the two points are 2 eps apart, so divide by 2 eps.",
     lambda f, x, eps: (f(x + eps) - f(x - eps)) / eps),
    ("your result has the opposite sign: it is f(x + eps) - f(x - eps), the later point first.",
     lambda f, x, eps: (f(x - eps) - f(x + eps)) / (2 * eps)),
    ("your result equals (f(x + eps) - f(x - eps)) / 2 * eps: Python divides by 2 and then multiplies "
     "by eps; write / (2 * eps).", lambda f, x, eps: (f(x + eps) - f(x - eps)) / 2 * eps),
]


@seeded
def check_central_difference(student, seed=0) -> CheckResult:
    """``student(f, x, eps)`` should return ``(f(x + eps) - f(x - eps)) / (2 eps)``."""
    rng = np.random.default_rng(seed)
    fs = [("sin", np.sin), ("exp", np.exp), ("x**3", lambda x: x ** 3)]
    cases = [(f"f = {name}, x = {x:.3f}, eps = {eps:g}", (f, x, eps))
             for (name, f), x, eps in zip(fs, rng.uniform(-1, 1, 3), (1e-3, 1e-4, 1e-2))]
    return run_check("central_difference", student, _central, cases, CENTRAL_DIFFERENCE_MISTAKES)


def _softplus(x):
    return np.logaddexp(0.0, x)  # ln(1 + e^x), without overflow


@seeded
def check_softplus_prime(student, seed=0) -> CheckResult:
    """``student(x)``, the derivative found in the paper exercise, against central differences
    of softplus ``ln(1 + e^x)`` (no formula for the answer is used)."""
    rng = np.random.default_rng(seed)
    cases = [("x = 0.5", (np.array(0.5),)), ("x of shape (6,)", (rng.uniform(-5, 5, 6),))]
    mistakes = [
        ("your result equals e^x: the chain rule also needs the outer derivative 1 / (1 + e^x).",
         lambda x: np.exp(x)),
        ("your result equals 1 / (1 + e^x): the inner derivative is e^x, the numerator.",
         lambda x: 1 / (1 + np.exp(x))),
        ("your result equals softplus itself, ln(1 + e^x): differentiate it.", _softplus),
        ("your result has the opposite sign: softplus increases everywhere.",
         lambda x: -_central(_softplus, x, 1e-6)),
    ]
    return run_check("softplus_prime", student, lambda x: _central(_softplus, x, 1e-6), cases, mistakes)


@seeded
def check_tanh_prime_from_sigmoid(student, seed=0) -> CheckResult:
    """``student(z)``: tanh'(z) written with sigma and sigma' only, checked against 1 - tanh^2."""
    rng = np.random.default_rng(seed)
    cases = [("z = 0.5", (np.array(0.5),)), ("z of shape (6,)", (rng.normal(0, 1.5, 6),))]

    def s_prime(u):
        return _s(u) * (1 - _s(u))

    mistakes = [
        ("your result is half the right one: the chain rule's inner derivative d(2z)/dz = 2 is missing.",
         lambda z: 2 * s_prime(2 * z)),
        ("your result is a quarter of the right one: both factors 2 (the outer 2 sigma and the inner 2z) "
         "are missing.", lambda z: s_prime(2 * z)),
        ("your result uses sigma'(z) where the chain rule needs sigma'(2z).", lambda z: 4 * s_prime(z)),
    ]
    return run_check("tanh_prime_from_sigmoid", student, ACTIVATIONS["tanh"].prime, cases, mistakes)


def check_parameter_count(student) -> CheckResult:
    """``student()`` returns (parameters, cost evaluations per gradient) of a 784-30-10 network."""
    sizes = [784, 30, 10]
    weights = sum(n * m for n, m in zip(sizes[1:], sizes[:-1]))
    biases = sum(sizes[1:])
    P = weights + biases
    slips = [("parameters", weights, "that is the weights only: each neuron of layers 2 and 3 has a bias too."),
             ("parameters", P - sizes[-1], "the output layer's biases are missing."),
             ("evaluations", P, "one evaluation per parameter is the forward difference; the central "
                                "difference needs two, at p + eps and p - eps."),
             ("evaluations", 2 * weights, "the biases are parameters too.")]
    return check_numbers("parameter_count", student, {"parameters": P, "evaluations": 2 * P}, slips, rtol=0.0)
