"""Backpropagation against central finite differences, and against a gradient by hand."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from backproplab import Network, gradient_check, numerical_gradients, relative_error
from backproplab.activations import ACTIVATIONS
from backproplab.lemma import bias_gradient, hidden_delta, output_delta, weight_gradient

EPS = 1e-6


def make_case(sizes, activation, cost, n_samples, seed):
    """A network, inputs X (n, n_0) and targets Y (n, n_L); single sample when n_samples is None."""
    rng = np.random.default_rng(seed)
    output = "sigmoid" if cost == "cross_entropy" else None
    net = Network(sizes, activation=activation, cost=cost, output_activation=output, seed=seed)
    shape = (sizes[0],) if n_samples is None else (n_samples, sizes[0])
    X = rng.uniform(-1, 1, shape)
    Y = rng.uniform(0, 1, shape[:-1] + (sizes[-1],))
    return net, X, Y


@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    activation=st.sampled_from(["sigmoid", "tanh"]),
    cost=st.sampled_from(["quadratic", "cross_entropy"]),
    n_samples=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_gradients_match_central_differences(sizes, activation, cost, n_samples, seed):
    net, X, Y = make_case(sizes, activation, cost, n_samples, seed)
    grad_W, grad_b = net.gradients(X, Y)
    num_W, num_b = numerical_gradients(net, X, Y, EPS)
    assert [g.shape for g in grad_W] == [W.shape for W in net.weights]
    assert [g.shape for g in grad_b] == [b.shape for b in net.biases]
    assert relative_error([*grad_W, *grad_b], [*num_W, *num_b]) < 1e-6


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
@pytest.mark.parametrize("sizes,n_samples", [([2, 2, 3, 2], None), ([3, 5, 1], 4), ([1, 4, 4, 4, 3], 7)])
def test_gradient_check_every_activation_cost_and_shape(activation, cost, sizes, n_samples):
    net, X, Y = make_case(sizes, activation, cost, n_samples, seed=3)
    assert gradient_check(net, X, Y) < 1e-6


def test_numerical_gradients_restore_the_parameters():
    net, X, Y = make_case([2, 3, 2], "sigmoid", "quadratic", 5, seed=1)
    before = [p.copy() for p in [*net.weights, *net.biases]]
    numerical_gradients(net, X, Y)
    for p, q in zip([*net.weights, *net.biases], before):
        np.testing.assert_array_equal(p, q)


def test_relative_error_is_scale_free_and_zero_for_equal_inputs():
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, a * (1 + 1e-3)) == pytest.approx(1e-3 / (1 + 1e-3), rel=1e-9)
    assert relative_error(1e-9 * a, 1e-9 * a * (1 + 1e-3)) == pytest.approx(1e-3 / (1 + 1e-3), rel=1e-9)


# ----- each equation on its own, against finite differences -----------------------------
def cost_from_layer(net, l, z_l, y):
    """The cost when layer l's weighted input is z_l: run the rest of the network forward.

    Written out here (not the library's forward pass), so the checks below are independent.
    """
    sigmas = [net.activation] * (len(net.sizes) - 2) + [net.output_activation]  # layers 2..L
    a = sigmas[l - 2].sigma(z_l)
    for W, b, sigma in zip(net.weights[l + 1:], net.biases[l + 1:], sigmas[l - 1:]):
        a = sigma.sigma(W @ a + b)
    return float(net.cost_function.value(a, y))


def deltas_by_differences(net, x, y):
    """delta[l]_j = dC/dz[l]_j (21) for every layer l = 2..L, by central differences (a dict)."""
    trace = net.forward(x)
    deltas = {}
    for l in range(2, len(net.sizes) + 1):
        z = trace.z[l]
        d = np.zeros_like(z)
        for j in range(z.size):
            e = np.zeros_like(z)
            e[j] = EPS
            d[j] = (cost_from_layer(net, l, z + e, y) - cost_from_layer(net, l, z - e, y)) / (2 * EPS)
        deltas[l] = d
    return trace, deltas


CASES = [([2, 2, 3, 2], "sigmoid", "quadratic"), ([3, 4, 2], "tanh", "quadratic"),
         ([2, 5, 3, 4], "sigmoid", "cross_entropy"), ([1, 3, 3, 1], "tanh", "cross_entropy")]


@pytest.mark.parametrize("sizes,activation,cost", CASES)
def test_output_delta_is_dC_dz_of_the_output_layer(sizes, activation, cost):
    net, x, y = make_case(sizes, activation, cost, None, seed=7)
    trace, fd = deltas_by_differences(net, x, y)
    L = len(sizes)
    delta_L = output_delta(trace.z[L], trace.a[L], y, net.output_activation, net.cost_function)  # (22)
    assert relative_error(delta_L, fd[L]) < 1e-7


@pytest.mark.parametrize("sizes,activation,cost", CASES)
def test_hidden_delta_is_dC_dz_of_every_hidden_layer(sizes, activation, cost):
    net, x, y = make_case(sizes, activation, cost, None, seed=8)
    trace, fd = deltas_by_differences(net, x, y)
    L = len(sizes)
    for l in range(2, L):
        # (23) from the finite-difference delta of the next layer: tests this equation alone
        delta_l = hidden_delta(trace.z[l], net.weights[l + 1], fd[l + 1], net.activation)
        assert relative_error(delta_l, fd[l]) < 1e-6, f"layer {l}"


@pytest.mark.parametrize("sizes,activation,cost", CASES)
def test_bias_and_weight_gradients_match_differences_in_b_and_W(sizes, activation, cost):
    net, x, y = make_case(sizes, activation, cost, None, seed=9)
    trace, fd_delta = deltas_by_differences(net, x, y)
    num_W, num_b = numerical_gradients(net, x, y, EPS)
    for l in range(2, len(sizes) + 1):
        assert relative_error(bias_gradient(fd_delta[l]), num_b[l]) < 1e-6  # (24)
        assert relative_error(weight_gradient(fd_delta[l], trace.a[l - 1]), num_W[l]) < 1e-6  # (25)


def test_batch_gradients_are_the_mean_of_per_sample_gradients():
    net, X, Y = make_case([3, 4, 2], "tanh", "quadratic", 6, seed=2)
    grad_W, grad_b = net.gradients(X, Y)
    per_sample = [net.gradients(x, y) for x, y in zip(X, Y)]
    for l in grad_W.layers:
        np.testing.assert_allclose(grad_W[l], np.mean([g[0][l] for g in per_sample], axis=0), rtol=1e-12)
        np.testing.assert_allclose(grad_b[l], np.mean([g[1][l] for g in per_sample], axis=0), rtol=1e-12)


# ----- a 2-2-1 network by hand ---------------------------------------------------------
def test_hand_computed_gradient_of_a_2_2_1_sigmoid_network():
    # Weights chosen so that every weighted input is 0: sigma(0) = 1/2 and sigma'(0) = 1/4.
    W1, b1 = [[1.0, -1.0], [2.0, -2.0]], [0.0, 0.0]
    W2, b2 = [[1.0, -1.0]], [0.0]
    net = Network.from_parameters([W1, W2], [b1, b2], activation="sigmoid")
    x, y = np.array([1.0, 1.0]), np.array([1.0])
    # forward: z1 = W1 x + b1 = (0, 0), a1 = (1/2, 1/2); z2 = 1/2 - 1/2 = 0, a2 = 1/2
    # cost (18): C = 1/2 (1/2 - 1)^2 = 1/8
    assert net.cost(x, y) == 0.125
    # (22) delta2 = sigma'(0) (a2 - y) = 1/4 * (-1/2) = -1/8
    # (23) delta1 = sigma'(z1) o W2^T delta2 = 1/4 * (1, -1) * (-1/8) = (-1/32, 1/32)
    # (24) dC/db = delta; (25) dC/dW2 = delta2 a1^T = -1/8 (1/2, 1/2), dC/dW1 = delta1 x^T
    grad_W, grad_b = net.gradients(x, y)
    np.testing.assert_array_equal(grad_b[3], [-1 / 8])
    np.testing.assert_array_equal(grad_W[3], [[-1 / 16, -1 / 16]])
    np.testing.assert_array_equal(grad_b[2], [-1 / 32, 1 / 32])
    np.testing.assert_array_equal(grad_W[2], [[-1 / 32, -1 / 32], [1 / 32, 1 / 32]])


def test_hand_computed_gradient_of_a_2_2_1_tanh_network_with_linear_output():
    # tanh(0) = 0 and tanh'(0) = 1; a linear output gives delta[L] = a - y (Steinitz 2013).
    net = Network.from_parameters([[[1.0, -1.0], [0.0, 0.0]], [[2.0, 3.0]]], [[0.0, 0.5], [1.0]],
                                  activation="tanh", output_activation="linear")
    x, y = np.array([2.0, 2.0]), np.array([0.0])
    # z1 = (0, 0.5); a1 = (0, tanh 0.5); output a2 = 2*0 + 3 tanh(0.5) + 1
    t = np.tanh(0.5)
    a2 = 3 * t + 1
    delta2 = a2 - y[0]                                      # (22), linear output
    delta1 = np.array([1.0 * 2.0, (1 - t**2) * 3.0]) * delta2  # (23): sigma'(z1) o W2^T delta2
    grad_W, grad_b = net.gradients(x, y)
    np.testing.assert_allclose(grad_b[3], [delta2], rtol=1e-15)
    np.testing.assert_allclose(grad_W[3], [[0.0, delta2 * t]], rtol=1e-15)
    np.testing.assert_allclose(grad_b[2], delta1, rtol=1e-15)
    np.testing.assert_allclose(grad_W[2], np.outer(delta1, x), rtol=1e-15)


def test_sigmoid_output_with_cross_entropy_gives_delta_a_minus_y():
    rng = np.random.default_rng(0)
    # all the way out to z = +-36, beyond which sigma(z) rounds to exactly 1 in float64
    z = np.concatenate([rng.normal(0, 4, (6, 3)), [[-36.0, 25.0, 36.0], [-700.0, -30.0, 30.0]]])
    a = ACTIVATIONS["sigmoid"].sigma(z)
    y = rng.uniform(0, 1, (8, 3))
    np.testing.assert_allclose(output_delta(z, a, y, "sigmoid", "cross_entropy"), a - y, rtol=1e-9, atol=1e-12)
    # with the quadratic cost the sigma'(z) factor stays: smaller wherever the unit saturates
    quad = output_delta(z, a, y, "sigmoid", "quadratic")
    assert np.all(np.abs(quad) <= np.abs(a - y) / 4 + 1e-15)


def test_forward_passes_counted_by_wrapping_net_forward_as_notebook_00_does():
    # Central differences take two forward passes per parameter, backpropagation one
    # (with a backward pass); notebook 00 counts them by wrapping net._forward(X) in a spy.
    net, X, Y = make_case([2, 2, 3, 2], "sigmoid", "quadratic", 10, seed=0)
    calls = []
    original = net._forward
    net._forward = lambda X: calls.append(1) or original(X)
    try:
        for weight_decay in (0.0, 0.1):
            calls.clear()
            numerical_gradients(net, X, Y, weight_decay=weight_decay)
            assert len(calls) == 2 * 23
            calls.clear()
            net.gradients(X, Y, weight_decay=weight_decay)
            assert len(calls) == 1
    finally:
        del net._forward
