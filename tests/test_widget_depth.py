"""The depth widget of notebook 02: the size of delta[l] layer by layer in deep networks.

The pure functions are checked against independent computations (the per-sample bias
gradients of the library's ``Network.gradients``, which equal delta by (24), and central
differences), and against the bound that makes sigmoid deltas vanish; the callbacks by
setting each control from Python and reading the plotted lines back.
"""
import time

import numpy as np
import pytest

from backproplab import load_dataset
from backproplab.widgets.depth import (DepthExplorer, deep_network, delta_norms, depth_profile, growth_per_layer,
                                       verdict)

X, Y = load_dataset("higham")


def norms_from_library_gradients(net):
    """Mean over the samples of ||delta[l]||, with delta[l] = dC/db[l] (24) for one sample."""
    per_sample = [net.gradients(x, y)[1] for x, y in zip(X, Y)]  # grad_b[l] is delta[l]
    return np.array([np.mean([np.linalg.norm(g[l]) for g in per_sample]) for l in range(2, net.L + 1)])


# ----- pure functions ------------------------------------------------------------------
def test_deep_network_has_the_asked_shape_and_seeded_weights():
    net = deep_network(depth=5, width=7, activation="tanh", init_scale=0.3, seed=3)
    assert net.sizes == (2, 7, 7, 7, 7, 7, 2)
    other = deep_network(depth=5, width=7, activation="sigmoid", init_scale=0.3, seed=3)
    for W, V in zip(net.weights, other.weights):
        np.testing.assert_array_equal(W, V)
    assert np.std(np.concatenate([W.ravel() for W in net.weights])) == pytest.approx(0.3, rel=0.15)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("init_scale", [0.5, 3.0])
def test_delta_norms_match_the_library_gradients(activation, init_scale):
    net = deep_network(depth=8, width=6, activation=activation, init_scale=init_scale, seed=1)
    np.testing.assert_allclose(delta_norms(net, X, Y), norms_from_library_gradients(net), rtol=1e-10)


def test_delta_norms_match_central_differences():
    net = deep_network(depth=3, width=3, activation="tanh", init_scale=1.0, seed=2)
    eps, expected = 1e-6, []
    for l in range(2, len(net.sizes) + 1):  # nudge each bias: the same as nudging z[l]_j (19)
        per_sample = np.zeros((len(X), net.sizes[l - 1]))
        for j in range(net.sizes[l - 1]):
            for sign in (1, -1):
                shifted = net.copy()
                shifted.biases[l][j] += sign * eps
                per_sample[:, j] += sign * shifted.cost_function.value(shifted.predict(X), Y) / (2 * eps)
        expected.append(np.linalg.norm(per_sample, axis=1).mean())
    np.testing.assert_allclose(delta_norms(net, X, Y), expected, rtol=1e-6)


def test_sigmoid_deltas_obey_the_quarter_bound():
    """||delta[l]|| <= (1/4)^(L-l+1) ||W[l+1]|| ... ||W[L]|| ||a[L] - y||, sample by sample."""
    net = deep_network(depth=12, width=8, activation="sigmoid", init_scale=1.0, seed=0)
    deltas, a_L = net.deltas(X, Y), net.predict(X)
    L = len(net.sizes)
    for l in range(2, L + 1):
        norms_W = np.prod([np.linalg.norm(net.weights[k], 2) for k in range(l + 1, L + 1)])
        bound = 0.25 ** (L - l + 1) * norms_W * np.linalg.norm(a_L - Y, axis=1)
        assert np.all(np.linalg.norm(deltas[l], axis=1) <= bound * (1 + 1e-12))


def test_growth_per_layer_of_a_geometric_sequence():
    for q in (0.5, 2.0):
        norms = q ** np.arange(9)[::-1]  # layer 2 is q^8 times the output layer
        assert growth_per_layer(norms) == pytest.approx(q)
    assert np.isnan(growth_per_layer([0.0, 1.0]))
    assert np.isnan(growth_per_layer([1.0]))


def test_verdict_thresholds():
    assert verdict(0.5) == "vanishing"
    assert verdict(1.0) == "roughly stable"
    assert verdict(1.5) == "exploding"
    assert "underflow" in verdict(float("nan"))


def test_defaults_show_sigmoid_vanishing_and_bigger_weights_exploding():
    small = depth_profile(depth=20, width=10, init_scale=0.5)
    assert small.growth["sigmoid"] < 0.5 and verdict(small.growth["sigmoid"]) == "vanishing"
    assert small.growth["sigmoid"] < small.growth["tanh"]
    big = depth_profile(depth=20, width=30, init_scale=1.0)
    assert verdict(big.growth["tanh"]) == "exploding"


@pytest.mark.parametrize("kwargs,message", [
    (dict(depth=0), "depth must be an integer >= 1"), (dict(width=2.5), "width must be"),
    (dict(init_scale=-1.0), "init_scale must be"), (dict(init_scale=float("nan")), "init_scale must be"),
])
def test_deep_network_rejects_bad_values(kwargs, message):
    args = dict(depth=3, width=3, init_scale=0.5) | kwargs
    with pytest.raises(ValueError, match=message):
        deep_network(**args)


# ----- the widget ----------------------------------------------------------------------
def test_default_widget_plots_both_curves():
    w = DepthExplorer()
    for act in ("sigmoid", "tanh"):
        line = w.lines[act]
        np.testing.assert_array_equal(line.get_xdata(), np.arange(2, 23))
        net = deep_network(20, 10, act, 0.5, seed=0)
        np.testing.assert_allclose(line.get_ydata(), norms_from_library_gradients(net), rtol=1e-10)
    assert w.ax.get_yscale() == "log"
    assert "sigmoid" in w.text.value and "vanishing" in w.text.value
    assert [t.get_text() for t in w.ax.get_legend().get_texts()] == ["sigmoid", "tanh"]
    assert len(repr(w.widget)) < 120


def test_depth_slider_changes_the_number_of_layers():
    w = DepthExplorer()
    w.depth.value = 5
    assert list(w.lines["sigmoid"].get_xdata()) == [2, 3, 4, 5, 6, 7]
    assert w.ax.get_xlim() == (1.5, 7.5)
    assert list(w.output_mark.get_xdata()) == [7, 7]
    assert "L = 7" in w.text.value


def test_activation_choice_hides_the_other_curve():
    w = DepthExplorer()
    w.activation.value = "tanh"
    assert len(w.lines["sigmoid"].get_ydata()) == 0 and len(w.lines["tanh"].get_ydata()) == 21
    assert [t.get_text() for t in w.ax.get_legend().get_texts()] == ["tanh"]
    assert "sigmoid" not in w.text.value


def test_init_scale_width_and_seed_change_the_curves():
    w = DepthExplorer()
    before = w.lines["tanh"].get_ydata().copy()
    w.init_scale.value = 2.0
    w.width.value = 30
    expected = norms_from_library_gradients(deep_network(20, 30, "tanh", w.init_scale.value, seed=0))
    # exploding (chaotic) regime: rounding differences between a batch and single samples grow
    np.testing.assert_allclose(w.lines["tanh"].get_ydata(), expected, rtol=1e-4)
    assert "exploding" in w.text.value
    w.seed.value = 7
    assert not np.allclose(w.lines["tanh"].get_ydata(), expected)
    w.seed.value = 0
    np.testing.assert_allclose(w.lines["tanh"].get_ydata(), expected, rtol=1e-4)
    assert not np.allclose(expected, before)


def test_y_limits_cover_the_plotted_norms():
    w = DepthExplorer(depth=30)
    low, high = w.ax.get_ylim()
    values = np.concatenate([w.lines[a].get_ydata() for a in ("sigmoid", "tanh")])
    assert low <= values.min() and values.max() <= high


def test_saturated_network_draws_no_zero_on_the_log_axis():
    w = DepthExplorer(init_scale=10.0, depth=30, width=2, seed=3)
    for line in w.lines.values():
        y = np.asarray(line.get_ydata(), dtype=float)
        assert np.all(np.isnan(y) | (y > 0))
    assert w.result is not None


def test_update_is_fast_at_the_defaults():
    w = DepthExplorer()
    times = []
    for depth in (19, 20, 19, 20, 19):
        start = time.perf_counter()
        w.depth.value = depth
        times.append(time.perf_counter() - start)
    assert np.median(times) < 0.25  # about 0.05 s on a laptop; generous for shared CI machines


@pytest.mark.parametrize("kwargs,message", [
    (dict(depth=40), "depth must be"), (dict(width=1), "width must be"), (dict(init_scale=0.0), "init_scale"),
    (dict(activation="relu"), "activation must be"),
])
def test_bad_constructor_values_are_rejected_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DepthExplorer(**kwargs)
