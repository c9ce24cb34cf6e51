"""Every exercise checker: a right answer passes, a wrong one fails usefully, a stub is named."""
import numpy as np
import pytest

from backproplab import checks
from backproplab.lemma import bias_gradient, hidden_delta, output_delta, weight_gradient


def stub(*args):
    raise NotImplementedError


def right_backprop(net, x, y):
    trace, L = net.forward(x), net.L
    delta = output_delta(trace.z[L], trace.a[L], y, net.output_activation)
    grad_W, grad_b = {}, {}
    for l in range(L, 1, -1):
        grad_b[l], grad_W[l] = bias_gradient(delta), weight_gradient(delta, trace.a[l - 1])
        if l > 2:
            delta = hidden_delta(trace.z[l - 1], net.weights[l], delta, net.activation)
    return [grad_W[l] for l in range(2, L + 1)], [grad_b[l] for l in range(2, L + 1)]


def right_sgd_step(net, x, y, eta):
    grad_W, grad_b = right_backprop(net, x, y)
    for W, b, gW, gb in zip(net.weights, net.biases, grad_W, grad_b):
        W -= eta * gW
        b -= eta * gb


def sgd_step_forgetting_biases(net, x, y, eta):
    grad_W, _ = right_backprop(net, x, y)
    for W, gW in zip(net.weights, grad_W):
        W -= eta * gW


# (checker, a right answer written independently, a plausible mistake, what the failure says)
CASES = [
    (checks.check_sigmoid_prime,
     lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
     lambda z: 1 / (1 + np.exp(-z)),
     "sigmoid_prime: FAILED on z = 0.0: expected 0.25, got 0.5"),
    (checks.check_tanh_prime, lambda z: 1 / np.cosh(z) ** 2, lambda z: 1 - np.tanh(z),
     "tanh_prime: FAILED on z of shape (5,)"),
    (checks.check_central_difference,
     lambda f, x, eps: (f(x + eps) - f(x - eps)) / (2 * eps),
     lambda f, x, eps: (f(x + eps) - f(x)) / eps,
     "central_difference: FAILED on f = sin"),
    (checks.check_output_delta,
     lambda z, a, y, act: act.prime(z) * (a - y),
     lambda z, a, y, act: act.prime(z) * (y - a),
     "output_delta: FAILED on sigmoid, one sample, layer width 1: expected"),
    (checks.check_hidden_delta,
     lambda z, W, d, act: act.prime(z) * np.einsum("kj,...k->...j", W, d),
     lambda z, W, d, act: np.einsum("kj,...k->...j", W, d),
     "hidden_delta: FAILED on sigmoid, one sample, layer width 1: expected"),
    (checks.check_bias_gradient,
     lambda d: d if d.ndim == 1 else d.mean(axis=0),
     lambda d: d if d.ndim == 1 else d.sum(axis=0),
     "bias_gradient: FAILED on a batch of 4, width 3: expected"),
    (checks.check_bias_update, lambda b, d, eta: b - eta * d, lambda b, d, eta: b + eta * d,
     "bias_update: FAILED on width 1, learning rate 0.1: expected"),
    (checks.check_weight_gradient,
     lambda d, a: np.outer(d, a) if d.ndim == 1 else np.einsum("nj,nk->jk", d, a) / len(d),
     lambda d, a: np.outer(a, d) if d.ndim == 1 else np.einsum("nj,nk->kj", d, a) / len(d),
     "weight_gradient: FAILED on one sample, n_l = 3, n_(l-1) = 2: expected shape (3, 2), got shape (2, 3)"),
    (checks.check_backprop, right_backprop,
     lambda net, x, y: tuple(reversed(right_backprop(net, x, y))),
     "backprop: FAILED on a sigmoid network [2, 3, 2], one sample: item 0: item 0: expected shape (3, 2)"),
    (checks.check_sgd_step, right_sgd_step, sgd_step_forgetting_biases,
     "sgd_step: FAILED on a sigmoid network [2, 3, 2], one sample: item 2: expected"),
]


@pytest.mark.parametrize("checker,right,wrong,message", CASES, ids=[c[0].__name__ for c in CASES])
def test_checker(checker, right, wrong, message):
    ok = checker(right)
    assert ok.passed and bool(ok) and ok.status == "passed"
    assert repr(ok).endswith("random inputs") and "PASSED" in repr(ok)

    bad = checker(wrong)
    assert not bad.passed and bad.status == "failed"
    assert repr(bad).startswith(message), repr(bad)

    todo = checker(stub)
    assert todo.status == "not implemented" and "NOT IMPLEMENTED YET" in repr(todo)


def test_a_student_exception_is_reported_not_raised():
    result = checks.check_output_delta(lambda z, a, y, act: z.nonexistent)
    assert result.status == "failed"
    assert "raised AttributeError" in result.message


def test_a_batch_failure_explains_rows_are_samples():
    column_form = lambda z, W, d, act: act.prime(z) * (W.T @ d)  # right for one sample only
    result = checks.check_hidden_delta(column_form)
    assert result.status == "failed" and "a batch" in result.message
    assert "delta @ W for rows" in result.message


def test_the_student_cannot_corrupt_the_reference_inputs():
    def vandal(z, a, y, act):
        out = act.prime(z) * (a - y)
        z[...] = 0.0
        a[...] = 0.0
        return out
    assert checks.check_output_delta(vandal).passed
