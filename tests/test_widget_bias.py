"""The bias-gradient widget of notebook 03: its pure functions and its callbacks."""
import numpy as np
import pytest

from backproplab import Network, load_dataset
from backproplab.widgets import BiasGradientExplorer
from backproplab.widgets.bias import bias_view, check_layer, describe, select

EPS = 1e-6


def cost_given_z(net, x, y, l, z_l):
    """The cost of one sample when the notes' z^[l] is replaced by ``z_l`` (the rest recomputed)."""
    sigmas = [net.activation] * (len(net.sizes) - 2) + [net.output_activation]  # layers 2..L
    a = sigmas[l - 2].sigma(z_l)
    for W, b, sigma in zip(net.weights[l + 1:], net.biases[l + 1:], sigmas[l - 1:]):
        a = sigma.sigma(W @ a + b)
    return float(net.cost_function.value(a, y))


def delta_by_definition(net, x, y, l):
    """(21) delta_j = dC/dz_j, by central differences in z^[l] itself (independent of (22)-(25))."""
    z = net.forward(x).z[l]
    out = np.zeros_like(z)
    for j in range(len(z)):
        e = np.zeros_like(z)
        e[j] = EPS
        out[j] = (cost_given_z(net, x, y, l, z + e) - cost_given_z(net, x, y, l, z - e)) / (2 * EPS)
    return out


def bias_gradient_by_differences(net, X, Y, l):
    """dC/db^[l] of the mean cost by nudging each bias of net.biases[l]."""
    b = net.biases[l]
    out = np.zeros_like(b)
    for j in range(len(b)):
        old = b[j]
        b[j] = old + EPS
        up = net.cost(X, Y)
        b[j] = old - EPS
        down = net.cost(X, Y)
        b[j] = old
        out[j] = (up - down) / (2 * EPS)
    return out


@pytest.mark.parametrize("activation,cost", [("sigmoid", "quadratic"), ("tanh", "quadratic"),
                                             ("sigmoid", "cross_entropy")])
def test_view_deltas_are_dC_dz_by_definition(activation, cost):
    out = "sigmoid" if cost == "cross_entropy" else None
    net = Network([2, 3, 4, 2], activation=activation, cost=cost, output_activation=out, seed=5)
    X, Y = load_dataset("higham")
    for l in (2, 3, 4):
        view = bias_view(net, X, Y, l, 4)
        np.testing.assert_allclose(view.deltas[0], delta_by_definition(net, X[4], Y[4], l), rtol=1e-6, atol=1e-10)


def test_view_deltas_of_all_points_are_the_per_sample_deltas():
    net = Network([2, 2, 3, 2], seed=0)
    X, Y = load_dataset("higham")
    view = bias_view(net, X, Y, 3, "all")
    for i in (0, 7):
        np.testing.assert_allclose(view.deltas[i], delta_by_definition(net, X[i], Y[i], 3), rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("point", ["all", 0, 6])
@pytest.mark.parametrize("layer", [2, 3, 4])
def test_bias_view_matches_finite_differences_and_delta(layer, point):
    net = Network([2, 2, 3, 2], activation="tanh", seed=2)
    X, Y = load_dataset("higham")
    view = bias_view(net, X, Y, layer, point)
    Xs, Ys = (X, Y) if point == "all" else (X[point], Y[point])
    expected = bias_gradient_by_differences(net, Xs, Ys, layer)
    np.testing.assert_allclose(view.backprop, expected, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(view.numerical, expected, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(view.delta, expected, rtol=1e-6, atol=1e-10)
    assert view.deltas.shape == ((10 if point == "all" else 1), net.sizes[layer - 1])
    assert view.error < 1e-7 and view.delta_error < 1e-7


def test_bias_gradient_of_all_points_is_the_mean_of_the_deltas():
    net = Network([2, 2, 3, 2], seed=0)
    X, Y = load_dataset("higham")
    view = bias_view(net, X, Y, 3, "all")
    singles = [bias_gradient_by_differences(net, X[i], Y[i], 3) for i in range(10)]
    np.testing.assert_allclose(view.backprop, np.mean(singles, axis=0), rtol=1e-6, atol=1e-10)


def test_bad_layer_and_point_give_readable_errors():
    net = Network([2, 2, 3, 2])
    X, Y = load_dataset("higham")
    with pytest.raises(ValueError, match="layer must be an integer from 2 to 4"):
        check_layer(net, 1)
    with pytest.raises(ValueError, match="layer must be"):
        check_layer(net, 2.5)
    with pytest.raises(ValueError, match="index from 0 to 9"):
        select(X, Y, 10)
    with pytest.raises(ValueError, match="data point must be"):
        select(X, Y, "three")


def test_describe_names_the_layer_the_point_and_the_largest_gradient():
    net = Network([2, 2, 3, 2], seed=0)
    X, Y = load_dataset("higham")
    view = bias_view(net, X, Y, 4, 2)
    text = describe(view)
    j = int(np.argmax(np.abs(view.backprop)))
    assert "Layer 4, data point 3" in text
    assert f"dC/db<sub>{j + 1}</sub> = {view.backprop[j]:.4g}" in text
    assert "per-sample" not in text
    assert "per-sample deltas" in describe(bias_view(net, X, Y, 4, "all"))


def test_describe_says_when_a_layer_does_not_learn_at_all():
    net = Network([2, 2, 3, 2], activation="relu", seed=0)  # layer 2 is switched off for point 1
    X, Y = load_dataset("higham")
    np.testing.assert_array_equal(bias_gradient_by_differences(net, X[0], Y[0], 2), 0.0)
    text = describe(bias_view(net, X, Y, 2, 0))
    assert "every delta of this layer is 0" in text and "do not learn" in text


# ----- the widget ------------------------------------------------------------------------
def bar_heights(w):
    """Heights of the visible bars of each group: backprop, finite differences, delta."""
    return [np.array([r.get_height() for r in bars.patches if r.get_visible()]) for bars in w.bars]


def expected_gradient(activation, layer, point):
    net = Network([2, 2, 3, 2], activation=activation, seed=0)
    X, Y = load_dataset("higham")
    Xs, Ys = (X, Y) if point == "all" else (X[point], Y[point])
    return bias_gradient_by_differences(net, Xs, Ys, layer)


def test_widget_starts_with_its_defaults_and_draws_three_equal_bar_groups():
    w = BiasGradientExplorer()
    assert (w.layer.value, w.point.value, w.activation.value) == (3, "all", "sigmoid")
    expected = expected_gradient("sigmoid", 3, "all")
    for heights in bar_heights(w):
        np.testing.assert_allclose(heights, expected, rtol=1e-6, atol=1e-10)
    assert w.dots.get_visible() and len(w.dots.get_offsets()) == 10 * 3
    assert "Layer 3, the mean over all data points" in w.readout.value
    assert "Layer 3" in w.ax.get_title()
    assert repr(w.widget).startswith("BiasGradientExplorer:")  # a static copy shows one line


def test_widget_dots_are_the_deltas_whose_mean_is_the_bar():
    w = BiasGradientExplorer()
    offsets = np.asarray(w.dots.get_offsets())
    for j, height in enumerate(bar_heights(w)[2]):
        ys = offsets[np.round(offsets[:, 0]).astype(int) == j, 1]
        assert len(ys) == 10
        assert np.mean(ys) == pytest.approx(height, rel=1e-9)


def test_widget_layer_control_changes_the_number_of_bars():
    w = BiasGradientExplorer()
    w.layer.value = 4
    heights = bar_heights(w)
    assert [len(h) for h in heights] == [2, 2, 2]
    np.testing.assert_allclose(heights[0], expected_gradient("sigmoid", 4, "all"), rtol=1e-6, atol=1e-10)
    assert [t.get_text() for t in w.ax.get_xticklabels()] == ["1", "2"]
    assert "Layer 4" in w.readout.value


def test_widget_point_control_shows_one_sample_and_hides_the_dots():
    w = BiasGradientExplorer()
    w.point.value = 5
    np.testing.assert_allclose(bar_heights(w)[2], expected_gradient("sigmoid", 3, 5), rtol=1e-6, atol=1e-10)
    assert not w.dots.get_visible()
    assert "data point 6" in w.readout.value
    assert w.result.point == 5


def test_widget_activation_control_uses_the_same_weights_with_another_activation():
    w = BiasGradientExplorer()
    before = bar_heights(w)[0]
    w.activation.value = "tanh"
    after = bar_heights(w)[0]
    np.testing.assert_allclose(after, expected_gradient("tanh", 3, "all"), rtol=1e-6, atol=1e-10)
    assert not np.allclose(before, after)
    assert "tanh" in w.ax.get_title()


def test_widget_keywords_override_every_default():
    net = Network([2, 4, 2], seed=3)
    X, Y = load_dataset("higham")
    w = BiasGradientExplorer(net=net, X=X[:4], Y=Y[:4], layer=2, point=1, activation="relu")
    assert (w.layer.value, w.point.value, w.activation.value) == (2, 1, "relu")
    assert len(w.point.options) == 5  # "all" and four points
    expected = bias_gradient_by_differences(Network.from_parameters(net.weights, net.biases, activation="relu"),
                                            X[1], Y[1], 2)
    np.testing.assert_allclose(bar_heights(w)[1], expected, rtol=1e-6, atol=1e-10)


def test_widget_rejects_bad_keywords_with_readable_errors():
    with pytest.raises(ValueError, match="layer must be an integer from 2 to 4"):
        BiasGradientExplorer(layer=5)
    with pytest.raises(ValueError, match="data point must be"):
        BiasGradientExplorer(point=42)
    with pytest.raises(ValueError, match="activation must be one of"):
        BiasGradientExplorer(activation="softmax")


def test_widget_reports_an_impossible_choice_in_the_readout():
    w = BiasGradientExplorer()
    w.point.options = [("a point that is not there", 99)]
    assert w.result is None
    assert "Cannot show this" in w.readout.value and "index from 0 to 9" in w.readout.value


def test_dot_positions_spread_each_neurons_samples_side_by_side():
    from backproplab.widgets.bias import DOT_SPREAD, dot_positions
    x = dot_positions(3, 10).reshape(3, 10)
    for j, row in enumerate(x):
        assert np.all(np.diff(row) > 0)  # sample order, left to right
        assert row[0] == pytest.approx(j - DOT_SPREAD) and row[-1] == pytest.approx(j + DOT_SPREAD)
    assert np.all(x[:-1, -1] < x[1:, 0])  # neurons do not mix
    np.testing.assert_array_equal(dot_positions(2, 1), [0.0, 1.0])


@pytest.mark.parametrize("layer", [2, 3, 4])
def test_every_sample_is_a_visible_dot(layer):
    """Ten samples give ten dots per neuron that do not hide one another, even where the
    deltas of one class are all but equal (the five class-0 points of Higham's data)."""
    w = BiasGradientExplorer(layer=layer)
    w.view.refresh()  # lay the figure out, so that data coordinates map to pixels
    offsets = np.asarray(w.dots.get_offsets())
    n_l = w.base.sizes[layer - 1]
    assert len(offsets) == 10 * n_l
    pixels = w.ax.transData.transform(offsets)
    diameter = np.sqrt(w.dots.get_sizes()[0]) * w.figure.dpi / 72  # marker size in pixels
    for j in range(n_l):
        own = pixels[j * 10:(j + 1) * 10]
        gaps = np.hypot(*(own[:, None, :] - own[None, :, :]).transpose(2, 0, 1))
        np.fill_diagonal(gaps, np.inf)
        assert gaps.min() > diameter  # no two dots of a neuron overlap
    # the class-0 deltas of Higham's data nearly coincide: the old drawing showed 2 dots of 10
    ys = offsets[:10, 1]
    assert np.ptp(ys[:5]) < 0.05 * np.ptp(ys) or layer != 4
    faces = w.dots.get_facecolors()
    assert len({tuple(f) for f in faces[:10]}) == 2  # filled (class 0) and open (class 1)


def test_dots_follow_the_layer_and_the_readout_says_how_to_read_them():
    w = BiasGradientExplorer()
    w.layer.value = 4
    assert len(w.dots.get_offsets()) == 10 * 2
    assert "sample 1 on the left" in w.readout.value and "open: class 1" in w.readout.value
