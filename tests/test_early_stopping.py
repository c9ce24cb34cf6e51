"""Early stopping: the validation cost recorded, the run stopped after `patience`, the best parameters back."""
import re

import numpy as np
import pytest

from backproplab import Network, load_dataset, make_dataset


@pytest.fixture(scope="module")
def overfitting():
    """A wide network on 40 noisy points: the validation cost falls, then rises (best at 1000)."""
    X, Y = make_dataset("moons", n=40, noise=0.15, seed=1)
    X_val, Y_val = make_dataset("moons", n=200, noise=0.15, seed=2)
    return X, Y, X_val, Y_val


SETTINGS = dict(learning_rate=0.2, iterations=20_000, batch_size=8, record_every=500)


def snapshot(net):
    return [p.copy() for p in [*net.weights, *net.biases]]


def train_watching(net, X, Y, **kwargs):
    """Train, keeping the parameters and the validation cost seen at every recording."""
    X_val, Y_val = kwargs["validation"]
    seen = {}

    def watch(iteration, cost):
        seen[iteration] = (snapshot(net), net.cost(X_val, Y_val), cost)

    return net.train(X, Y, callback=watch, **kwargs), seen


def test_validation_cost_is_recorded_at_every_recording(overfitting):
    X, Y, X_val, Y_val = overfitting
    net = Network([2, 30, 30, 2], activation="tanh", seed=0)
    history, seen = train_watching(net, X, Y, validation=(X_val, Y_val), **SETTINGS)
    assert history.validation_cost.shape == history.iterations.shape == history.cost.shape == (41,)
    assert list(history.iterations) == sorted(seen)
    np.testing.assert_array_equal(history.validation_cost, [seen[it][1] for it in history.iterations])
    # without patience nothing stops and nothing is restored; best_iteration still says where the minimum was
    assert history.stopped_at is None and history.patience is None
    assert history.best_iteration == history.iterations[np.argmin(history.validation_cost)] == 1000
    for p, q in zip(snapshot(net), seen[20_000][0]):
        np.testing.assert_array_equal(p, q)
    # the curves part: training cost keeps falling while the validation cost rises from its minimum
    assert history.cost[-1] < 0.1 * history.cost[2] and history.validation_cost[-1] > 1.4 * history.validation_cost[2]


def test_patience_stops_the_run_and_restores_the_best_parameters(overfitting):
    X, Y, X_val, Y_val = overfitting
    net = Network([2, 30, 30, 2], activation="tanh", seed=0)
    history, seen = train_watching(net, X, Y, validation=(X_val, Y_val), patience=3, **SETTINGS)
    assert history.best_iteration == 1000
    assert history.stopped_at == 2500 == history.iterations[-1]  # 3 recordings (1500, 2000, 2500) without a new best
    assert list(history.iterations) == [0, 500, 1000, 1500, 2000, 2500]
    assert np.all(history.validation_cost[3:] >= history.validation_cost[2])
    for p, q in zip(snapshot(net), seen[1000][0]):
        np.testing.assert_array_equal(p, q)
    assert net.cost(X_val, Y_val) == history.validation_cost.min()
    # the same run without early stopping had the same first recordings
    full = Network([2, 30, 30, 2], activation="tanh", seed=0).train(X, Y, validation=(X_val, Y_val), **SETTINGS)
    np.testing.assert_array_equal(full.validation_cost[:6], history.validation_cost)


def test_patience_that_never_runs_out_still_ends_at_the_best_parameters():
    X, Y = load_dataset("higham")
    net = Network([2, 2, 3, 2], seed=5)
    history, seen = train_watching(net, X, Y, learning_rate=1.0, iterations=3000, seed=0, record_every=100,
                                   validation=(X, Y[:, ::-1]), patience=100)  # labels swapped: learning hurts
    assert history.stopped_at is None and history.iterations[-1] == 3000
    best = history.best_iteration
    assert history.validation_cost.min() == seen[best][1] < history.validation_cost[-1]
    for p, q in zip(snapshot(net), seen[best][0]):
        np.testing.assert_array_equal(p, q)


def test_early_stopping_is_deterministic(overfitting):
    X, Y, X_val, Y_val = overfitting
    a, b = (Network([2, 30, 30, 2], activation="tanh", seed=0).train(X, Y, validation=(X_val, Y_val), patience=2,
                                                                    seed=4, **SETTINGS) for _ in range(2))
    np.testing.assert_array_equal(a.validation_cost, b.validation_cost)
    assert (a.best_iteration, a.stopped_at) == (b.best_iteration, b.stopped_at)


@pytest.mark.parametrize("kwargs,message", [
    ({"patience": 3}, "patience=3 needs a validation set to watch: pass validation=(X_val, Y_val)"),
    ({"validation": np.zeros((4, 2)), "patience": 2}, "validation must be a pair (X_val, Y_val) of arrays, got ndarray"),
    ({"validation": (np.zeros((4, 2)),)}, "validation must be a pair (X_val, Y_val) of arrays, got tuple of length 1"),
    ({"validation": (np.zeros((4, 3)), np.zeros((4, 2)))}, "X_val has shape (4, 3); expected shape (2,) for one sample"),
    ({"validation": (np.zeros((4, 2)), np.zeros((5, 2)))}, "Y_val has shape (5, 2) but X_val has shape (4, 2)"),
    ({"validation": (np.zeros((4, 2)), np.full((4, 2), np.nan))}, "Y_val contains NaN or infinite values"),
    ({"validation": (np.zeros((4, 2)), np.zeros((4, 2))), "patience": 0}, "patience must be an integer >= 1, got 0"),
    ({"validation": (np.zeros((4, 2)), np.zeros((4, 2))), "patience": 2.5}, "patience must be an integer >= 1, got 2.5"),
    ({"validation": (np.zeros((4, 2)), np.zeros((4, 2))), "patience": True}, "patience must be an integer >= 1, got True"),
])
def test_bad_early_stopping_arguments(kwargs, message):
    X, Y = load_dataset("higham")
    net = Network([2, 3, 2], seed=0)
    before = snapshot(net)
    with pytest.raises(ValueError, match=re.escape(message)):
        net.train(X, Y, iterations=5, **kwargs)
    for p, q in zip(snapshot(net), before):
        np.testing.assert_array_equal(p, q)


def test_a_validation_set_whose_cost_overflows_is_named():
    X, Y = load_dataset("higham")
    net = Network([2, 3, 2], activation="relu", output_activation="linear", seed=0)
    before = snapshot(net)
    with pytest.raises(ValueError, match=r"the cost on the validation set is inf, not a finite number: the inputs "
                                         r"X_val reach 9e\+199 in magnitude; scale them"):
        net.train(X, Y, iterations=5, validation=(X * 1e200, Y))
    for p, q in zip(snapshot(net), before):
        np.testing.assert_array_equal(p, q)
