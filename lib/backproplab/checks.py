"""Self-checks for the exercises: a student's function against the library's.

Each ``check_*`` function calls the student's function on seeded random inputs of
several shapes and compares the result with the library's own.  It never raises; it
returns a :class:`CheckResult` that the notebook displays as one line:

* ``PASSED``: every input agreed;
* ``FAILED``: what went wrong, on which input, with the expected and the actual value;
* ``NOT IMPLEMENTED YET``: the stub still raises ``NotImplementedError``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .lemma import bias_gradient, hidden_delta, output_delta, weight_gradient
from .network import Network

RTOL, ATOL = 1e-6, 1e-9


@dataclass
class CheckResult:
    """The outcome of a check: ``status`` is "passed", "failed" or "not implemented"."""

    name: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message


def _fmt(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, np.ndarray):
        return np.array2string(np.round(value, 6), separator=", ", threshold=20)
    return repr(value)


def _same(expected, got) -> str | None:
    """None if ``got`` matches ``expected`` (arrays, or lists/tuples of arrays), else why not."""
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"expected a sequence of {len(expected)} items, got {type(got).__name__}"
        for i, (e, g) in enumerate(zip(expected, got)):
            why = _same(e, g)
            if why:
                return f"item {i}: {why}"
        return None
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected an array of numbers, got {type(got).__name__}"
    if got_arr.shape != np.shape(expected):
        return f"expected shape {np.shape(expected)}, got shape {got_arr.shape}"
    if not np.allclose(got_arr, expected, rtol=RTOL, atol=ATOL):
        return f"expected {_fmt(np.asarray(expected))}, got {_fmt(got_arr)}"
    return None


def run_check(name, student, reference, cases) -> CheckResult:
    """Compare ``student(*args)`` with ``reference(*args)`` for every ``args`` in ``cases``.

    ``cases`` is a list of ``(description, args)``; each argument is copied before each
    call so neither function can change what the other sees.
    """
    for description, args in cases:
        expected = reference(*[_copy(a) for a in args])
        try:
            got = student(*[_copy(a) for a in args])
        except NotImplementedError:
            return CheckResult(name, "not implemented", f"{name}: NOT IMPLEMENTED YET (replace the "
                                                        "`raise NotImplementedError` with your code)")
        except Exception as exc:  # the student's bug, reported rather than raised
            return CheckResult(name, "failed", f"{name}: FAILED on {description}: raised "
                                               f"{type(exc).__name__}: {exc}{_hint(description)}")
        why = _same(expected, got)
        if why:
            return CheckResult(name, "failed", f"{name}: FAILED on {description}: {why}{_hint(description)}")
    return CheckResult(name, "passed", f"{name}: PASSED on {len(cases)} random inputs")


def _hint(description) -> str:
    if "batch" in description:
        return (" (in a batch every row is one sample, so a column-vector formula W^T delta "
                "becomes delta @ W for rows)")
    return ""


def _copy(a):
    if isinstance(a, np.ndarray):
        return a.copy()
    if isinstance(a, Network):
        return a.copy()
    return a


def _shapes():
    """(n_l, n_next, n_samples) triples: one sample and batches, narrow and wide layers."""
    return [(1, 1, None), (3, 2, None), (4, 5, None), (2, 3, 1), (3, 4, 6)]


# ----- notebook 00: derivatives and finite differences ----------------------------------
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


# ----- notebooks 01 to 04: the four equations ----------------------------------------
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
    return run_check("output_delta", student, lambda z, a, y, act: output_delta(z, a, y, act, "quadratic"),
                     _delta_cases(seed, with_W=False))


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
            return net.weights + net.biases
        return run

    cases = [(where, (net, x, y, 0.5)) for where, net, x, y in _networks(seed)]
    return run_check("sgd_step", after(student), after(lambda net, x, y, eta: net.step(x, y, eta)), cases)
