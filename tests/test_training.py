"""Stochastic gradient descent on Higham & Higham's example."""
import numpy as np
import pytest

from backproplab import Network, load_dataset
from backproplab.training import gradient_descent


@pytest.fixture(scope="module")
def higham():
    return load_dataset("higham")


def test_higham_network_classifies_all_ten_points(higham):
    X, Y = higham
    net = Network([2, 2, 3, 2], activation="sigmoid", seed=2)
    assert net.accuracy(X, Y) < 1.0
    history = net.train(X, Y, learning_rate=0.05, iterations=60_000, batch_size=1, seed=0, record_every=1000)
    assert net.accuracy(X, Y) == 1.0
    assert history.final_cost < 0.05 < history.cost[0]
    assert history.iterations[0] == 0 and history.iterations[-1] == 60_000
    assert len(history.cost) == 61


def test_training_is_deterministic_given_the_seeds(higham):
    X, Y = higham
    runs = []
    for _ in range(2):
        net = Network([2, 2, 3, 2], seed=1)
        runs.append((net.train(X, Y, iterations=500, seed=7, record_every=50), net))
    np.testing.assert_array_equal(runs[0][0].cost, runs[1][0].cost)
    np.testing.assert_array_equal(runs[0][1].weights[2], runs[1][1].weights[2])
    other = Network([2, 2, 3, 2], seed=1).train(X, Y, iterations=500, seed=8, record_every=50)
    assert not np.array_equal(other.cost, runs[0][0].cost)


def test_each_sgd_step_is_a_gradient_step_on_the_drawn_samples(higham):
    X, Y = higham
    net = Network([2, 2, 3, 2], seed=2)
    reference = net.copy()
    net.train(X, Y, learning_rate=0.5, iterations=5, batch_size=3, seed=11, record_every=5)
    # Replay: the same draws, with replacement, from default_rng(seed), one gradient step each.
    draws = np.random.default_rng(11).integers(0, 10, size=(5, 3))
    for k in draws:
        reference.step(X[k], Y[k], 0.5)
    for p, q in zip([*net.weights, *net.biases], [*reference.weights, *reference.biases]):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_callback_sees_every_recorded_cost(higham):
    X, Y = higham
    seen = []
    history = Network([2, 3, 2], seed=0).train(X, Y, iterations=250, record_every=100,
                                               callback=lambda it, cost: seen.append((it, cost)))
    assert [it for it, _ in seen] == [0, 100, 200, 250] == list(history.iterations)
    np.testing.assert_array_equal([c for _, c in seen], history.cost)


def test_full_batch_gradient_descent_lowers_the_cost_every_step_for_a_small_rate(higham):
    X, Y = higham
    history = gradient_descent(Network([2, 2, 3, 2], seed=0), X, Y, learning_rate=0.5, iterations=200,
                               record_every=1)
    assert np.all(np.diff(history.cost) < 0)


def test_train_accepts_a_single_sample():
    net = Network([2, 2, 1], seed=0)
    history = net.train(np.array([0.2, 0.4]), np.array([1.0]), learning_rate=1.0, iterations=300,
                        record_every=100)
    assert history.final_cost < history.cost[0]
