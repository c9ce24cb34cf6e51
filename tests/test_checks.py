"""Every exercise checker: a right answer passes, each common mistake is named, nothing raises.

The table WRONG holds, per exercise, plausible wrong answers written as a student would
write them, and words that the failure message must contain: the name of the mistake, not
only "expected ..., got ...".
"""
import inspect
import re

import numpy as np
import pytest

from backproplab import Network, checks
from backproplab.activations import ACTIVATIONS
from backproplab.checks import source_of
from backproplab.lemma import bias_gradient, hidden_delta, output_delta, weight_gradient


def stub(*args):
    raise NotImplementedError()


def sig(z):
    return 1 / (1 + np.exp(-z))


# ----- right answers, written independently of the library's code ----------------------
def right_backprop(net, x, y, output_activation=True, cost=True, a_shift=1, W_shift=1, hidden_prime=True):
    trace, L = net.forward(x), net.L
    sigma_L = net.output_activation if output_activation else net.activation
    delta = output_delta(trace.z[L], trace.a[L], y, sigma_L, net.cost_function if cost else "quadratic")
    grad_W, grad_b = {}, {}
    for l in range(L, 1, -1):
        grad_b[l], grad_W[l] = bias_gradient(delta), weight_gradient(delta, trace.a[l - a_shift])
        if l > 2:
            back = delta @ net.weights[l - 1 + W_shift]
            delta = net.activation.prime(trace.z[l - 1]) * back if hidden_prime else back
    return [grad_W[l] for l in range(2, L + 1)], [grad_b[l] for l in range(2, L + 1)]


def backprop_in_dicts(net, x, y):
    grad_W, grad_b = right_backprop(net, x, y)
    layers = range(2, net.L + 1)
    return dict(zip(layers, grad_W)), dict(zip(layers, grad_b))


def sgd_step(net, x, y, eta, factor=1.0, weights=True, biases=True, in_place=True):
    grad_W, grad_b = net.gradients(x, y)
    for W, b, gW, gb in zip(net.weights, net.biases, grad_W, grad_b):
        if in_place:
            if weights:
                W -= factor * eta * gW
            if biases:
                b -= factor * eta * gb
        else:
            W = W - eta * gW  # noqa: F841  (the mistake: a new array, the network unchanged)
            b = b - eta * gb  # noqa: F841


def bias_update_in_place(b, delta, eta):
    b -= eta * delta
    return b


def tanh_cross_entropy_delta(z, t):
    return np.tanh(z) - t


RIGHT = {
    "sigmoid_prime": (checks.check_sigmoid_prime, lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh_prime": (checks.check_tanh_prime, lambda z: 1 / np.cosh(z) ** 2),
    "central_difference": (checks.check_central_difference, lambda f, x, eps: (f(x + eps) - f(x - eps)) / (2 * eps)),
    "softplus_prime": (checks.check_softplus_prime, sig),
    "tanh_prime_from_sigmoid": (checks.check_tanh_prime_from_sigmoid,
                                lambda z: 4 * sig(2 * z) * (1 - sig(2 * z))),
    "output_delta": (checks.check_output_delta, lambda z, a, y, act: act.prime(z) * (a - y)),
    "tanh_cross_entropy_delta": (checks.check_tanh_cross_entropy_delta, tanh_cross_entropy_delta),
    "hidden_delta": (checks.check_hidden_delta, lambda z, W, d, act: act.prime(z) * np.einsum("kj,...k->...j", W, d)),
    "bias_gradient": (checks.check_bias_gradient, lambda d: d.copy() if d.ndim == 1 else d.mean(axis=0)),
    "bias_update": (checks.check_bias_update, lambda b, d, eta: b - eta * d),
    "weight_gradient": (checks.check_weight_gradient,
                        lambda d, a: np.outer(d, a) if d.ndim == 1 else np.einsum("nj,nk->jk", d, a) / len(d)),
    "backprop": (checks.check_backprop, right_backprop),
    "sgd_step": (checks.check_sgd_step, sgd_step),
}

# exercise -> [(wrong answer, words the message must contain)]
WRONG = {
    "sigmoid_prime": [
        (sig, "equals sigma(z) itself"),
        (lambda z: z * (1 - z), "a = sigma(z), not to z"),
        (lambda z: -sig(z) * (1 - sig(z)), "opposite sign"),
        (lambda z: np.exp(-z) / (1 + np.exp(-z)), "is squared"),
        (lambda z: 1 - sig(z) ** 2, "pattern of tanh'"),
        (lambda z: sig(z) * (1 - sig(z)) + 0j, "complex"),
        (lambda z: None, "forget the `return`"),
    ],
    "tanh_prime": [
        (lambda z: 1 - np.tanh(z), "is squared"),
        (lambda z: np.tanh(z) * (1 - np.tanh(z)), "the sigmoid's a (1 - a) on a tanh"),
        (lambda z: np.tanh(z) ** 2 - 1, "opposite sign"),
        (lambda z: 1 - z ** 2, "not to z"),
        (np.tanh, "equals tanh(z) itself"),
    ],
    "central_difference": [
        (lambda f, x, eps: (f(x + eps) - f(x)) / eps, "forward difference"),
        (lambda f, x, eps: (f(x + eps) - f(x - eps)) / eps, "divide by 2 eps"),
        (lambda f, x, eps: (f(x - eps) - f(x + eps)) / (2 * eps), "opposite sign"),
        (lambda f, x, eps: (f(x + eps) - f(x - eps)) / 2 * eps, "write / (2 * eps)"),
    ],
    "softplus_prime": [
        (np.exp, "outer derivative"),
        (lambda x: 1 / (1 + np.exp(x)), "inner derivative"),
        (lambda x: np.log1p(np.exp(x)), "softplus itself"),
    ],
    "tanh_prime_from_sigmoid": [
        (lambda z: 2 * sig(2 * z) * (1 - sig(2 * z)), "inner derivative"),
        (lambda z: 4 * sig(z) * (1 - sig(z)), "sigma'(2z)"),
    ],
    "output_delta": [
        (lambda z, a, y, act: a - y, "did you forget the factor sigma'(z[L])"),
        (lambda z, a, y, act: act.prime(z) * (y - a), "opposite sign"),
        (lambda z, a, y, act: act.sigma(z) * (a - y), "sigma(z[L]) where (22) has its derivative"),
        (lambda z, a, y, act: a * (1 - a) * (a - y), "the sigmoid's a (1 - a) on a tanh layer"),
        (lambda z, a, y, act: act.prime(a) * (a - y), "at the weighted input"),
        (lambda z, a, y, act: act(z) * (a - y), "activation is an Activation object"),
        (lambda z, a, y, act: act.prime(z) @ (a - y), "Hadamard product"),
    ],
    "tanh_cross_entropy_delta": [
        (lambda z, t: (1 - np.tanh(z) ** 2) * (np.tanh(z) - t), "keeps the factor tanh'"),
        (lambda z, t: (np.tanh(z) - t) / 2, "half the right one"),
        (lambda z, t: t - np.tanh(z), "opposite sign"),
    ],
    "hidden_delta": [
        (lambda z, W, d, act: act.prime(z) * (W @ d), "W is not transposed"),
        (lambda z, W, d, act: act.prime(z) * np.dot(W, d), "W is not transposed"),
        (lambda z, W, d, act: act.prime(z) * (W.T @ d), "works for one sample, not for a batch"),
        (lambda z, W, d, act: d @ W, "did you forget sigma'"),
        (lambda z, W, d, act: act.sigma(z) * (d @ W), "sigma(z[l]) where (23) has its derivative"),
        (lambda z, W, d, act: act.sigma(z) * (1 - act.sigma(z)) * (d @ W), "the sigmoid's a (1 - a) on a tanh"),
        (lambda z, W, d, act: -act.prime(z) * (d @ W), "opposite sign"),
        (lambda z, W, d, act: act.prime(z) @ (d @ W), "Hadamard product"),
    ],
    "bias_gradient": [
        (lambda d: d.copy() if d.ndim == 1 else d.sum(axis=0), "a mean over the samples"),
        (lambda d: d.copy() if d.ndim == 1 else d.mean(axis=1), "average over the samples, axis=0"),
        (lambda d: d.copy(), "their mean over the rows"),
        (lambda d: d.mean(), "for one sample (24) is delta itself"),
        (lambda d: d if d.ndim == 1 else d.mean(axis=0), "return a new array"),
    ],
    "bias_update": [
        (lambda b, d, eta: b + eta * d, "learning rate's sign"),
        (lambda b, d, eta: b - d, "learning rate eta is missing"),
        (lambda b, d, eta: -eta * d, "add it to b"),
        (bias_update_in_place, "return a new array"),
    ],
    "weight_gradient": [
        (lambda d, a: np.outer(a, d) if d.ndim == 1 else a.T @ d / len(d), "outer product transposed"),
        (lambda d, a: np.outer(d, a) if d.ndim == 1 else d.T @ a, "divide by the number of samples"),
        (lambda d, a: np.outer(d, a) if d.ndim == 1 else np.outer(d.mean(0), a.mean(0)), "outer product of the mean"),
        (lambda d, a: d * a, "multiplies entry by entry"),
        (lambda d, a: np.dot(d, a), "the dot product"),
    ],
    "backprop": [
        (lambda net, x, y: right_backprop(net, x, y, output_activation=False), "net.output_activation"),
        (lambda net, x, y: right_backprop(net, x, y, cost=False), "this network uses cross-entropy"),
        (lambda net, x, y: right_backprop(net, x, y, a_shift=0), "a[l] where (25) has a[l-1]"),
        (lambda net, x, y: right_backprop(net, x, y, W_shift=0), "W[l] where (23) has W[l+1]"),
        (lambda net, x, y: right_backprop(net, x, y, hidden_prime=False), "lack the factor sigma'(z[l])"),
        (lambda net, x, y: tuple(g[::-1] for g in right_backprop(net, x, y)), "in layer order"),
        (lambda net, x, y: right_backprop(net, x, y)[::-1], "the weights come first"),
        (lambda net, x, y: right_backprop(net, x, y)[0], "grad_W: expected a sequence"),
        (lambda net, x, y: net.gradients(x, y)[0], "two values"),
        (lambda net, x, y: ([net.weights[l - 2] for l in range(2, net.L + 1)], []), "as the notes do"),
    ],
    "sgd_step": [
        (lambda net, x, y, eta: sgd_step(net, x, y, eta, in_place=False), "network did not change"),
        (lambda net, x, y, eta: sgd_step(net, x, y, eta, factor=-1.0), "learning rate's sign"),
        (lambda net, x, y, eta: sgd_step(net, x, y, 1.0), "leaves out the learning rate"),
        (lambda net, x, y, eta: sgd_step(net, x, y, eta, biases=False), "not the biases"),
        (lambda net, x, y, eta: sgd_step(net, x, y, eta, weights=False), "not the weights"),
    ],
}

TABLE = [(name, wrong, words) for name, rows in WRONG.items() for wrong, words in rows]


@pytest.mark.parametrize("name", RIGHT)
def test_a_right_answer_passes_and_a_stub_is_named(name):
    checker, right = RIGHT[name]
    ok = checker(right)
    assert ok.passed and bool(ok) and ok.status == "passed", repr(ok)
    assert repr(ok).startswith(f"{name}: PASSED")
    todo = checker(stub)
    assert todo.status == "not implemented" and "NOT IMPLEMENTED YET" in repr(todo)


def test_dicts_keyed_by_layer_are_accepted():
    assert checks.check_backprop(backprop_in_dicts).passed


@pytest.mark.parametrize("name,wrong,words", TABLE, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(TABLE)])
def test_each_mistake_is_named(name, wrong, words):
    checker, _ = RIGHT[name]
    result = checker(wrong)
    assert result.status == "failed", repr(result)
    assert words in result.message, result.message
    assert "\n" not in result.message and "Traceback" not in result.message


def test_every_exercise_has_mistakes_in_the_table():
    assert set(WRONG) == set(RIGHT)
    assert all(len(rows) >= 2 for rows in WRONG.values())


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None, True, np.float64(2.0)])
@pytest.mark.parametrize("name", RIGHT)
def test_a_bad_seed_is_named_not_raised(name, seed):
    checker, right = RIGHT[name]
    result = checker(right, seed=seed)
    assert result.status == "cannot run" and not result
    assert "seed must be an integer >= 0" in result.message and repr(seed) in result.message


@pytest.mark.parametrize("name", RIGHT)
def test_other_seeds_still_pass(name):
    checker, right = RIGHT[name]
    assert checker(right, seed=np.int64(7)).passed


def test_an_exception_is_one_line_with_the_line_number_and_a_hint():
    def my_output_delta(z_L, a_L, y, activation):
        s = activation.sigma(z_L)
        return s.nonexistent
    result = checks.check_output_delta(my_output_delta)
    assert result.status == "failed"
    assert "raised AttributeError" in result.message and "line 3 of my_output_delta" in result.message
    assert "\n" not in result.message


def test_a_transposed_W_is_diagnosed_not_shown_as_a_matmul_error():
    result = checks.check_hidden_delta(lambda z, W, d, act: act.prime(z) * (W @ d))
    assert "W is not transposed" in result.message
    assert "gufunc" not in result.message and "matmul" not in result.message


def test_the_batch_hint_only_where_it_applies():
    # a batch failure of bias_gradient has nothing to do with W: no "delta @ W" hint
    result = checks.check_bias_gradient(lambda d: d.copy() if d.ndim == 1 else d[0])
    assert result.status == "failed" and "a batch" in result.message
    assert "@ W" not in result.message
    # the column formula on a batch of rows gets the hint
    result = checks.check_hidden_delta(lambda z, W, d, act: act.prime(z) * (W.T @ d))
    assert "delta_next @ W_next" in result.message


def test_check_backprop_exercises_the_output_activation_and_the_cost():
    described = checks.training._networks(0)
    assert any("linear output" in where for where, *_ in described)
    assert any("cross-entropy" in where for where, *_ in described)


def test_the_student_cannot_corrupt_the_reference_inputs():
    def vandal(z, a, y, act):
        out = act.prime(z) * (a - y)
        z[...] = 0.0
        a[...] = 0.0
        return out
    assert checks.check_output_delta(vandal).passed


def test_not_a_function():
    result = checks.check_output_delta(np.zeros(3))
    assert result.status == "failed" and "expected your function" in result.message


# ----- paper exercises: numbers, never the expected value -------------------------------
PAPER = [
    (checks.check_parameter_count, (23_860, 47_720), [((23_820, 47_640), "weights only"),
                                                      ((23_860, 23_860), "needs two")]),
    (checks.check_largest_output_delta, (4 / 27, np.log(2)), [((0.25, 0.0), "largest sigma'(z)"),
                                                               ((1 / 8, 0.7), "delta at z = 0"),
                                                               ((0.15, 0.69), "three significant digits")]),
    (checks.check_tiny_network, (0, 0.5, 0, 0.5, -1 / 8, -1 / 8), [((0, 0.5, 0, 0.5, 1 / 8, 1 / 8), "a - y"),
                                                                   ((0, 0.5, 0, 0.5, -1 / 2, -1 / 8), "sigma'(z[3])"),
                                                                   ((0, 0.5, 0, 0.5, -1 / 8, -1 / 32), "w[3] is missing")]),
    (checks.check_halving_norm, 2.0, [(4.0, "does not halve"), (0.125, "solve")]),
    (checks.check_plateau, (0.16, 0.8, 0.2), [((0.25, 0.5, 0.5), "balanced plateau"), ((0.32, 0.8, 0.2), "1/2")]),
]


@pytest.mark.parametrize("checker,right,slips", PAPER, ids=[p[0].__name__ for p in PAPER])
def test_paper_exercises(checker, right, slips):
    assert checker(lambda: right).passed
    assert checker(stub).status == "not implemented"
    for answer, words in slips:
        result = checker(lambda: answer)
        assert result.status == "failed" and words in result.message, result.message
        truth = right if isinstance(right, tuple) else (right,)
        for value in truth:  # the expected numbers are never printed
            if not any(np.isclose(value, v) for v in np.atleast_1d(answer)):
                for text in {f"{value:.4g}", f"{value:,.0f}", f"{value:.3f}"} - {"0", "1", "2", "-0"}:
                    assert not re.search(rf"(?<![\d.]){re.escape(text)}(?![\d])", result.message), (text, result.message)


def test_a_paper_answer_with_an_undefined_name_is_one_line():
    def my_answer():
        return delta_max, z_max  # noqa: F821  (names the student has not defined yet)
    result = checks.check_largest_output_delta(my_answer)
    assert result.status == "failed" and "NameError" in result.message and "\n" not in result.message


def test_complex_and_missing_numbers_are_reported():
    assert "complex" in checks.check_halving_norm(lambda: 2 + 1j).message
    assert "not a number yet" in checks.check_halving_norm(lambda: ...).message


# ----- the library's code, revealed only after a pass -----------------------------------
def test_reveal_shows_the_code_only_after_a_pass():
    passed = checks.check_output_delta(lambda z, a, y, act: act.prime(z) * (a - y))
    failed = checks.check_output_delta(stub)
    assert "def output_delta" in repr(checks.reveal(passed, output_delta))
    hidden = repr(checks.reveal(failed, output_delta))
    assert "def output_delta" not in hidden and "once your answer passes" in hidden


def test_source_of_leaves_out_the_docstring():
    text = source_of(weight_gradient)
    assert text.startswith("def weight_gradient(delta, a_prev):") and "Parameters" not in text
    assert "np.outer(delta, a_prev)" in text
    assert "Parameters" in source_of(hidden_delta, docstring=True)
    assert ACTIVATIONS  # the activations the checks use exist
    assert Network  # and the network class


WEIRD_ANSWERS = [lambda *a: "abc", lambda *a: [1, 2, 3], lambda *a: {"x": 1}, lambda *a: (x for x in range(3)),
                 lambda *a: np.full(3, np.nan), lambda *a: object(), lambda *a: None, lambda *a: (None, None),
                 lambda *a: ({2: 1}, {9: 2}), lambda *a: 1j, lambda *a: 1 / 0, lambda *a: np.zeros((300, 300)),
                 lambda *a: [[1, 2], [3]], lambda *a: ([], [])]
CHECKERS = [getattr(checks, n) for n in checks.__all__ if n.startswith("check_") and n != "check_numbers"]


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: c.__name__)
def test_no_answer_makes_a_check_raise(checker):
    for answer in WEIRD_ANSWERS:
        result = checker(answer)
        assert result.status == "failed", repr(result)  # the student's answer, not the check, is wrong
        assert "\n" not in result.message and len(result.message) < 600


SEEDED = [getattr(checks, n) for n in checks.__all__
          if n.startswith("check_") and "seed" in inspect.signature(getattr(checks, n)).parameters]


@pytest.mark.parametrize("checker", SEEDED, ids=lambda c: c.__name__)
def test_every_seeded_checker_names_a_bad_seed_rather_than_raising(checker):
    """Notebooks 06 and 07's checkers too: the seed is checked before any input is drawn."""
    assert len(SEEDED) >= 16
    for seed in (-1, 1.5, "0", None, True):
        result = checker(stub, seed=seed)
        assert result.status == "cannot run" and "seed must be an integer >= 0" in result.message
    assert checker(stub, seed=3).status == "not implemented"
