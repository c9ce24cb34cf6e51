"""Notebook 00's ActivationExplorer: its pure functions, then the widget's callbacks."""
import math

import numpy as np
import pytest

from backproplab.widgets.activation import (
    ActivationExplorer, analyse_point, curves, describe, local_grid, secant_points, tangent_line)


# Independent references: the textbook formulas, not the library's functions.
def sigmoid_ref(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


REFERENCE = {"sigmoid": sigmoid_ref, "tanh": np.tanh}


def slope_by_finite_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


# ----- pure functions ---------------------------------------------------------------
@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_curves_are_sigma_and_its_slope(name):
    z = np.linspace(-8, 8, 161)
    sigma, prime = curves(name, z)
    np.testing.assert_allclose(sigma, REFERENCE[name](z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(prime, slope_by_finite_difference(REFERENCE[name], z), rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
@pytest.mark.parametrize("z0", [-5.0, -0.7, 0.0, 1.3, 6.0])
def test_analyse_point_against_the_textbook_formulas(name, z0):
    f = REFERENCE[name]
    eps = 0.3
    r = analyse_point(name, z0, eps)
    assert r.sigma == pytest.approx(f(z0), rel=1e-12)
    assert r.prime == pytest.approx(slope_by_finite_difference(f, z0), rel=1e-6, abs=1e-10)
    assert r.estimate == pytest.approx((f(z0 + eps) - f(z0 - eps)) / (2 * eps), rel=1e-12)
    assert r.error == pytest.approx(abs(r.estimate - r.prime), rel=1e-12)
    assert r.steepest == pytest.approx({"sigmoid": 0.25, "tanh": 1.0}[name], rel=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_central_difference_error_shrinks_like_eps_squared(name):
    # truncation error ~ |sigma'''(z0)| eps^2 / 6: ten times smaller eps, a hundred times smaller error
    e1, e2 = analyse_point(name, 0.8, 1e-2).error, analyse_point(name, 0.8, 1e-3).error
    assert 80 < e1 / e2 < 120


def test_tiny_eps_is_spoiled_by_rounding():
    # below the sweet spot rounding error ~ 1e-16 / eps takes over: eps = 1e-12 is worse than 1e-5
    assert analyse_point("sigmoid", 0.8, 1e-12).error > 100 * analyse_point("sigmoid", 0.8, 1e-5).error


def test_saturation_flags_large_z_only():
    assert not analyse_point("sigmoid", 0.0, 1e-4).saturated
    assert analyse_point("sigmoid", 0.0, 1e-4).relative_slope == pytest.approx(1.0)
    sat = analyse_point("sigmoid", 5.0, 1e-4)
    assert sat.saturated and sat.relative_slope == pytest.approx(4 * sigmoid_ref(5) * (1 - sigmoid_ref(5)))
    assert analyse_point("tanh", -3.0, 1e-4).saturated


def test_tangent_line_touches_at_z0_with_the_given_slope():
    z = np.array([-1.0, 0.5, 2.0, 4.0])
    y = tangent_line(z, 0.5, 0.3, -2.0)
    assert y[1] == pytest.approx(0.3)
    np.testing.assert_allclose(np.diff(y) / np.diff(z), -2.0)


def test_secant_points_and_local_grid():
    z, s = secant_points("tanh", 1.0, 0.25)
    np.testing.assert_allclose(z, [0.75, 1.25])
    np.testing.assert_allclose(s, np.tanh([0.75, 1.25]))
    g = local_grid(1.0, 0.1)
    assert g[0] == pytest.approx(-1.5) and g[-1] == pytest.approx(3.5)
    wide = local_grid(0.0, 3.0)  # widened to reach beyond both secant points
    assert wide[0] < -3.0 and wide[-1] > 3.0


@pytest.mark.parametrize("kwargs,message", [
    (dict(activation="softsign", z0=0.0, eps=0.1), "unknown activation 'softsign'"),
    (dict(activation="tanh", z0=math.nan, eps=0.1), "z0 must be a finite number"),
    (dict(activation="tanh", z0=0.0, eps=0.0), "eps must be > 0"),
    (dict(activation="tanh", z0=0.0, eps="big"), "eps must be a finite number"),
])
def test_bad_input_is_a_readable_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analyse_point(**kwargs)


def test_describe_reports_the_numbers_and_saturation():
    r = analyse_point("sigmoid", 5.0, 1e-3)
    text = describe(r)
    assert f"{r.prime:.6f}" in text and f"{r.estimate:.6f}" in text and f"{r.error:.1e}" in text
    assert "saturated" in text
    assert "saturated" not in describe(analyse_point("sigmoid", 0.5, 1e-3))


# ----- the widget -------------------------------------------------------------------
def line(w, key):
    return w.artists[key]


@pytest.fixture(scope="module")
def explorer():
    return ActivationExplorer()


def test_defaults_and_overrides():
    w = ActivationExplorer(activation="tanh", z0=-2.0, eps=1e-3)
    assert (w.activation.value, w.z0.value, w.eps.value) == ("tanh", -2.0, pytest.approx(1e-3))
    assert w.result.activation == "tanh" and w.result.z0 == -2.0
    assert w.widget.children  # something to display
    assert "ActivationExplorer(activation='tanh'" in repr(w)
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "PNG" not in bundle["text/plain"]


@pytest.mark.parametrize("kwargs,message", [
    (dict(activation="relu"), "not among the choices"),
    (dict(z0=20.0), "z0 <= z_max"),
    (dict(eps=-1.0), "eps must be > 0"),
])
def test_constructor_rejects_bad_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ActivationExplorer(**kwargs)


def test_switching_activation_redraws_both_curves(explorer):
    w = explorer
    w.activation.value = "tanh"
    z = line(w, "sigma").get_xdata()
    np.testing.assert_allclose(line(w, "sigma").get_ydata(), np.tanh(z), atol=1e-12)
    np.testing.assert_allclose(line(w, "prime").get_ydata(), slope_by_finite_difference(np.tanh, z),
                               rtol=1e-6, atol=1e-10)
    assert w.figure.axes[0].get_ylim()[0] < -1.0 < 1.0 < w.figure.axes[0].get_ylim()[1]
    assert "tanh" in w.figure.axes[0].get_title() and "tanh" in w.readout.value
    w.activation.value = "sigmoid"
    np.testing.assert_allclose(line(w, "sigma").get_ydata(), sigmoid_ref(z), atol=1e-12)
    assert w.figure.axes[0].get_ylim()[1] < 1.5


def test_moving_z0_moves_the_tangent_and_the_markers(explorer):
    w = explorer
    w.activation.value = "sigmoid"
    w.z0.value = -4.5
    zt, yt = line(w, "tangent").get_xdata(), line(w, "tangent").get_ydata()
    slope = np.polyfit(zt, yt, 1)[0]
    expected_slope = slope_by_finite_difference(sigmoid_ref, -4.5)
    assert slope == pytest.approx(expected_slope, rel=1e-6)
    assert np.interp(-4.5, zt, yt) == pytest.approx(sigmoid_ref(-4.5), rel=1e-9)
    assert list(line(w, "point").get_xdata()) == [-4.5]
    assert line(w, "prime_point").get_ydata()[0] == pytest.approx(expected_slope, rel=1e-6)
    assert list(line(w, "z0_line").get_xdata()) == [-4.5, -4.5]
    assert f"{expected_slope:.6f}" in w.readout.value and "saturated" in w.readout.value
    w.z0.value = 0.0
    assert "saturated" not in w.readout.value
    assert np.polyfit(line(w, "tangent").get_xdata(), line(w, "tangent").get_ydata(), 1)[0] == pytest.approx(0.25)


def test_eps_moves_the_secant_points_and_sets_the_secant_slope(explorer):
    w = explorer
    w.activation.value, w.z0.value = "tanh", 0.5
    w.eps.value = 1.0
    zs, ys = line(w, "secant_points").get_xdata(), line(w, "secant_points").get_ydata()
    np.testing.assert_allclose(zs, [-0.5, 1.5])
    np.testing.assert_allclose(ys, np.tanh([-0.5, 1.5]))
    secant = np.polyfit(line(w, "secant").get_xdata(), line(w, "secant").get_ydata(), 1)
    assert secant[0] == pytest.approx((np.tanh(1.5) - np.tanh(-0.5)) / 2, rel=1e-9)
    assert np.polyval(secant, 1.5) == pytest.approx(np.tanh(1.5), rel=1e-9)  # passes through the points
    big_error = w.result.error
    assert line(w, "estimate_point").get_ydata()[0] == pytest.approx(w.result.estimate)
    w.eps.value = 1e-3
    assert w.result.error < big_error / 1e4  # eps^2: 1e6 times smaller, up to the third derivative
    assert "1.0e-03" in w.readout.value


def test_non_finite_value_gives_a_message_not_a_traceback(explorer):
    w = explorer
    w.activation.value, w.z0.value, w.eps.value = "sigmoid", 1.0, 0.5
    tangent_before = line(w, "tangent").get_ydata().copy()
    w.z0.value = math.nan  # the slider lets NaN through (every comparison with NaN is False)
    assert "z0 must be a finite number" in w.readout.value and w.result is None
    np.testing.assert_array_equal(line(w, "tangent").get_ydata(), tangent_before)  # picture unchanged
    w.z0.value = 2.0
    assert w.result.z0 == 2.0 and "must be" not in w.readout.value
    w.eps.value = math.nan
    assert "eps must be a finite number" in w.readout.value
    w.eps.value = 0.5
    assert w.result.eps == 0.5
