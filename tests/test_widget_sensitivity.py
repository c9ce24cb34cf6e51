"""The sensitivity widget of notebook 02: its pure functions against independent
computations, and its callbacks (each control set from Python, the figure read back).

The independent reference for a nudge of z[l]_j: by (19), z[l]_j = (W a)_j + b[l]_j, so
adding h to z[l]_j changes the cost exactly as adding h to the bias b[l]_j does, and that
cost comes from the library's own forward pass (``Network.cost``).
"""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from backproplab import Network, load_dataset
from backproplab.widgets.sensitivity import (SensitivityExplorer, check_unit, cost_after_nudge, forward_from,
                                             sensitivity)

X, Y = load_dataset("higham")


def cost_with_bias_shift(net, x, y, layer, neuron, h):
    """C after b[layer]_neuron += h (notes' numbering), by the library's forward pass."""
    shifted = net.copy()
    shifted.biases[layer][neuron - 1] += h
    return shifted.cost(x, y)


def central_delta(net, x, y, layer, neuron, eps=1e-6):
    return (cost_with_bias_shift(net, x, y, layer, neuron, eps)
            - cost_with_bias_shift(net, x, y, layer, neuron, -eps)) / (2 * eps)


def higham(activation="sigmoid"):
    return Network([2, 2, 3, 2], activation=activation, seed=0)


# ----- pure functions ------------------------------------------------------------------
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5), activation=st.sampled_from(["sigmoid", "tanh"]),
       seed=st.integers(0, 10**6), h=st.floats(-3, 3), data=st.data())
def test_cost_after_nudge_equals_shifting_the_bias(sizes, activation, seed, h, data):
    net = Network(sizes, activation=activation, seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(size=sizes[0]), rng.uniform(size=sizes[-1])
    layer = data.draw(st.integers(2, len(sizes)))
    neuron = data.draw(st.integers(1, sizes[layer - 1]))
    assert cost_after_nudge(net, x, y, layer, neuron, h) == pytest.approx(
        cost_with_bias_shift(net, x, y, layer, neuron, h), rel=1e-12, abs=1e-14)


def test_cost_after_nudge_takes_an_array_of_nudges():
    net, hs = higham(), np.array([-1.0, 0.0, 0.5])
    costs = cost_after_nudge(net, X[3], Y[3], 3, 2, hs)
    assert costs.shape == (3,)
    assert costs[1] == pytest.approx(net.cost(X[3], Y[3]), rel=1e-14)
    for h, c in zip(hs, costs):
        assert c == pytest.approx(cost_with_bias_shift(net, X[3], Y[3], 3, 2, h), rel=1e-12)


@pytest.mark.parametrize("layer", [2, 3, 4])
def test_forward_from_a_layer_reproduces_the_forward_pass(layer):
    net = Network([2, 2, 3, 2], activation="tanh", output_activation="linear", seed=4)
    trace = net.forward(X)
    np.testing.assert_allclose(forward_from(net, layer, trace.z[layer]), trace.a[-1], rtol=1e-13)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("sizes", [[2, 2, 3, 2], [2, 4, 5, 3, 2], [1, 1, 1]])
def test_network_deltas_by_layer_number_match_central_differences(sizes, activation):
    net = Network(sizes, activation=activation, seed=2)
    rng = np.random.default_rng(5)
    x, y = rng.uniform(size=sizes[0]), rng.uniform(size=sizes[-1])
    deltas = net.deltas(x, y)
    assert list(deltas.layers) == list(range(2, len(sizes) + 1))
    for l, delta in deltas.items():
        assert delta.shape == (sizes[l - 1],)
        numeric = [central_delta(net, x, y, l, j) for j in range(1, sizes[l - 1] + 1)]
        np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-10)


def test_deltas_of_a_batch_are_the_per_sample_deltas():
    net = higham("tanh")
    batch = net.deltas(X, Y)
    for i in (0, 4, 9):
        one = net.deltas(X[i], Y[i])
        for l in batch.layers:
            np.testing.assert_allclose(batch[l][i], one[l], rtol=1e-13)


def test_sensitivity_compares_the_actual_change_with_delta_times_h():
    net, x, y = higham(), X[0], Y[0]
    r = sensitivity(net, x, y, layer=2, neuron=1, h=0.8)
    assert r.delta == pytest.approx(central_delta(net, x, y, 2, 1), rel=1e-6)
    assert r.cost == pytest.approx(net.cost(x, y), rel=1e-14)
    assert r.cost_nudged == pytest.approx(cost_with_bias_shift(net, x, y, 2, 1, 0.8), rel=1e-12)
    assert r.predicted == pytest.approx(r.delta * 0.8)
    assert r.actual == pytest.approx(r.cost_nudged - r.cost)
    assert r.ratio == pytest.approx(r.actual / r.predicted)
    np.testing.assert_allclose(r.tangent, r.cost + r.delta * r.hs)
    assert r.hs[0] == -3.0 and r.hs[-1] == 3.0


@pytest.mark.parametrize("h", [1e-2, -1e-2, 1e-3])
def test_small_nudges_agree_with_the_prediction(h):
    r = sensitivity(higham(), X[2], Y[2], layer=3, neuron=3, h=h)
    assert abs(r.ratio - 1) < 50 * abs(h)  # first order: the relative gap is O(h)


def test_the_gap_shrinks_like_h_squared():
    r = sensitivity(higham(), X[0], Y[0], layer=3, neuron=3, h=0.5)
    small = r.gap_hs < 1e-2
    slope = np.polyfit(np.log(r.gap_hs[small]), np.log(r.gap[small]), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.05)
    assert np.all(r.gap_hs > 0) and r.gap_hs[-1] == pytest.approx(3.0)


def test_the_gap_is_measured_on_the_side_of_h():
    net, x, y = higham(), X[0], Y[0]
    r = sensitivity(net, x, y, layer=4, neuron=1, h=-1.0)
    k = len(r.gap_hs) - 1
    expected = abs(cost_with_bias_shift(net, x, y, 4, 1, -r.gap_hs[k]) - r.cost + r.delta * r.gap_hs[k])
    assert r.gap[k] == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("layer,neuron,message", [
    (1, 1, "layer must be an integer from 2 to L = 4"), (5, 1, "from 2 to L = 4"), (2.0, 1, "integer"),
    (2, 0, "layer 2 has 2 neurons"), (3, 4, "from 1 to 3"), (True, 1, "layer must be"),
])
def test_bad_layer_or_neuron_gives_a_readable_error(layer, neuron, message):
    with pytest.raises(ValueError, match=message):
        check_unit(higham(), layer, neuron)
    with pytest.raises(ValueError, match=message):
        cost_after_nudge(higham(), X[0], Y[0], layer, neuron, 0.1)


def test_cost_after_nudge_rejects_a_batch_and_a_wrong_shape():
    with pytest.raises(ValueError, match="one sample"):
        cost_after_nudge(higham(), X, Y, 2, 1, 0.1)
    with pytest.raises(ValueError, match="shape"):
        cost_after_nudge(higham(), [1.0, 2.0, 3.0], Y[0], 2, 1, 0.1)


# ----- the widget ----------------------------------------------------------------------
def test_default_widget_is_higham_network_on_a_higham_point():
    w = SensitivityExplorer()
    assert w.net.sizes == (2, 2, 3, 2)
    np.testing.assert_array_equal(w.sample[0], X[0])
    assert (w.layer.value, w.neuron.value, w.h.value) == (3, 3, 1.0)
    assert [v for _, v in w.layer.options] == [2, 3, 4]
    assert w.layer.options[-1][0] == "4 (output)"
    assert len(repr(w.widget)) < 120
    # the plotted curve is the cost after the nudge, checked against shifted biases
    hs, curve = w.curve_line.get_xdata(), w.curve_line.get_ydata()
    net = higham()
    for i in (0, 50, 100, 200):
        assert curve[i] == pytest.approx(cost_with_bias_shift(net, X[0], Y[0], 3, 3, hs[i]), rel=1e-12)
    assert "δ<sup>[3]</sup><sub>3</sub>" in w.text.value and "(23)" in w.text.value


def test_tangent_has_slope_delta_from_finite_differences():
    w = SensitivityExplorer(layer=2, neuron=2)
    hs, tangent = w.tangent_line.get_xdata(), w.tangent_line.get_ydata()
    slope = (tangent[-1] - tangent[0]) / (hs[-1] - hs[0])
    assert slope == pytest.approx(central_delta(higham(), X[0], Y[0], 2, 2), rel=1e-6)
    assert "slope at h = 0 is δ" in w.ax_curve.get_title() and "layer 2" in w.ax_curve.get_title()


def test_moving_h_moves_the_marks_and_the_readout():
    w = SensitivityExplorer()
    w.h.value = -0.5
    expected = cost_with_bias_shift(higham(), X[0], Y[0], 3, 3, -0.5)
    assert w.actual_dot.get_xdata()[0] == -0.5
    assert w.actual_dot.get_ydata()[0] == pytest.approx(expected, rel=1e-12)
    assert w.predicted_dot.get_ydata()[0] == pytest.approx(w.result.cost - 0.5 * w.result.delta)
    assert f"{expected - w.result.cost:.6f}" in w.text.value
    assert f"{w.result.ratio:.4f}" in w.text.value
    assert "h < 0" in w.gap_curve.get_label()
    assert w.gap_dot.get_xdata()[0] == 0.5


def test_zero_nudge_has_no_ratio_and_no_gap_mark():
    w = SensitivityExplorer()
    w.h.value = 0.0
    assert "undefined" in w.text.value
    assert len(w.gap_dot.get_xdata()) == 0
    assert w.result.actual == 0.0


def test_layer_change_adapts_the_neuron_range_and_redraws_once():
    w = SensitivityExplorer(neuron=3)
    calls = []
    refresh = w.view.refresh
    w.view.refresh = lambda: (calls.append(1), refresh())
    w.layer.value = 2  # 2 neurons: neuron 3 does not exist there
    assert (w.neuron.max, w.neuron.value) == (2, 2)
    assert len(calls) == 1
    assert (w.result.layer, w.result.neuron) == (2, 2)
    w.layer.value = 4
    assert w.neuron.max == 2 and "(22)" in w.text.value


def test_activation_swaps_sigma_but_keeps_the_weights():
    w = SensitivityExplorer()
    before = w.curve_line.get_ydata().copy()
    w.activation.value = "tanh"
    assert w.net.activation.name == "tanh"
    np.testing.assert_array_equal(w.net.weights[2], higham().weights[2])
    assert not np.allclose(w.curve_line.get_ydata(), before)
    assert w.result.delta == pytest.approx(central_delta(higham("tanh"), X[0], Y[0], 3, 3), rel=1e-6)


def test_point_selects_the_data_point():
    w = SensitivityExplorer()
    w.point.value = 7
    np.testing.assert_array_equal(w.sample[1], Y[6])
    assert w.result.cost == pytest.approx(higham().cost(X[6], Y[6]), rel=1e-14)


def test_custom_network_and_sample():
    net = Network([1, 3, 1], activation="tanh", output_activation="linear", seed=1)
    w = SensitivityExplorer(net=net, x=[0.5], y=[0.2], layer=2, neuron=1, h=0.1)
    assert w.point.disabled and w.activation.value == "tanh"
    assert w.net.output_activation.name == "linear"
    assert w.result.cost_nudged == pytest.approx(cost_with_bias_shift(net, [0.5], [0.2], 2, 1, 0.1), rel=1e-12)


def test_bad_sample_gives_a_message_not_a_traceback():
    w = SensitivityExplorer(x=[0.1, 0.2, 0.3], y=[1.0, 0.0])
    assert "Cannot compute" in w.text.value and "shape" in w.text.value
    assert w.result is None


@pytest.mark.parametrize("kwargs,message", [
    (dict(layer=1), "layer must be"), (dict(neuron=9), "neuron must be"), (dict(h=5.0), "h_max"),
    (dict(point=11), "point must be"),
])
def test_bad_constructor_values_are_rejected_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SensitivityExplorer(**kwargs)


def test_values_sent_beyond_a_controls_range_are_clamped_in_the_kernel():
    """A client can send any value and any min/max (they are synced traits): the kernel restores both."""
    w = SensitivityExplorer()
    w.point.max, w.point.value = 10_000, 5_000  # what a hostile comm update can do
    assert (w.point.min, w.point.max, w.point.value) == (1, 10, 10)
    assert "data point 5000 is outside 1 to 10: used 10" in w.text.value
    np.testing.assert_array_equal(w.sample[0], X[9])
    w.h.min, w.h.value = -1e9, -1e9
    assert (w.h.min, w.h.max, w.h.value) == (-3.0, 3.0, -3.0) and "nudge h" in w.text.value
    w.neuron.max, w.neuron.value = 50, 40
    assert w.neuron.value == 3 and w.neuron.max == 3 and w.result.neuron == 3
    w.h.value = 0.5  # a good value: no note left over
    assert "outside" not in w.text.value
