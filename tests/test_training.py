"""Stochastic gradient descent on Higham & Higham's example."""
import re

import numpy as np
import pytest

from backproplab import Network, load_dataset, make_dataset, training
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


# ----- the fast step: the readable step's arithmetic in fewer numpy calls --------------------
SETTINGS = [(hidden, output, cost) for hidden in ("sigmoid", "tanh", "relu", "linear")
            for output, cost in (("sigmoid", "quadratic"), ("linear", "quadratic"), ("tanh", "quadratic"),
                                 ("relu", "quadratic"), ("sigmoid", "cross_entropy"))]


def run(fast, monkeypatch, sizes, hidden, output, cost, **options):
    monkeypatch.setattr(training, "FAST_STEP", fast)
    X, Y = make_dataset("moons", n=40, noise=0.1, seed=1)
    net = Network(sizes, activation=hidden, output_activation=output, cost=cost, seed=3)
    history = net.train(X, Y, learning_rate=0.1, iterations=200, seed=2, record_every=40, **options)
    return net, history


@pytest.mark.parametrize("hidden,output,cost", SETTINGS)
@pytest.mark.parametrize("options", [{}, {"batch_size": 4}, {"dropout": 0.3}, {"weight_decay": 0.05},
                                     {"batch_size": 3, "dropout": 0.2, "weight_decay": 0.1}])
def test_fast_step_gives_the_parameters_of_the_readable_step(monkeypatch, hidden, output, cost, options):
    assert training.fast_step_applies(Network([2, 2], activation=hidden, output_activation=output, cost=cost))
    for record_cost in ("batch_mean", "full"):
        fast, fast_history = run(True, monkeypatch, [2, 5, 4, 2], hidden, output, cost, record_cost=record_cost,
                                 **options)
        readable, readable_history = run(False, monkeypatch, [2, 5, 4, 2], hidden, output, cost,
                                         record_cost=record_cost, **options)
        for p, q in zip(fast._parameters(), readable._parameters()):
            np.testing.assert_array_equal(p, q)  # the same operations in the same order: equal to the last bit
        # the batch costs are summed in another order (np.vdot): equal to rounding
        np.testing.assert_allclose(fast_history.cost, readable_history.cost, rtol=1e-13)
        assert fast_history.final_cost == readable_history.final_cost


def test_a_network_with_its_own_activation_trains_on_the_readable_step(monkeypatch):
    from backproplab.activations import Activation, tanh, tanh_prime
    own = Activation("my tanh", tanh, tanh_prime)  # no prime_of_a: the fast step does not know it
    net = Network([2, 3, 2], activation=own, seed=0)
    assert not training.fast_step_applies(net)
    X, Y = load_dataset("higham")
    reference = Network([2, 3, 2], activation="tanh", seed=0)
    monkeypatch.setattr(training, "FAST_STEP", False)
    net.train(X, Y, iterations=300, seed=1)
    reference.train(X, Y, iterations=300, seed=1)
    for p, q in zip(net._parameters(), reference._parameters()):
        np.testing.assert_array_equal(p, q)


# ----- what History records --------------------------------------------------------------
def test_full_records_the_cost_of_the_whole_training_set(higham):
    X, Y = higham
    net = Network([2, 2, 3, 2], seed=1)
    seen = []
    history = net.train(X, Y, iterations=250, record_every=100, record_cost="full",
                        callback=lambda it, cost: seen.append(net.cost(X, Y)))
    assert history.record_cost == "full"
    np.testing.assert_array_equal(history.cost, seen)  # net.cost(X, Y) at each recording
    assert history.final_cost == history.cost[-1] == net.cost(X, Y)


def test_batch_mean_records_the_mean_cost_of_the_samples_trained_on(higham):
    X, Y = higham
    net = Network([2, 2, 3, 2], seed=1)
    reference = net.copy()
    start = net.cost(X, Y)
    history = net.train(X, Y, learning_rate=0.5, iterations=25, batch_size=2, seed=11, record_every=10,
                        record_cost="batch_mean")
    assert history.record_cost == "batch_mean" and list(history.iterations) == [0, 10, 20, 25]
    # Replay: net.step returns the batch's mean cost before its step, as the step in train measures it.
    draws = np.random.default_rng(11).integers(0, 10, size=(25, 2))
    before = [reference.step(X[k], Y[k], 0.5) for k in draws]
    expected = [start, np.mean(before[:10]), np.mean(before[10:20]), np.mean(before[20:])]
    np.testing.assert_allclose(history.cost, expected, rtol=1e-13)
    assert history.cost[0] == start  # iteration 0: the full cost
    assert history.final_cost == net.cost(X, Y) != history.cost[-1]  # the end: the full cost too
    for p, q in zip(net._parameters(), reference._parameters()):
        np.testing.assert_array_equal(p, q)


def test_auto_records_the_full_cost_only_where_a_pass_over_the_data_is_small():
    higham = load_dataset("higham")
    assert Network([2, 2, 3, 2]).train(*higham, iterations=10).record_cost == "full"  # 10 x 23 multiply-adds
    # the explorer's largest network on its 100 points: 1.05 x 10^6, under FULL_COST_WORK
    X, Y = make_dataset("spirals", n=100, noise=0.03, seed=0)
    assert Network([2, 50, 50, 50, 50, 50, 2]).train(X, Y, iterations=10).record_cost == "full"
    X, Y = make_dataset("spirals", n=2000, noise=0.03, seed=0)  # 2000 x 1082 = 2.2 x 10^6
    net = Network([2, 30, 30, 2])
    history = net.train(X, Y, iterations=10)
    assert history.record_cost == "batch_mean" and training.FULL_COST_WORK == 2 * 10**6
    assert history.final_cost == net.cost(X, Y)


@pytest.mark.parametrize("value", ["exact", None, 1, "Full"])
def test_bad_record_cost(higham, value):
    with pytest.raises(ValueError, match=re.escape(f"record_cost must be one of 'auto', 'batch_mean', 'full'; "
                                                   f"got {value!r}")):
        Network([2, 3, 2]).train(*higham, iterations=5, record_cost=value)


def test_a_cross_entropy_step_skips_its_batch_cost_only_when_no_batch_mean_is_recorded():
    """record_cost="full" needs no batch costs: the fast step skips them, and trains the same."""
    X, Y = make_dataset("moons", 40, 0.1, seed=1)
    runs = {}
    for record in ("full", "batch_mean"):
        net = Network([2, 8, 2], activation="tanh", output_activation="sigmoid", cost="cross_entropy", seed=2)
        history = net.train(X, Y, learning_rate=0.5, iterations=300, batch_size=5, seed=3, record_cost=record)
        runs[record] = (net, history)
    for W, V in zip(runs["full"][0].weights, runs["batch_mean"][0].weights):
        np.testing.assert_array_equal(W, V)
    assert runs["full"][1].final_cost == runs["batch_mean"][1].final_cost
    assert np.all(runs["batch_mean"][1].cost > 0)  # the batch means were computed where recorded
    # a step whose z[L] is not finite is still caught when its cost is skipped
    wild = Network([2, 8, 2], activation="relu", output_activation="sigmoid", cost="cross_entropy", seed=2)
    with pytest.raises(training.TrainingDiverged) as caught:
        wild.train(X, Y, learning_rate=1e300, iterations=50, batch_size=5, seed=3, record_cost="full")
    assert caught.value.iteration == 2 and caught.value.cause == "learning_rate"  # found at the step itself
