"""A sigmoid output with cross-entropy: delta = a - y and the cost, exact for every finite z.

The references are computed with Python's ``decimal`` at 50 significant digits, from the same
float inputs, and rounded to float64 once at the end.
"""
import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest

from backproplab import Network, gradient_check, numerical_gradients, relative_error
from backproplab.activations import ACTIVATIONS, Activation, sigmoid, sigmoid_prime
from backproplab.costs import COSTS, cross_entropy_from_z, output_cost
from backproplab.lemma import output_delta
from backproplab.regularisation import dropout_mask

TINY = np.finfo(float).tiny  # below it floats are subnormal and carry fewer digits
Z = sorted({s * m for s in (-1, 1) for m in (0.0, 1e-3, 0.5, 1.0, 5.0, 20.0, 36.0, 36.8, 37.0, 40.0, 100.0, 700.0,
                                             709.0, 710.0, 745.0, 746.0, 800.0, 1e3, 5e3, 1e4)})
TARGETS = (0.0, 0.25, 0.5, 0.7, 1.0)


def exact_sigmoid(z: float) -> Decimal:
    return 1 / (1 + (-Decimal(z)).exp())


def exact_delta(z: float, y: float) -> Decimal:
    """sigma(z) - y, as (1 - y) sigma(z) - y sigma(-z) (1 - sigma(z) = sigma(-z)): at 50 digits,
    sigma(100) - 1 = -3.7e-44 would keep only 6 of them."""
    return (1 - Decimal(y)) * exact_sigmoid(z) - Decimal(y) * exact_sigmoid(-z)


def log1p(x: Decimal) -> Decimal:
    """log(1 + x), keeping the digits of a tiny x (which 1 + x at 50 digits would drop)."""
    return x - x * x / 2 + x * x * x / 3 if x < Decimal("1e-20") else (1 + x).ln()


def exact_cost(z: float, y: float) -> Decimal:
    """-y log sigma(z) - (1 - y) log(1 - sigma(z)) = y log(1 + e^-z) + (1 - y) log(1 + e^z)."""
    z, y = Decimal(z), Decimal(y)
    return y * log1p((-z).exp()) + (1 - y) * log1p(z.exp())


def assert_close(got, exact: Decimal, rtol=1e-12):
    """``got`` is the float nearest ``exact`` to ``rtol``, or within TINY where floats are subnormal."""
    want = float(exact)
    assert abs(got - want) <= rtol * abs(want) + TINY, (got, want)


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_the_issue_example_gives_the_true_gradient_1():
    net = Network.from_parameters([[[40.0]]], [[0.0]], activation="sigmoid", cost="cross_entropy")
    grad_W, grad_b = net.gradients([[1.0]], [[0.0]])
    assert grad_W[2][0, 0] == 1.0 and grad_b[2][0] == 1.0  # delta = a - y = sigma(40) - 0, which is 1.0
    assert net.cost([[1.0]], [[0.0]]) == 40.0  # log(1 + e^40) = 40 + 4e-18; from a = 1.0 it was 36.7368


def test_sigmoid_is_exact_for_every_finite_z():
    with localcontext() as ctx:
        ctx.prec = 50
        for z in Z:
            got = float(sigmoid(z))
            want = float(exact_sigmoid(z))
            if want >= TINY:  # within two units in the last place
                assert abs(got - want) <= 2 * np.spacing(want), (z, got, want)
            else:  # subnormal or 0: within the spacing of the subnormals' range
                assert abs(got - want) <= TINY, (z, got, want)
    np.testing.assert_array_equal(sigmoid(np.array([-1e4, -1000.0, 1000.0, 1e4])), [0.0, 0.0, 1.0, 1.0])


@pytest.mark.parametrize("y", TARGETS)
def test_output_delta_is_a_minus_y_to_1e_12_for_z_up_to_1e4(y):
    z = np.array(Z)
    a = sigmoid(z)
    delta = output_delta(z, a, np.full_like(z, y), "sigmoid", "cross_entropy")
    with localcontext() as ctx:
        ctx.prec = 50
        for z_j, delta_j in zip(Z, delta):
            assert_close(delta_j, exact_delta(z_j, y))


@pytest.mark.parametrize("y", TARGETS)
def test_cost_is_finite_and_exact_for_z_up_to_1e4(y):
    z = np.array(Z)
    costs = cross_entropy_from_z(z[:, None], np.full((len(Z), 1), y))
    assert np.all(np.isfinite(costs))
    with localcontext() as ctx:
        ctx.prec = 50
        for z_j, cost_j in zip(Z, costs):
            assert_close(cost_j, exact_cost(z_j, y))


@pytest.mark.parametrize("z,y", [(40.0, 0.0), (-40.0, 1.0), (1e4, 0.0), (-1e4, 1.0), (800.0, 0.3), (-745.5, 0.9)])
def test_the_network_gives_the_exact_cost_and_gradient_where_the_sigmoid_saturates(z, y):
    # one weight w = z/2 and input x = 2, so that z[L] = w x + b = z with b = 0
    net = Network.from_parameters([[[z / 2]]], [[0.0]], activation="sigmoid", cost="cross_entropy")
    grad_W, grad_b = net.gradients([[2.0]], [[y]])
    with localcontext() as ctx:
        ctx.prec = 50
        assert_close(grad_b[2][0], exact_delta(z, y))  # (24) dC/db = delta = a - y
        assert_close(grad_W[2][0, 0], 2 * exact_delta(z, y))  # (25) dC/dw = delta x
        assert_close(net.cost([[2.0]], [[y]]), exact_cost(z, y))
    # and a gradient step moves the weight the right way: training no longer freezes
    before = net.cost([[2.0]], [[y]])
    net.step([[2.0]], [[y]], learning_rate=1e-3)
    assert net.cost([[2.0]], [[y]]) < before


def test_training_out_of_a_saturated_start_no_longer_freezes():
    # Every output unit saturated the wrong way: sigma(z) rounds to 1 where y = 0 and to 0 where y = 1.
    X = np.array([[1.0], [-1.0]])
    Y = np.array([[0.0], [1.0]])
    net = Network.from_parameters([[[60.0]]], [[0.0]], activation="sigmoid", cost="cross_entropy")
    history = net.train(X, Y, learning_rate=0.5, iterations=400, seed=0, record_every=100)
    assert history.cost[0] == pytest.approx(60.0)  # softplus(60) = 60, not 36.7 (log of the clipped a)
    assert history.final_cost < 1e-2  # the weight went from 60 down through 0 to the other side
    assert net.weights[2][0, 0] < 0


def test_other_pairs_keep_equation_22():
    z = np.array([[-40.0, -2.0, 0.0, 3.0, 40.0]])
    y = np.full_like(z, 0.3)
    for name in ("sigmoid", "tanh", "relu", "linear"):
        sigma = ACTIVATIONS[name]
        a = sigma.sigma(z)
        np.testing.assert_array_equal(output_delta(z, a, y, name, "quadratic"), sigma.prime(z) * (a - y))
    # an activation that only calls itself "sigmoid" is not the library's: (22) as written
    own = Activation("sigmoid", sigmoid, sigmoid_prime)
    a = sigmoid(z)
    expected = sigmoid_prime(z) * COSTS["cross_entropy"].gradient(a, y)
    np.testing.assert_array_equal(output_delta(z, a, y, own, "cross_entropy"), expected)
    assert expected[0, -1] == 0.0  # the vanishing gradient the library's pair avoids
    np.testing.assert_array_equal(output_cost(z, a, y, own, COSTS["cross_entropy"]),
                                  COSTS["cross_entropy"].value(a, y))


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh"])
def test_finite_differences_agree_at_saturation_with_dropout_and_weight_decay(hidden):
    # Outputs pushed to |z| of 40 to 60, where sigma(z) rounds to 0 or 1: the cost from z has
    # slopes a - y there, which central differences see, and backpropagation gives the same.
    rng = np.random.default_rng(1)
    net = Network([3, 4, 2], activation=hidden, output_activation="sigmoid", cost="cross_entropy", seed=2)
    net.weights[3] = np.array([[80.0, -60.0, 70.0, 50.0], [-80.0, 60.0, -70.0, -50.0]])
    X = rng.uniform(-1, 1, (5, 3))
    Y = rng.uniform(0, 1, (5, 2))
    assert np.mean(np.abs(net.forward(X).z[3]) > 36.7) > 0.5  # most outputs round to 0 or 1
    mask = dropout_mask(net.sizes, 5, 0.25, np.random.default_rng(3))
    for options in ({}, {"mask": mask}, {"weight_decay": 0.1}, {"mask": mask, "weight_decay": 0.1}):
        grad_W, grad_b = net.gradients(X, Y, **options)
        num_W, num_b = numerical_gradients(net, X, Y, **options)
        assert relative_error([*grad_W, *grad_b], [*num_W, *num_b]) < 1e-6, options
        assert gradient_check(net, X, Y, **options) < 1e-6
