"""The weight-gradient widget of notebook 04: its pure functions and its callbacks."""
import numpy as np
import pytest

from backproplab import Network, load_dataset
from backproplab.widgets import WeightGradientExplorer
from backproplab.widgets.weights import describe, weight_view

EPS = 1e-6


def weight_gradient_by_differences(net, x, y, l):
    """dC/dW^[l] by nudging each entry of net.weights[l] (the notes' W^[l])."""
    W = net.weights[l]
    out = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        old = W[idx]
        W[idx] = old + EPS
        up = net.cost(x, y)
        W[idx] = old - EPS
        down = net.cost(x, y)
        W[idx] = old
        out[idx] = (up - down) / (2 * EPS)
    return out


def bias_gradient_by_differences(net, x, y, l):
    """dC/db^[l], which is delta^[l] by (24)."""
    b = net.biases[l]
    out = np.zeros_like(b)
    for j in range(len(b)):
        old = b[j]
        b[j] = old + EPS
        up = net.cost(x, y)
        b[j] = old - EPS
        down = net.cost(x, y)
        b[j] = old
        out[j] = (up - down) / (2 * EPS)
    return out


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("layer", [2, 3, 4])
def test_weight_view_matches_finite_differences_and_is_an_outer_product(activation, layer):
    net = Network([2, 3, 4, 2], activation=activation, seed=4)
    X, Y = load_dataset("higham")
    view = weight_view(net, X, Y, layer, 3)
    expected = weight_gradient_by_differences(net, X[3], Y[3], layer)
    assert view.grad.shape == (net.sizes[layer - 1], net.sizes[layer - 2])
    np.testing.assert_allclose(view.grad, expected, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(view.numerical, expected, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(view.delta, bias_gradient_by_differences(net, X[3], Y[3], layer),
                               rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(np.outer(view.delta, view.a_prev), expected, rtol=1e-6, atol=1e-10)
    assert view.error < 1e-7


def test_weight_view_of_layer_2_has_the_input_as_a_prev():
    net = Network([2, 2, 3, 2], seed=0)
    X, Y = load_dataset("higham")
    np.testing.assert_array_equal(weight_view(net, X, Y, 2, 7).a_prev, X[7])


def test_weight_view_wants_one_data_point():
    net = Network([2, 2, 3, 2])
    X, Y = load_dataset("higham")
    with pytest.raises(ValueError, match="choose one data point"):
        weight_view(net, X, Y, 3, "all")
    with pytest.raises(ValueError, match="layer must be an integer from 2 to 4"):
        weight_view(net, X, Y, 1, 0)


def test_largest_entry_and_describe():
    net = Network([2, 2, 3, 2], seed=0)
    X, Y = load_dataset("higham")
    view = weight_view(net, X, Y, 4, 0)
    flat = np.abs(view.grad).ravel()
    j, k = view.largest
    assert abs(view.grad[j, k]) == flat.max()
    text = describe(view)
    assert f"dC/dw<sup>[4]</sup><sub>{j + 1}{k + 1}</sub>" in text
    assert f"{view.grad[j, k]:.3g}" in text
    assert "nearly vanish" not in text  # every sigmoid activation here is far from 0


def test_a_zero_input_gives_a_zero_column_and_the_readout_says_so():
    net = Network([2, 2, 3, 2], seed=0)
    X = np.array([[0.0, 0.8], [0.5, 0.5]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    view = weight_view(net, X, Y, 2, 0)
    np.testing.assert_array_equal(view.grad[:, 0], 0.0)
    assert np.all(np.abs(view.grad[:, 1]) > 0)
    assert "Column(s) 1 nearly vanish" in describe(view)


def test_describe_says_when_no_weight_of_the_layer_learns():
    net = Network([2, 2, 3, 2], activation="relu", seed=0)  # layer 2 is switched off for point 1
    X, Y = load_dataset("higham")
    np.testing.assert_array_equal(weight_gradient_by_differences(net, X[0], Y[0], 3), 0.0)
    text = describe(weight_view(net, X, Y, 3, 0))
    assert "dC/dW is 0" in text and "learns fastest" not in text


# ----- the widget ------------------------------------------------------------------------
def expected(activation, layer, point):
    net = Network([2, 2, 3, 2], activation=activation, seed=0)
    X, Y = load_dataset("higham")
    return weight_gradient_by_differences(net, X[point], Y[point], layer)


def visible_texts(texts):
    return [[t.get_text() for t in row if t.get_visible()] for row in texts if any(t.get_visible() for t in row)]


def test_widget_defaults_show_the_gradient_and_its_factors():
    w = WeightGradientExplorer()
    assert (w.layer.value, w.point.value, w.activation.value) == (3, 0, "sigmoid")
    grad = np.asarray(w.image.get_array())
    np.testing.assert_allclose(grad, expected("sigmoid", 3, 0), rtol=1e-6, atol=1e-10)
    delta = np.asarray(w.delta_image.get_array())[:, 0]
    a_prev = np.asarray(w.a_image.get_array())[0]
    np.testing.assert_allclose(np.outer(delta, a_prev), grad, rtol=1e-12)
    vmin, vmax = w.image.get_clim()
    assert vmin == -vmax and vmax == pytest.approx(np.max(np.abs(grad)))
    assert visible_texts(w.texts) == [[f"{v + 0.0:.2g}" for v in row] for row in grad]
    assert "Layer 3, data point 1" in w.readout.value and "learns fastest" in w.readout.value
    assert repr(w.widget).startswith("WeightGradientExplorer:")  # a static copy shows one line


def test_widget_layer_control_reshapes_the_table():
    w = WeightGradientExplorer()
    w.layer.value = 4
    grad = np.asarray(w.image.get_array())
    assert grad.shape == (2, 3)
    np.testing.assert_allclose(grad, expected("sigmoid", 4, 0), rtol=1e-6, atol=1e-10)
    assert w.image.get_extent() == [-0.5, 2.5, 1.5, -0.5]
    assert [len(row) for row in visible_texts(w.texts)] == [3, 3]
    assert [t.get_text() for t in w.ax.get_xticklabels()] == ["1", "2", "3"]
    assert "W^{[4]}" in w.title.get_text()


def test_widget_point_and_activation_controls():
    w = WeightGradientExplorer()
    w.point.value = 8
    np.testing.assert_allclose(w.image.get_array(), expected("sigmoid", 3, 8), rtol=1e-6, atol=1e-10)
    assert "data point 9" in w.readout.value
    w.activation.value = "tanh"
    np.testing.assert_allclose(w.image.get_array(), expected("tanh", 3, 8), rtol=1e-6, atol=1e-10)
    assert "tanh" in w.title.get_text()


def test_widget_relu_shows_the_column_of_a_silent_neuron_vanish():
    w = WeightGradientExplorer(layer=4, activation="relu")
    a_prev = np.asarray(w.a_image.get_array())[0]
    silent = np.flatnonzero(a_prev == 0)
    assert silent.size > 0
    np.testing.assert_array_equal(np.asarray(w.image.get_array())[:, silent], 0.0)
    assert "nearly vanish" in w.readout.value


def test_widget_keywords_override_every_default():
    net = Network([2, 5, 2], seed=1)
    X, Y = load_dataset("higham")
    w = WeightGradientExplorer(net=net, X=X, Y=Y, layer=2, point=4, activation="tanh")
    assert (w.layer.value, w.point.value, w.activation.value) == (2, 4, "tanh")
    tanh_net = Network.from_parameters(net.weights, net.biases, activation="tanh")
    np.testing.assert_allclose(w.image.get_array(), weight_gradient_by_differences(tanh_net, X[4], Y[4], 2),
                               rtol=1e-6, atol=1e-10)


def test_widget_rejects_bad_keywords_and_reports_impossible_choices():
    with pytest.raises(ValueError, match="layer must be"):
        WeightGradientExplorer(layer=0)
    with pytest.raises(ValueError, match="activation must be one of"):
        WeightGradientExplorer(activation="linear")
    with pytest.raises(ValueError, match="index of one data point"):
        WeightGradientExplorer(point="all")
    w = WeightGradientExplorer()
    w.point.options = [("every point", "all")]
    assert w.result is None and "choose one data point" in w.readout.value
