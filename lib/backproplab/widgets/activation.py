"""Notebook 00's widget: an activation, its slope, and a central difference of it.

Pick sigma (sigmoid or tanh), a point ``z0`` and a step ``eps``.  The left panel shows
sigma(z) with its tangent at ``z0`` (slope sigma'(z0)) and the secant through ``z0 - eps``
and ``z0 + eps`` (slope: the central difference ``(sigma(z0 + eps) - sigma(z0 - eps)) / (2 eps)``).

The right panel shows sigma'(z) itself: far from 0 the curve is flat (the neuron is
*saturated*) and the slope is nearly 0, which is why saturated neurons learn slowly.

The pure functions compute every number and every curve; :class:`ActivationExplorer`
only connects the controls to them (so the tests need no browser).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import ipywidgets as widgets
import numpy as np

from ..activations import get_activation
from ..plots import COLORS, new_figure
from .common import FigureView, readout

SATURATED = 0.1  # a slope below 10% of the steepest one counts as saturated
HALF_WIDTH = 2.5  # the tangent and the secant are drawn on z0 +- this (or wider, to reach z0 +- eps)


@dataclass(frozen=True)
class PointResult:
    """Everything the explorer shows about sigma at one point ``z0`` (all floats but the name).

    ``sigma`` is sigma(z0); ``prime`` is sigma'(z0) from the library's formula (the tangent's
    slope); ``estimate`` is the central difference ``(sigma(z0 + eps) - sigma(z0 - eps)) / (2 eps)``
    (the secant's slope); ``error`` is ``|estimate - prime|``; ``steepest`` is the largest slope
    of sigma anywhere (sigma'(0) for sigmoid and tanh).
    """

    activation: str
    z0: float
    eps: float
    sigma: float
    prime: float
    estimate: float
    error: float
    steepest: float

    @property
    def relative_slope(self) -> float:
        """sigma'(z0) as a fraction of the steepest slope (1 at the centre, near 0 when saturated)."""
        return self.prime / self.steepest

    @property
    def saturated(self) -> bool:
        """True when sigma'(z0) is below ``SATURATED`` times the steepest slope."""
        return self.relative_slope < SATURATED


def as_finite(value, name, positive=False) -> float:
    """``value`` as a float; ``ValueError`` naming ``name`` unless it is finite (and > 0)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0 (it is the step of the central difference), got {value!r}")
    return float(value)


def curves(activation, z):
    """sigma(z) and sigma'(z) on a grid ``z`` of shape (n,); returns two arrays of shape (n,)."""
    act = get_activation(activation)
    return act.sigma(z), act.prime(z)


def tangent_line(z, z0, sigma0, slope):
    """The line through ``(z0, sigma0)`` with the given slope, at every ``z``: shape of ``z``."""
    return sigma0 + slope * (np.asarray(z, dtype=float) - z0)


def local_grid(z0, eps, n=101):
    """Where to draw the tangent and the secant: ``n`` points around ``z0``, shape (n,).

    The segment spans ``z0 +- HALF_WIDTH``, widened to reach past both secant points.
    """
    half = max(HALF_WIDTH, 1.25 * eps)
    return np.linspace(z0 - half, z0 + half, n)


def secant_points(activation, z0, eps):
    """The secant's points: ``z = [z0 - eps, z0 + eps]`` and ``sigma(z)``, each of shape (2,)."""
    act = get_activation(activation)
    z = np.array([z0 - eps, z0 + eps])
    return z, act.sigma(z)


def analyse_point(activation, z0, eps, z_max=8.0) -> PointResult:
    """sigma, sigma' and the central-difference estimate of sigma' at ``z0``.

    ``activation`` is a name or an Activation, ``z0`` a float, ``eps > 0`` the step; the
    steepest slope is searched on ``[-z_max, z_max]``.  Raises ``ValueError`` for an unknown
    activation, a non-finite ``z0`` or an ``eps`` that is not > 0.
    """
    act = get_activation(activation)
    z0, eps = as_finite(z0, "z0"), as_finite(eps, "eps", positive=True)
    _, (s_minus, s_plus) = secant_points(act, z0, eps)
    estimate = float((s_plus - s_minus) / (2 * eps))  # central difference
    prime = float(act.prime(z0))
    steepest = float(np.max(act.prime(np.linspace(-z_max, z_max, 801))))
    return PointResult(act.name, z0, eps, float(act.sigma(z0)), prime, estimate, abs(estimate - prime), steepest)


def describe(result: PointResult) -> str:
    """The readout as HTML: sigma(z0), sigma'(z0), the estimate, its error, saturation."""
    r = result
    text = (f"<b>{r.activation}</b> at z<sub>0</sub> = {r.z0:.2f}: &nbsp; "
            f"&sigma;(z<sub>0</sub>) = {r.sigma:.6f}, &nbsp; "
            f"<b>&sigma;'(z<sub>0</sub>) = {r.prime:.6f}</b> (tangent slope)<br>"
            f"central difference with &epsilon; = {r.eps:.1e}: {r.estimate:.6f} (secant slope), "
            f"&nbsp; error |estimate &minus; &sigma;'(z<sub>0</sub>)| = {r.error:.1e}<br>"
            f"slope = {100 * r.relative_slope:.1f}% of the steepest slope ({r.steepest:g} at z = 0)")
    if r.saturated:
        text += (f" &mdash; <span style='color:{COLORS['vermillion']}'><b>saturated</b>: "
                 "a small change in z barely changes &sigma;(z)</span>")
    return text


def y_limits(values, pad=0.12):
    """Axis limits around ``values`` and 0, with a margin of ``pad`` times their range."""
    lo, hi = min(float(np.min(values)), 0.0), max(float(np.max(values)), 0.0)
    return lo - pad * (hi - lo), hi + pad * (hi - lo)


class ActivationExplorer:
    """sigma(z) with its tangent and a secant at ``z0``, and sigma'(z) beside it.

    Parameters
    ----------
    activation : str, one of ``choices``, the activation shown first
    z0 : float in ``[-z_max, z_max]``, where the tangent touches
    eps : float in ``[1e-12, 3]``, the step of the central difference (a log slider)
    choices : sequence of str, the activations offered
    z_max : float, the z axis runs over ``[-z_max, z_max]``

    Attributes
    ----------
    activation, z0, eps : ipywidgets controls (set ``.value`` from Python to drive it)
    widget : ipywidgets.VBox, the box to display
    figure : matplotlib Figure; ``figure.axes[0]`` is sigma, ``figure.axes[1]`` is sigma'
    artists : dict of the matplotlib artists that are updated
    result : PointResult, the last one computed (None if the last input was rejected)
    """

    def __init__(self, activation="sigmoid", z0=1.0, eps=1.0, choices=("sigmoid", "tanh"), z_max=8.0):
        choices = [get_activation(c).name for c in choices]
        act = get_activation(activation)
        if act.name not in choices:
            raise ValueError(f"activation {act.name!r} is not among the choices {choices}")
        z_max = as_finite(z_max, "z_max")
        if not (abs(as_finite(z0, "z0")) <= z_max and 1e-12 <= as_finite(eps, "eps", positive=True) <= 3.0):
            raise ValueError(f"need -z_max <= z0 <= z_max and 1e-12 <= eps <= 3, got z0={z0!r}, "
                             f"eps={eps!r}, z_max={z_max!r}")
        self.z = np.linspace(-z_max, z_max, 801)
        self.z_max = z_max
        self.activation = widgets.ToggleButtons(options=choices, value=act.name, description="σ:")
        self.z0 = widgets.FloatSlider(value=z0, min=-z_max, max=z_max, step=0.05, description="z₀",
                                      continuous_update=False, readout_format=".2f")
        self.eps = widgets.FloatLogSlider(value=eps, base=10, min=-12, max=math.log10(3.0), step=0.1,
                                          description="ε", readout_format=".1e", continuous_update=False)
        self.figure, self.axes = new_figure(ncols=2, figsize=(10.5, 4.8))
        self._draw()
        self.view, self.readout, self.result = None, readout(), None
        self.update()
        self.view = FigureView(self.figure)  # renders the figure drawn by update()
        for control in (self.activation, self.z0, self.eps):
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([self.activation, widgets.HBox([self.z0, self.eps]),
                                    self.view.image, self.readout])

    def _draw(self):
        ax, axp = self.axes
        z, nan2 = self.z, np.full(2, np.nan)
        self.artists = {
            "sigma": ax.plot(z, z * 0, color=COLORS["blue"], label=r"$\sigma(z)$")[0],
            "tangent": ax.plot(z, z * 0, color=COLORS["vermillion"], lw=2,
                               label=r"tangent, slope $\sigma'(z_0)$")[0],
            "secant": ax.plot(z, z * 0, ":", color=COLORS["green"], lw=2.5,
                              label=r"secant, slope = central difference")[0],
            "secant_points": ax.plot(nan2, nan2, "s", color=COLORS["green"], ms=7)[0],
            "point": ax.plot([np.nan], [np.nan], "o", color=COLORS["vermillion"], ms=9, zorder=4)[0],
            "prime": axp.plot(z, z * 0, "--", color=COLORS["orange"], label=r"$\sigma'(z)$")[0],
            "prime_point": axp.plot([np.nan], [np.nan], "o", color=COLORS["vermillion"], ms=9, zorder=4,
                                    label=r"$\sigma'(z_0)$")[0],
            "estimate_point": axp.plot([np.nan], [np.nan], "x", color=COLORS["green"], ms=11, mew=2.5,
                                       zorder=5, label="central difference")[0],
            "z0_line": axp.axvline(0.0, color="gray", lw=1),
        }
        ax.set_xlabel("$z$")
        ax.set_ylabel(r"$\sigma(z)$")
        axp.set_xlabel("$z$")
        axp.set_ylabel(r"slope $\sigma'(z)$")
        axp.set_title(r"$\sigma'(z)$: flat and near 0 when $|z|$ is large")
        # one legend under both panels, where it never hides a curve
        self.figure.legend(loc="outside lower center", ncols=3, fontsize=12)
        for a in self.axes:
            a.set_xlim(-self.z_max, self.z_max)

    def update(self, change=None) -> None:
        """Recompute from the controls' values and redraw (the callback of every control)."""
        try:
            r = analyse_point(self.activation.value, self.z0.value, self.eps.value, self.z_max)
        except ValueError as exc:  # e.g. a non-finite value set from Python
            self.result = None
            self.readout.value = f"<span style='color:{COLORS['vermillion']}'>{exc}</span>"
            return
        self.result = r
        ax, axp = self.axes
        sigma, prime = curves(r.activation, self.z)
        a = self.artists
        a["sigma"].set_ydata(sigma)
        a["prime"].set_ydata(prime)
        z_near = local_grid(r.z0, r.eps)
        a["tangent"].set_data(z_near, tangent_line(z_near, r.z0, r.sigma, r.prime))
        z_pm, s_pm = secant_points(r.activation, r.z0, r.eps)
        # the secant passes through both points, so through their midpoint (z0, mean) too
        a["secant"].set_data(z_near, tangent_line(z_near, r.z0, s_pm.mean(), r.estimate))
        a["secant_points"].set_data(z_pm, s_pm)
        a["point"].set_data([r.z0], [r.sigma])
        a["prime_point"].set_data([r.z0], [r.prime])
        a["estimate_point"].set_data([r.z0], [r.estimate])
        a["z0_line"].set_xdata([r.z0, r.z0])
        ax.set_ylim(*y_limits(sigma))
        axp.set_ylim(*y_limits(prime))
        ax.set_title(rf"{r.activation}: tangent and secant at $z_0$ = {r.z0:.2f}")
        if self.view is not None:
            self.view.refresh()
        self.readout.value = describe(r)

    def _repr_mimebundle_(self, **kwargs):
        # Displaying the explorer displays its widget, with a short text form: the box's own
        # repr would spell out the PNG bytes of the picture in the notebook file.
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        return (f"ActivationExplorer(activation={self.activation.value!r}, z0={self.z0.value:.2f}, "
                f"eps={self.eps.value:.1e})")
