"""Weight decay and dropout: each a change to one equation of the lemma, checked by finite differences."""
import re

import numpy as np
import pytest

from backproplab import Network, gradient_check, load_dataset, numerical_gradients, relative_error
from backproplab.lemma import hidden_delta
from backproplab.regularisation import dropout_mask, l2_penalty

SHAPES = [([2, 2, 3, 2], 5), ([3, 5, 1], 4), ([1, 4, 4, 4, 3], 7), ([3, 4, 2], None)]
KINDS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("sigmoid", "cross_entropy"), ("tanh", "cross_entropy")]


def make_case(sizes, activation, cost, n_samples, seed):
    rng = np.random.default_rng(seed)
    output = "sigmoid" if cost == "cross_entropy" else None
    net = Network(sizes, activation=activation, cost=cost, output_activation=output, seed=seed)
    shape = (sizes[0],) if n_samples is None else (n_samples, sizes[0])
    return net, rng.uniform(-1, 1, shape), rng.uniform(0, 1, shape[:-1] + (sizes[-1],))


def snapshot(net):
    return [p.copy() for p in [*net.weights, *net.biases]]


def assert_same(params, other):
    for p, q in zip(params, other):
        np.testing.assert_array_equal(p, q)


def replay(net, X, Y, draws, eta, options=dict):
    """What train should do: a step on ``net.gradients(X[k], Y[k], **options())`` for each row ``k``."""
    for k in draws:
        grad_W, grad_b = net.gradients(X[k], Y[k], **options())
        for l in grad_W.layers:
            net.weights[l] -= eta * grad_W[l]
            net.biases[l] -= eta * grad_b[l]
    return net


# ----- weight decay ------------------------------------------------------------------------
def test_weight_decay_adds_half_lambda_times_the_squared_weights_and_not_the_biases():
    net, X, Y = make_case([2, 3, 2], "sigmoid", "quadratic", 6, seed=0)
    squares = sum(np.sum(W ** 2) for W in net.weights)  # ||W[2]||_F^2 + ||W[3]||_F^2
    assert net.cost(X, Y, weight_decay=0.4) == pytest.approx(net.cost(X, Y) + 0.2 * squares, rel=1e-14)
    assert net.cost(X, Y, weight_decay=0.0) == net.cost(X, Y)
    net.biases[2][:] = 100.0  # biases change the data cost only
    assert net.cost(X, Y, weight_decay=0.4) - net.cost(X, Y) == pytest.approx(0.2 * squares, rel=1e-12)
    assert l2_penalty(net.weights, 0.4) == pytest.approx(0.2 * squares, rel=1e-14)


@pytest.mark.parametrize("sizes,n_samples", SHAPES)
@pytest.mark.parametrize("activation,cost", KINDS)
def test_weight_decay_gradient_matches_central_differences(sizes, n_samples, activation, cost):
    net, X, Y = make_case(sizes, activation, cost, n_samples, seed=4)
    assert gradient_check(net, X, Y, weight_decay=0.3) < 1e-6


def test_weight_decay_adds_lambda_W_to_25_and_leaves_24_unchanged():
    net, X, Y = make_case([2, 4, 3, 2], "tanh", "quadratic", 5, seed=2)
    grad_W, grad_b = net.gradients(X, Y)
    decay_W, decay_b = net.gradients(X, Y, weight_decay=0.25)
    for l in grad_W.layers:
        np.testing.assert_allclose(decay_W[l], grad_W[l] + 0.25 * net.weights[l], rtol=1e-14)  # (25) + lambda W
        np.testing.assert_array_equal(decay_b[l], grad_b[l])  # (24) unchanged


def test_train_with_weight_decay_steps_on_the_decayed_gradient():
    X, Y = load_dataset("higham")
    net = Network([2, 2, 3, 2], seed=2)
    reference = net.copy()
    net.train(X, Y, learning_rate=0.5, iterations=5, batch_size=3, seed=11, record_every=5, weight_decay=0.1)
    draws = np.random.default_rng(11).integers(0, 10, size=(5, 3))
    replay(reference, X, Y, draws, 0.5, lambda: {"weight_decay": 0.1})  # W <- W - eta (delta a^T + lambda W)
    for p, q in zip(snapshot(net), snapshot(reference)):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_weight_decay_keeps_the_weights_smaller():
    X, Y = load_dataset("higham")
    norms = {}
    for lam in (0.0, 0.01):
        net = Network([2, 2, 3, 2], seed=5)
        history = net.train(X, Y, learning_rate=1.0, iterations=5000, seed=0, record_every=5000, weight_decay=lam)
        assert history.weight_decay == lam
        norms[lam] = sum(np.sum(W ** 2) for W in net.weights)
    assert norms[0.01] < 0.5 * norms[0.0]


# ----- dropout -----------------------------------------------------------------------------
def test_dropout_mask_is_0_or_1_over_1_minus_p_and_seeded():
    sizes = (4, 50, 30, 2)
    mask = dropout_mask(sizes, 400, 0.25, np.random.default_rng(0))
    assert list(mask.layers) == [2, 3]
    assert mask[2].shape == (400, 50) and mask[3].shape == (400, 30)
    for m in mask:
        assert set(np.unique(m)) == {0.0, 1 / 0.75}
        assert abs(np.mean(m == 0) - 0.25) < 0.02  # each unit dropped with probability p
        assert np.mean(m) == pytest.approx(1.0, abs=0.03)  # inverted: the expected multiplier is 1
    again = dropout_mask(sizes, 400, 0.25, np.random.default_rng(0))
    np.testing.assert_array_equal(mask[2], again[2])
    assert dropout_mask(sizes, None, 0.5, np.random.default_rng(1))[3].shape == (30,)
    np.testing.assert_array_equal(dropout_mask(sizes, 3, 0.0, np.random.default_rng(1))[2], np.ones((3, 50)))
    np.testing.assert_array_equal(dropout_mask(sizes, 400, 0.25, 0)[3], mask[3])  # a seed for the generator
    with pytest.raises(ValueError, match=r"dropout must be a probability 0 <= p < 1 \(0 for none\), got 1"):
        dropout_mask(sizes, 3, 1, 0)
    with pytest.raises(ValueError, match=r"n_samples must be an integer >= 1, got 0"):
        dropout_mask(sizes, 0, 0.5, 0)


def test_masked_forward_multiplies_the_hidden_activations_only():
    net, X, _ = make_case([3, 4, 5, 2], "sigmoid", "quadratic", 6, seed=1)
    mask = dropout_mask(net.sizes, 6, 0.5, np.random.default_rng(3))
    plain, masked = net.forward(X), net.forward(X, mask=mask)
    np.testing.assert_array_equal(masked.a[2], mask[2] * plain.a[2])  # a[2] = d[2] o sigma(z[2])
    np.testing.assert_allclose(masked.z[3], masked.a[2] @ net.weights[3].T + net.biases[3], rtol=1e-14)  # (19)
    np.testing.assert_allclose(masked.a[3], mask[3] * net.activation.sigma(masked.z[3]), rtol=1e-14)
    np.testing.assert_allclose(masked.a[4], net.activation.sigma(masked.z[4]), rtol=1e-14)  # output unmasked


@pytest.mark.parametrize("sizes,n_samples", SHAPES)
@pytest.mark.parametrize("activation,cost", KINDS)
def test_masked_gradient_matches_central_differences_of_the_masked_network(sizes, n_samples, activation, cost):
    net, X, Y = make_case(sizes, activation, cost, n_samples, seed=6)
    mask = dropout_mask(net.sizes, n_samples, 0.4, np.random.default_rng(7))
    grad_W, grad_b = net.gradients(X, Y, mask=mask)
    num_W, num_b = numerical_gradients(net, X, Y, mask=mask)
    assert relative_error([*grad_W, *grad_b], [*num_W, *num_b]) < 1e-6
    # the mask matters: the unmasked gradient is a different one
    if len(sizes) > 2 and np.any([np.any(m == 0) for m in mask]):
        plain_W, _ = net.gradients(X, Y)
        assert relative_error([*plain_W], [*grad_W]) > 1e-3
    # with weight decay too
    assert gradient_check(net, X, Y, weight_decay=0.2, mask=mask) < 1e-6


def test_one_mask_for_every_sample_of_a_batch():
    net, X, Y = make_case([2, 5, 3, 2], "tanh", "quadratic", 4, seed=8)
    mask = [np.array([0.0, 2.0, 2.0, 0.0, 2.0]), np.array([2.0, 0.0, 2.0])]
    per_sample = [np.tile(m, (4, 1)) for m in mask]
    np.testing.assert_array_equal(net.gradients(X, Y, mask=mask)[0][2], net.gradients(X, Y, mask=per_sample)[0][2])
    assert gradient_check(net, X, Y, mask=mask) < 1e-6


def test_23_picks_up_the_mask_and_a_dropped_unit_gets_no_gradient():
    net, X, Y = make_case([2, 4, 3, 2], "sigmoid", "quadratic", None, seed=9)
    mask = [np.array([2.0, 0.0, 2.0, 2.0]), np.array([0.0, 2.0, 2.0])]
    trace, deltas = net.forward(X, mask=mask), net.deltas(X, Y, mask=mask)
    for l in (3, 2):  # (23) with dropout: delta[l] = d[l] o sigma'(z[l]) o (W[l+1]^T delta[l+1])
        expected = mask[l - 2] * hidden_delta(trace.z[l], net.weights[l + 1], deltas[l + 1], net.activation)
        np.testing.assert_allclose(deltas[l], expected, rtol=1e-14)
    grad_W, grad_b = net.gradients(X, Y, mask=mask)
    assert deltas[2][1] == 0 and grad_b[2][1] == 0 and np.all(grad_W[2][1] == 0)  # unit 2 of layer 2 dropped
    assert np.all(grad_W[3][:, 1] == 0)  # and the weights leaving it


def test_train_with_dropout_steps_on_the_masked_gradient_with_masks_from_the_seed():
    X, Y = load_dataset("higham")
    net = Network([2, 4, 3, 2], seed=2)
    reference = net.copy()
    net.train(X, Y, learning_rate=0.5, iterations=6, batch_size=3, seed=11, record_every=3, dropout=0.5)
    samples = np.random.default_rng(11)
    masks = samples.spawn(1)[0]  # the masks' own stream, spawned from the seed's generator
    draws = samples.integers(0, 10, size=(6, 3))  # the same sample draws as without dropout
    replay(reference, X, Y, draws, 0.5, lambda: {"mask": dropout_mask(reference.sizes, 3, 0.5, masks)})
    for p, q in zip(snapshot(net), snapshot(reference)):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_dropout_training_is_deterministic_and_evaluated_without_dropout():
    X, Y = load_dataset("higham")
    runs = []
    for seed in (3, 3, 4):
        net = Network([2, 8, 8, 2], seed=0)
        history = net.train(X, Y, learning_rate=0.5, iterations=300, batch_size=4, seed=seed, record_every=100,
                            dropout=0.3)
        assert history.dropout == 0.3
        assert history.final_cost == net.cost(X, Y)  # recorded with every unit present
        runs.append((history.cost, snapshot(net)))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert_same(runs[0][1], runs[1][1])
    assert not np.array_equal(runs[0][0], runs[2][0])


def test_defaults_change_nothing():
    X, Y = load_dataset("higham")
    plain, explicit = Network([2, 2, 3, 2], seed=1), Network([2, 2, 3, 2], seed=1)
    h1 = plain.train(X, Y, iterations=500, seed=7, record_every=50)
    h2 = explicit.train(X, Y, iterations=500, seed=7, record_every=50, weight_decay=0.0, dropout=0.0,
                        validation=None, patience=None)
    np.testing.assert_array_equal(h1.cost, h2.cost)
    assert_same(snapshot(plain), snapshot(explicit))
    assert (h1.weight_decay, h1.dropout, h1.patience, h1.validation_cost, h1.best_iteration, h1.stopped_at) == \
        (0.0, 0.0, None, None, None, None)


# ----- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), "0.1", None, True, [0.1]])
def test_bad_weight_decay(value):
    net, X, Y = make_case([2, 3, 2], "sigmoid", "quadratic", 4, seed=0)
    before = snapshot(net)
    message = re.escape(f"weight_decay must be a finite number >= 0 (0 for none), got {value!r}")
    for call in (lambda: net.cost(X, Y, weight_decay=value), lambda: net.gradients(X, Y, weight_decay=value),
                 lambda: net.train(X, Y, iterations=3, weight_decay=value),
                 lambda: numerical_gradients(net, X, Y, weight_decay=value)):
        with pytest.raises(ValueError, match=message):
            call()
    assert_same(snapshot(net), before)


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5, float("nan"), "0.5", None, True])
def test_bad_dropout(value):
    net, X, Y = make_case([2, 3, 2], "sigmoid", "quadratic", 4, seed=0)
    before = snapshot(net)
    with pytest.raises(ValueError, match=re.escape(f"dropout must be a probability 0 <= p < 1 (0 for none), "
                                                   f"got {value!r}")):
        net.train(X, Y, iterations=3, dropout=value)
    assert_same(snapshot(net), before)


def test_dropout_needs_a_hidden_layer():
    net, X, Y = make_case([2, 2], "sigmoid", "quadratic", 4, seed=0)
    with pytest.raises(ValueError, match=r"dropout acts on hidden layers, and the network \[2, 2\] has none"):
        net.train(X, Y, iterations=3, dropout=0.5)
    with pytest.raises(ValueError, match=r"a mask acts on hidden layers, and the network \[2, 2\] has none"):
        net.gradients(X, Y, mask=[])


@pytest.mark.parametrize("mask,message", [
    ([np.ones(4)], r"mask must hold one array for each hidden layer 2, \.\.\., 3 \(2 of them\), got 1"),
    (np.ones(4), r"mask must hold one array for each hidden layer 2, \.\.\., 3 \(2 of them\), got 4"),
    (5, r"mask must hold one array .* got not a sequence"),
    ([np.ones(3), np.ones(3)], r"mask\[2\] has shape \(3,\); expected \(4,\) or \(6, 4\) for layer 2 of 4 units"),
    ([np.ones((5, 4)), np.ones(3)], r"mask\[2\] has shape \(5, 4\); expected \(4,\) or \(6, 4\)"),
    ([np.ones(4), np.full(3, np.nan)], r"mask\[3\] contains NaN or infinite values"),
    ([np.ones(4), ["a", "b", "c"]], r"mask\[3\] must be an array of numbers"),
])
def test_bad_masks(mask, message):
    net, X, Y = make_case([2, 4, 3, 2], "sigmoid", "quadratic", 6, seed=0)
    before = snapshot(net)
    for call in (lambda: net.forward(X, mask=mask), lambda: net.cost(X, Y, mask=mask),
                 lambda: net.gradients(X, Y, mask=mask), lambda: net.deltas(X, Y, mask=mask),
                 lambda: numerical_gradients(net, X, Y, mask=mask)):
        with pytest.raises(ValueError, match=message):
            call()
    assert_same(snapshot(net), before)


def test_a_mask_for_other_layers_is_refused():
    net, X, Y = make_case([2, 4, 3, 2], "sigmoid", "quadratic", 6, seed=0)
    from backproplab.layers import ByLayer
    shifted = ByLayer([np.ones(3), np.ones(2)], first=3, name="mask")
    with pytest.raises(ValueError, match=r"mask holds layers \[3, 4\]; expected the hidden layers \[2, 3\]"):
        net.gradients(X, Y, mask=shifted)
