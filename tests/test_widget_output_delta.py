"""The output-delta widget (notebook 01): its pure functions against finite differences and
closed forms, and its callbacks through the figure and the readout."""
import numpy as np
import pytest

from backproplab.activations import ACTIVATIONS
from backproplab.costs import COSTS
from backproplab.widgets import OutputDeltaExplorer
from backproplab.widgets.output_delta import (SATURATED, output_delta_curves, output_delta_point, remark,
                                              saturation_threshold)

EPS = 1e-6
PAIRS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("sigmoid", "cross_entropy")]


def cost_of_z(z, y, activation, cost):
    """C as a function of the output weighted input alone: C(sigma(z), y), one neuron."""
    a = ACTIVATIONS[activation].sigma(np.atleast_1d(z))
    return float(COSTS[cost].value(a, np.atleast_1d(y)))


def central_difference(f, z):
    return (f(z + EPS) - f(z - EPS)) / (2 * EPS)


@pytest.mark.parametrize("activation,cost", PAIRS)
@pytest.mark.parametrize("z", [-6.0, -1.3, 0.0, 0.7, 2.5, 7.9])
@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_point_delta_is_dC_dz_by_central_differences(activation, cost, z, y):
    p = output_delta_point(z, y, activation, cost)
    numerical = central_difference(lambda t: cost_of_z(t, y, activation, cost), z)
    assert p.delta == pytest.approx(numerical, rel=1e-6, abs=1e-9)
    # and the pieces of (22): a, sigma'(z) by finite differences of sigma, and a - y
    sigma = ACTIVATIONS[activation].sigma
    assert p.a == pytest.approx(float(sigma(z)), rel=1e-12)
    assert p.prime == pytest.approx(central_difference(sigma, z), rel=1e-6, abs=1e-10)
    assert p.error == pytest.approx(p.a - y, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("z", [-7.0, -2.0, 0.5, 3.0, 8.0])
def test_cross_entropy_with_sigmoid_gives_a_minus_y(z):
    for y in (0.0, 1.0, 0.25):
        p = output_delta_point(z, y, "sigmoid", "cross_entropy")
        assert p.delta == pytest.approx(1.0 / (1.0 + np.exp(-z)) - y, rel=1e-9, abs=1e-12)
        assert p.dC_da == pytest.approx((p.a - y) / (p.a * (1 - p.a)), rel=1e-9)


@pytest.mark.parametrize("activation,cost", PAIRS)
def test_curves_are_the_point_values_on_the_grid(activation, cost):
    z = np.linspace(-8, 8, 33)
    curves = output_delta_curves(z, 0.2, activation, cost)
    numerical = [central_difference(lambda t: cost_of_z(t, 0.2, activation, cost), zi) for zi in z]
    np.testing.assert_allclose(curves["delta"], numerical, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(curves["a"], ACTIVATIONS[activation].sigma(z))
    np.testing.assert_allclose(curves["error"], curves["a"] - 0.2)


def test_tanh_with_cross_entropy_is_refused_with_a_readable_message():
    with pytest.raises(ValueError, match="cross-entropy needs an output a in \\(0, 1\\)"):
        output_delta_point(1.0, 0.0, "tanh", "cross_entropy")
    curves = output_delta_curves(np.linspace(-1, 1, 5), 0.0, "tanh", "cross_entropy")
    assert np.all(np.isnan(curves["delta"])) and np.all(np.isnan(curves["error"]))
    np.testing.assert_allclose(curves["a"], np.tanh(np.linspace(-1, 1, 5)))  # sigma is still drawn
    with pytest.raises(ValueError, match="activation must be one of"):
        output_delta_point(1.0, 0.0, "relu", "quadratic")
    with pytest.raises(ValueError, match="cost must be"):
        output_delta_point(1.0, 0.0, "sigmoid", "hinge")


def test_saturation_threshold_matches_the_closed_forms():
    # sigma' = peak (1 - u^2) with u = tanh(z/2) for the sigmoid and u = tanh(z) for tanh,
    # so sigma'(z) = SATURATED * peak where u = sqrt(1 - SATURATED).
    u = np.sqrt(1 - SATURATED)
    assert saturation_threshold("sigmoid") == pytest.approx(2 * np.arctanh(u), rel=1e-10)
    assert saturation_threshold("tanh") == pytest.approx(np.arctanh(u), rel=1e-10)


def test_remarks_tell_slow_from_fast_learning():
    slow = output_delta_point(6.0, 0.0, "sigmoid", "quadratic")
    assert slow.saturated and slow.wrong and "learns slowly" in remark(slow)
    fast = output_delta_point(6.0, 0.0, "sigmoid", "cross_entropy")
    assert fast.saturated and fast.wrong and "learns fast" in remark(fast)
    healthy = output_delta_point(0.5, 0.0, "sigmoid", "quadratic")
    assert not healthy.saturated and "healthy" in remark(healthy)
    right = output_delta_point(-6.0, 0.0, "sigmoid", "quadratic")
    assert right.saturated and not right.wrong and "on target" in remark(right)
    saturated_right_ish = output_delta_point(3.0, 0.9, "tanh", "quadratic")
    assert saturated_right_ish.saturated and not saturated_right_ish.wrong
    assert "barely moves" in remark(saturated_right_ish)


# ----- the widget: set each control from Python, read back the figure and the readout -------------
def marker(line):
    x, y = line.get_data()
    return float(np.asarray(x)[0]), float(np.asarray(y)[0])


def test_defaults_show_a_saturated_wrong_sigmoid_output():
    w = OutputDeltaExplorer()
    assert (w.activation.value, w.cost.value, w.z.value, w.y.value) == ("sigmoid", "quadratic", 4.0, 0.0)
    np.testing.assert_allclose(w.sigma.get_ydata(), 1 / (1 + np.exp(-w.grid)), rtol=1e-12)
    assert "learns slowly" in w.readout.value
    assert f"{w.result.delta:.4g}" in w.readout.value
    assert bytes(w.view.image.value[:4]) == b"\x89PNG"


def test_moving_z_moves_every_marker_and_the_readout():
    w = OutputDeltaExplorer()
    before = bytes(w.view.image.value)
    w.z.value = -1.5
    a = 1 / (1 + np.exp(1.5))
    assert marker(w.dots["a"]) == pytest.approx((-1.5, a))
    assert marker(w.dots["prime"]) == pytest.approx((-1.5, a * (1 - a)))
    assert marker(w.dots["delta"]) == pytest.approx((-1.5, a * (1 - a) * a))
    assert w.z_lines[0].get_xdata()[0] == pytest.approx(-1.5)
    assert f"{a * (1 - a) * a:.4g}" in w.readout.value and "healthy" in w.readout.value
    assert bytes(w.view.image.value) != before


def test_target_changes_the_delta_curve():
    w = OutputDeltaExplorer()
    w.y.value = 1.0
    a = 1 / (1 + np.exp(-w.grid))
    np.testing.assert_allclose(w.delta.get_ydata(), a * (1 - a) * (a - 1.0), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(w.error.get_ydata(), a - 1.0)
    assert w.target.get_ydata()[0] == 1.0
    assert "y = 1" in w.ax_delta.get_title()


def test_cross_entropy_makes_delta_the_error():
    w = OutputDeltaExplorer(z=6.0)
    w.cost.value = "cross_entropy"
    np.testing.assert_allclose(w.delta.get_ydata(), w.error.get_ydata(), rtol=1e-9, atol=1e-12)
    assert "learns fast" in w.readout.value
    assert w.result.delta == pytest.approx(w.result.a - 0.0)


def test_switching_to_tanh_redraws_and_widens_the_target_range():
    w = OutputDeltaExplorer(y=0.5)
    w.activation.value = "tanh"
    np.testing.assert_allclose(w.sigma.get_ydata(), np.tanh(w.grid))
    np.testing.assert_allclose(w.prime.get_ydata(), 1 - np.tanh(w.grid) ** 2)
    assert (w.y.min, w.y.max) == (-1.0, 1.0) and w.y.value == 0.5
    assert w.spans[1].get_x() == pytest.approx(saturation_threshold("tanh"))
    w.y.value = -1.0
    w.activation.value = "sigmoid"  # -1 is outside the sigmoid's range: y moves to 0
    assert (w.y.min, w.y.value) == (0.0, 0.0)
    assert w.result.y == 0.0 and w.target.get_ydata()[0] == 0.0


def test_tanh_with_cross_entropy_shows_a_message_not_a_traceback():
    w = OutputDeltaExplorer(activation="tanh", y=-1.0)
    w.cost.value = "cross_entropy"
    assert w.result is None
    assert "Cannot show this" in w.readout.value and "tanh" in w.readout.value
    assert np.all(np.isnan(w.delta.get_ydata()))
    np.testing.assert_allclose(w.sigma.get_ydata(), np.tanh(w.grid))  # the left panel stays right
    w.activation.value = "sigmoid"  # and the widget recovers
    assert w.result is not None and w.result.delta == pytest.approx(w.result.a - w.result.y)
    assert not np.any(np.isnan(w.delta.get_ydata()))


def test_constructor_overrides_every_default_and_rejects_bad_values():
    w = OutputDeltaExplorer(activation="tanh", z=-3.0, y=1.0, cost="quadratic", z_max=5.0)
    assert (w.activation.value, w.z.value, w.y.value, w.z.max) == ("tanh", -3.0, 1.0, 5.0)
    assert w.grid[0] == -5.0 and w.ax_sigma.get_xlim() == (-5.0, 5.0)
    assert w.result.delta == pytest.approx((1 - np.tanh(-3.0) ** 2) * (np.tanh(-3.0) - 1.0))
    for kwargs, message in [({"activation": "relu"}, "activation"), ({"cost": "hinge"}, "cost"),
                            ({"z": 9.0}, "z must be"), ({"y": -0.5}, "y must be"), ({"z_max": 100}, "z_max"),
                            ({"z": "big"}, "z must be")]:
        with pytest.raises(ValueError, match=message):
            OutputDeltaExplorer(**kwargs)
