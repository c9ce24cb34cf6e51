"""The public API of Network, the activations, the costs and the data sets."""
import warnings

import numpy as np
import pytest

from backproplab import ACTIVATIONS, COSTS, Network, load_dataset, make_dataset
from backproplab.activations import sigmoid, sigmoid_prime


def test_shapes_follow_the_math():
    net = Network([2, 2, 3, 2], seed=0)
    assert net.sizes == (2, 2, 3, 2)
    assert [W.shape for W in net.weights] == [(2, 2), (3, 2), (2, 3)]
    assert [b.shape for b in net.biases] == [(2,), (3,), (2,)]
    one = net.forward(np.array([0.1, 0.2]))
    assert [a.shape for a in one.a] == [(2,), (2,), (3,), (2,)] and list(one.a.layers) == [1, 2, 3, 4]
    batch = net.forward(np.zeros((5, 2)))
    assert [z.shape for z in batch.z] == [(5, 2), (5, 3), (5, 2)] and list(batch.z.layers) == [2, 3, 4]
    np.testing.assert_array_equal(batch.a[1], np.zeros((5, 2)))  # a[1] = x (7)


def test_forward_is_equations_19_and_20_one_sample_at_a_time():
    net = Network([3, 4, 2], activation="tanh", seed=5)
    X = np.random.default_rng(0).normal(size=(6, 3))
    batch = net.forward(X)
    for i, x in enumerate(X):
        a = x
        for l, (W, b) in enumerate(zip(net.weights, net.biases), start=2):
            z = W @ a + b                      # (19), column-vector form
            a = np.tanh(z)                      # (20)
            np.testing.assert_allclose(batch.z[l][i], z, rtol=1e-12)
            np.testing.assert_allclose(batch.a[l][i], a, rtol=1e-12)
    np.testing.assert_array_equal(net.predict(X), batch.a[-1])


def test_cost_is_the_mean_of_per_sample_costs():
    net = Network([2, 3, 2], seed=1)
    X, Y = load_dataset("higham")
    per_sample = [0.5 * np.sum((net.predict(x) - y) ** 2) for x, y in zip(X, Y)]  # (18)
    assert net.cost(X, Y) == pytest.approx(np.mean(per_sample), rel=1e-12)          # (9)


def test_seed_makes_networks_reproducible_and_different_seeds_differ():
    a, b, c = Network([2, 3, 2], seed=4), Network([2, 3, 2], seed=4), Network([2, 3, 2], seed=5)
    for p, q in zip([*a.weights, *a.biases], [*b.weights, *b.biases]):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a.weights[2], c.weights[2])


def test_from_parameters_copies_and_never_aliases():
    W, b = [np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)]
    net = Network.from_parameters(W, b, activation="tanh", output_activation="linear")
    W[0][0, 0] = 99.0
    b[1][0] = 99.0
    assert net.weights[2][0, 0] == 1.0 and net.biases[3][0] == 0.0
    net.weights[2][1, 1] = -7.0
    assert W[0][1, 1] == 1.0
    assert net.activation.name == "tanh" and net.output_activation.name == "linear"
    copy = net.copy()
    copy.weights[2][0, 1] = 5.0
    assert net.weights[2][0, 1] == 1.0


def test_output_activation_defaults_to_activation():
    assert Network([2, 2], activation="tanh").output_activation.name == "tanh"
    assert Network([2, 2], activation="relu", output_activation="sigmoid").output_activation.name == "sigmoid"


def test_step_moves_every_parameter_against_the_same_gradient_and_returns_the_cost_before():
    net = Network([2, 2, 3, 2], seed=0)
    X, Y = load_dataset("higham")
    before = [p.copy() for p in [*net.weights, *net.biases]]
    cost_before = net.cost(X, Y)
    grad_W, grad_b = net.gradients(X, Y)
    assert net.step(X, Y, 0.3) == cost_before
    for p, old, g in zip([*net.weights, *net.biases], before, [*grad_W, *grad_b]):
        np.testing.assert_allclose(p, old - 0.3 * g, rtol=1e-14)
    assert net.cost(X, Y) < cost_before  # a small step downhill lowers the cost


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_derivatives_match_central_differences(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-4, 4, 81)
    z = z[np.abs(z) > 1e-3]  # relu has a kink at 0
    h = 1e-6
    np.testing.assert_allclose(act.prime(z), (act.sigma(z + h) - act.sigma(z - h)) / (2 * h), atol=1e-8)


def test_sigmoid_is_the_logistic_function_and_never_overflows():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = sigmoid(np.array([-1000.0, 1000.0]))
        np.testing.assert_array_equal(out, [0.0, 1.0])
        np.testing.assert_array_equal(sigmoid_prime(np.array([-1000.0, 1000.0])), [0.0, 0.0])
    assert sigmoid_prime(0.0) == 0.25


@pytest.mark.parametrize("name", list(COSTS))
def test_cost_gradients_match_central_differences(name):
    cost = COSTS[name]
    rng = np.random.default_rng(0)
    a, y = rng.uniform(0.05, 0.95, 4), rng.uniform(0, 1, 4)
    h = 1e-7
    numeric = [(cost.value(a + h * e, y) - cost.value(a - h * e, y)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(cost.gradient(a, y), numeric, rtol=1e-6)


def test_cross_entropy_is_finite_at_saturated_outputs():
    ce = COSTS["cross_entropy"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = ce.value(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
        grad = ce.gradient(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    assert np.isfinite(value) and value > 50
    assert np.all(np.isfinite(grad))


def test_higham_data_set():
    X, Y = load_dataset("higham")
    assert X.shape == (10, 2) and Y.shape == (10, 2)
    np.testing.assert_array_equal(X[:, 0], [0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7])
    np.testing.assert_array_equal(X[:, 1], [0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6])
    np.testing.assert_array_equal(Y, [[1, 0]] * 5 + [[0, 1]] * 5)


@pytest.mark.parametrize("name", ["xor", "circles", "moons", "spirals"])
def test_generated_data_sets_are_seeded(name):
    X, Y = make_dataset(name, n=60, noise=0.05, seed=3)
    X2, Y2 = make_dataset(name, n=60, noise=0.05, seed=3)
    X3, _ = make_dataset(name, n=60, noise=0.05, seed=4)
    assert X.shape == (60, 2) and Y.shape == (60, 2)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(X, X3)
    assert set(Y.sum(axis=1)) == {1.0}
    counts = Y.sum(axis=0)
    assert counts.min() >= 10  # both classes present in fair numbers
    assert -0.3 < X.min() and X.max() < 1.3  # about the unit square


def test_deltas_are_dC_dz_and_give_the_gradients():
    net = Network([2, 4, 3, 2], activation="tanh", seed=3)
    x, y = np.array([0.3, -0.6]), np.array([0.2, 0.9])
    deltas = net.deltas(x, y)
    trace = net.forward(x)
    assert list(deltas.layers) == [2, 3, 4] and [d.shape for d in deltas] == [(4,), (3,), (2,)]
    h = 1e-6
    for l in range(2, 5):
        n_l = net.sizes[l - 1]
        for j in range(n_l):
            # nudge z[l]_j by +-h and finish the forward pass by hand
            outs = []
            for s in (h, -h):
                a = np.tanh(trace.z[l] + s * np.eye(n_l)[j])
                for W, b in zip(net.weights[l + 1:], net.biases[l + 1:]):
                    a = np.tanh(W @ a + b)
                outs.append(0.5 * np.sum((a - y) ** 2))
            assert (outs[0] - outs[1]) / (2 * h) == pytest.approx(deltas[l][j], rel=1e-6, abs=1e-10)
    grad_W, grad_b = net.gradients(x, y)
    for l in range(2, 5):
        np.testing.assert_array_equal(grad_b[l], deltas[l])                             # (24)
        np.testing.assert_array_equal(grad_W[l], np.outer(deltas[l], trace.a[l - 1]))    # (25)


def test_layers_are_numbered_as_in_the_notes():
    """W[l], b[l], z[l], delta[l] for l = 2..L and a[l] for l = 1..L; [-1] is layer L."""
    net = Network([2, 2, 3, 2], seed=0)
    x, y = np.array([0.1, 0.2]), np.array([1.0, 0.0])
    trace, deltas = net.forward(x), net.deltas(x, y)
    grad_W, grad_b = net.gradients(x, y)
    assert net.L == 4
    for seq in (net.weights, net.biases, trace.z, deltas, grad_W, grad_b):
        assert list(seq.layers) == [2, 3, 4] and len(seq) == 3
    assert list(trace.a.layers) == [1, 2, 3, 4]
    assert net.weights[3].shape == (3, 2) and net.biases[3].shape == (3,)  # W[3] is (n_3, n_2)
    np.testing.assert_array_equal(trace.z[3], net.weights[3] @ trace.a[2] + net.biases[3])  # (19)
    assert trace.a[-1] is trace.a[4] and net.weights[-1] is net.weights[4]
    assert [W.shape for W in net.weights[3:]] == [(3, 2), (2, 3)] and net.weights[3:].first == 3
    for seq, bad in ((net.weights, 1), (net.weights, 5), (trace.a, 0), (trace.z, 1), (deltas, -4)):
        with pytest.raises(IndexError, match=r"the notes number the layers 1, \.\.\., L"):
            seq[bad]
    with pytest.raises(TypeError, match="layer number"):
        net.weights["2"]


def test_a_weight_matrix_is_replaced_only_by_one_of_its_shape():
    net = Network([2, 3, 2], seed=0)
    net.weights[2] = np.ones((3, 2))
    np.testing.assert_array_equal(net.forward(np.zeros(2)).z[2], 1.0 * 0 + net.biases[2])
    with pytest.raises(ValueError, match=r"W\[2\] has shape \(3, 2\); the new value has shape \(2, 3\)"):
        net.weights[2] = np.ones((2, 3))
    np.testing.assert_array_equal(net.weights[2], np.ones((3, 2)))
