"""The widget of notebook 01: one output neuron's delta (22) as its weighted input moves.

Left panel: ``a = sigma(z)`` and ``sigma'(z)``, the saturated zones (``sigma'`` below 10% of
its peak) shaded.  Right panel: ``delta = sigma'(z) dC/da`` (22) against ``z`` next to the
error ``a - y``.  Where the output is saturated and wrong, ``a - y`` is large but
``sigma'(z)`` tiny, so ``delta`` is tiny and the neuron learns slowly; with cross-entropy
``sigma'(z) = a (1 - a)`` cancels and ``delta = a - y`` (González 2018).

The pure functions compute everything; :class:`OutputDeltaExplorer` only wires controls to them.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Real

import ipywidgets as widgets
import numpy as np

from ..activations import get_activation
from ..costs import get_cost
from ..lemma import output_delta
from ..plots import COLORS, new_figure
from .common import FigureView, on_change, panel, readout

OUTPUT_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # the values a = sigma(z) can take
COST_CHOICES = (("quadratic", "quadratic"), ("cross-entropy", "cross_entropy"))
SATURATED = 0.1  # sigma'(z) below this fraction of its peak sigma'(0) counts as saturated
WRONG = 0.25  # |a - y| above this fraction of the output range counts as wrong
LEGEND = dict(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=11)  # below the axes
Z_LIMIT = 20.0  # beyond this sigma(z) rounds so close to its limits that sigma'(z) loses its digits


def goes_together(activation, cost) -> bool:
    """Cross-entropy needs an output in (0, 1): it goes with the sigmoid only."""
    return cost != "cross_entropy" or activation == "sigmoid"


def check_choice(activation, cost, pair=True):
    """A readable ``ValueError`` unless both names are known (and, if ``pair``, go together)."""
    if activation not in OUTPUT_RANGE:
        raise ValueError(f"activation must be one of {tuple(OUTPUT_RANGE)}, got {activation!r}")
    if cost not in dict(COST_CHOICES).values():
        raise ValueError(f"cost must be 'quadratic' or 'cross_entropy', got {cost!r}")
    if pair and not goes_together(activation, cost):
        raise ValueError("cross-entropy needs an output a in (0, 1), and tanh's lies in (-1, 1): choose the "
                         "sigmoid (exercise 3 of notebook 01 adapts cross-entropy to tanh)")


@dataclass(frozen=True)
class OutputDeltaPoint:
    """Everything (22) involves for one output neuron: weighted input ``z``, target ``y``,
    ``a = sigma(z)`` (20), ``prime = sigma'(z)``, ``error = a - y``, ``dC_da`` (``a - y``
    quadratic, ``(a - y) / (a (1 - a))`` cross-entropy), ``delta = sigma'(z) dC/da`` (22);
    ``saturated``: ``sigma'(z) < SATURATED sigma'(0)``; ``wrong``: ``|a - y| > WRONG (hi - lo)``."""

    activation: str
    cost: str
    z: float
    y: float
    a: float
    prime: float
    error: float
    dC_da: float
    delta: float
    saturated: bool
    wrong: bool


def output_delta_point(z, y, activation="sigmoid", cost="quadratic") -> OutputDeltaPoint:
    """Equation (22) for one output neuron with weighted input ``z`` and target ``y``."""
    check_choice(activation, cost)
    sigma, C = get_activation(activation), get_cost(cost)
    z, y = float(z), float(y)
    a, prime = float(sigma.sigma(z)), float(sigma.prime(z))  # (20) and sigma'
    dC_da = float(C.gradient(np.array([a]), np.array([y]))[0])
    delta = float(output_delta(np.array([z]), np.array([a]), np.array([y]), sigma, C)[0])  # (22)
    lo, hi = OUTPUT_RANGE[activation]
    return OutputDeltaPoint(activation, cost, z, y, a, prime, a - y, dC_da, delta,
                            saturated=prime < SATURATED * float(sigma.prime(0.0)),
                            wrong=abs(a - y) > WRONG * (hi - lo))


def output_delta_curves(z, y, activation="sigmoid", cost="quadratic") -> dict:
    """``a``, ``sigma'``, ``a - y`` and ``delta`` (22) at every point of the grid ``z``.

    ``z`` is an ndarray of shape (n,) and ``y`` a float; returns a dict of ndarrays of shape
    (n,) with keys ``"a"``, ``"prime"``, ``"error"``, ``"delta"``.  For a pair of activation
    and cost that does not go together, ``"error"`` and ``"delta"`` are NaN.
    """
    check_choice(activation, cost, pair=False)
    sigma = get_activation(activation)
    z = np.asarray(z, dtype=float)
    a, y = sigma.sigma(z), np.full_like(z, float(y))  # (20)
    if goes_together(activation, cost):
        error, delta = a - y, output_delta(z, a, y, sigma, cost)  # (22)
    else:
        error = delta = np.full_like(z, np.nan)
    return {"a": a, "prime": sigma.prime(z), "error": error, "delta": delta}


def saturation_threshold(activation) -> float:
    """The ``z > 0`` where ``sigma'(z)`` falls to ``SATURATED sigma'(0)``: beyond ``|z|`` = this, saturated.

    Bisection: ``sigma'`` decreases on ``z > 0`` for the sigmoid and for tanh."""
    prime = get_activation(activation).prime
    target, lo, hi = SATURATED * float(prime(0.0)), 0.0, Z_LIMIT
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if prime(mid) > target else (lo, mid)
    return 0.5 * (lo + hi)


def remark(p: OutputDeltaPoint) -> str:
    """A plain-language sentence on what ``delta`` means for learning at this point."""
    lo, hi = OUTPUT_RANGE[p.activation]
    if abs(p.error) < 0.01 * (hi - lo):
        return "The output is on target: a &asymp; y, so &delta; &asymp; 0 and there is nothing to learn."
    if p.cost == "cross_entropy":
        text = ("Cross-entropy: &sigma;&prime;(z) = a(1 &minus; a) cancels the denominator of dC/da, "
                "so &delta; = a &minus; y exactly.")
        if p.saturated and p.wrong:
            text += " The output is saturated and wrong, yet &delta; is large: this neuron learns fast."
        return text
    if p.saturated:
        return ("<b>Saturated and wrong:</b> the output is wrong but &sigma;&prime;(z) is tiny, so &delta; is tiny: "
                "this neuron learns slowly." if p.wrong else "Saturated: &sigma;&prime;(z) is tiny, so &delta; is "
                "much smaller than the error a &minus; y; a gradient step barely moves this neuron.")
    return ("Not saturated: &sigma;&prime;(z) is a sizeable fraction of its peak, so &delta; follows the "
            "error a &minus; y and the neuron learns at a healthy rate.")


def describe(p: OutputDeltaPoint) -> str:
    """The readout: the numbers of (22) in one row, then :func:`remark`."""
    dC = "a &minus; y" if p.cost == "quadratic" else "(a &minus; y)/(a(1 &minus; a))"
    cells = [("z", p.z), ("a = &sigma;(z)", p.a), ("&sigma;&prime;(z)", p.prime), ("a &minus; y", p.error),
             (f"dC/da = {dC}", p.dC_da), ("&delta; = &sigma;&prime;(z) dC/da", p.delta)]
    row = " &nbsp;|&nbsp; ".join(f"{name} = <b>{value:.4g}</b>" for name, value in cells)
    return f"{row}<br>{remark(p)}"


def _check_number(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, Real) or not low <= value <= high:  # bool is an int
        raise ValueError(f"{name} must be a number from {low:g} to {high:g} here, got {value!r}")


class OutputDeltaExplorer:
    """sigma(z), sigma'(z) and the output delta (22) of one output neuron, as ``z`` moves.

    Parameters
    ----------
    activation : {"sigmoid", "tanh"}; cost : {"quadratic", "cross_entropy"}
    z : float, initial weighted input ``z[L]``, within ``[-z_max, z_max]``
    y : float, initial target, in the output range ([0, 1] for the sigmoid, [-1, 1] for tanh)
    z_max : float, from 0.5 to 20: the slider and the plots cover ``[-z_max, z_max]``

    Attributes
    ----------
    activation, cost : ipywidgets.ToggleButtons; z, y : ipywidgets.FloatSlider
    widget : ipywidgets.VBox; figure : matplotlib.figure.Figure
        Axes ``ax_sigma`` (lines ``sigma``, ``prime``) and ``ax_delta`` (``delta``, ``error``).
    result : OutputDeltaPoint or None, the last computed point (None if the choice was invalid)
    """

    def __init__(self, activation="sigmoid", z=4.0, y=0.0, cost="quadratic", z_max=8.0):
        check_choice(activation, cost, pair=False)  # tanh with cross-entropy is shown as a message
        lo, hi = OUTPUT_RANGE[activation]
        _check_number("z_max", z_max, 0.5, Z_LIMIT)
        _check_number("z", z, -z_max, z_max)
        _check_number("y", y, lo, hi)
        self.activation = widgets.ToggleButtons(options=tuple(OUTPUT_RANGE), value=activation, description="σ")
        self.cost = widgets.ToggleButtons(options=COST_CHOICES, value=cost, description="cost")
        wide = widgets.Layout(width="420px")
        self.z = widgets.FloatSlider(value=z, min=-z_max, max=z_max, step=0.1, description="z", layout=wide)
        self.y = widgets.FloatSlider(value=y, min=lo, max=hi, step=0.05, description="target y", layout=wide)
        self.grid = np.linspace(-z_max, z_max, 401)
        self.figure, (self.ax_sigma, self.ax_delta) = new_figure(2, figsize=(11.0, 4.4))
        self._draw_empty()
        self.view = FigureView(self.figure)
        self.readout = readout()
        self.widget = panel([[self.activation, self.cost], [self.z, self.y]], self.view, self.readout,
                            "OutputDeltaExplorer: sigma'(z) and the output delta (22) as the output saturates")
        self.result, self._busy = None, False
        on_change([self.activation], self._on_activation)
        on_change([self.cost, self.z, self.y], self._update)
        self._update()

    def _draw_empty(self):
        ax, bx, z, nan = self.ax_sigma, self.ax_delta, self.grid, np.full_like(self.grid, np.nan)
        self.spans = [axis.axvspan(0, 0, color="0.88", zorder=0) for axis in (ax, ax, bx, bx)]
        self.spans[0].set_label(r"saturated: $\sigma'$ < 10% of its peak")
        self.sigma, = ax.plot(z, nan, color=COLORS["blue"], label=r"$a = \sigma(z)$")
        self.prime, = ax.plot(z, nan, "--", color=COLORS["orange"], label=r"$\sigma'(z)$")
        self.target = ax.axhline(0.0, color=COLORS["green"], ls=":", label="target $y$")
        self.error, = bx.plot(z, nan, "--", color="0.45", label=r"error $a - y$")
        self.delta, = bx.plot(z, nan, color=COLORS["vermillion"], label=r"$\delta = \partial C/\partial z$")
        self.dots = {name: axis.plot([], [], "o", color=line.get_color(), ms=10, zorder=4)[0] for name, axis, line in
                     (("a", ax, self.sigma), ("prime", ax, self.prime), ("error", bx, self.error),
                      ("delta", bx, self.delta))}
        self.z_lines = [axis.axvline(0.0, color="0.3", lw=1) for axis in (ax, bx)]
        bx.axhline(0, color="gray", lw=0.8)
        for axis in (ax, bx):
            axis.set_xlim(z[0], z[-1])
            axis.set_xlabel("weighted input $z$")
        ax.set_ylabel("value")
        bx.set_ylabel(r"$\delta$ and $a - y$")
        bx.legend(**LEGEND)

    def _on_activation(self, change):
        lo, hi = OUTPUT_RANGE[self.activation.value]
        self._busy = True  # moving y into the new range changes y too: redraw once, below
        self.y.value = min(max(self.y.value, lo), hi)  # both ranges lie within [-1, 1]
        self.y.min, self.y.max = lo, hi
        self._busy = False
        self._update()

    def _update(self, change=None):
        if self._busy:
            return
        activation, cost, z, y = self.activation.value, self.cost.value, self.z.value, self.y.value
        curves = output_delta_curves(self.grid, y, activation, cost)
        here = output_delta_curves(np.array([z]), y, activation, cost)
        try:
            self.result = output_delta_point(z, y, activation, cost)
            self.readout.value = describe(self.result)
            rule = r"$\sigma'(z)(a-y)$" if cost == "quadratic" else r"$a - y$ (cross-entropy)"
            title = f"$\\delta$ = {rule}, y = {y:g}: current $\\delta$ = {self.result.delta:.3g}"
        except ValueError as exc:
            self.result = None
            self.readout.value = f"<b>Cannot show this:</b> {exc}"
            title = "(no delta: see the message below)"
        for name, line in (("a", self.sigma), ("prime", self.prime), ("error", self.error), ("delta", self.delta)):
            line.set_ydata(curves[name])  # NaN (not drawn) where there is nothing to show
            self.dots[name].set_data([z], here[name])
        self.sigma.set_label(rf"$a = \sigma(z)$ = {activation}$(z)$")
        self.target.set_ydata([y, y])
        for line in self.z_lines:
            line.set_xdata([z, z])
        z_s = saturation_threshold(activation)
        for span, (x0, x1) in zip(self.spans, [(self.grid[0], -z_s), (z_s, self.grid[-1])] * 2):
            span.set_x(x0)
            span.set_width(max(x1 - x0, 0.0))
        lo, hi = OUTPUT_RANGE[activation]  # |a - y| and |delta| stay below hi - lo
        self.ax_sigma.set_ylim(lo - 0.08 * (hi - lo), hi + 0.08 * (hi - lo))
        self.ax_delta.set_ylim(-1.1 * (hi - lo), 1.1 * (hi - lo))
        self.ax_sigma.legend(**LEGEND)  # again: the sigma line's label names the activation
        self.ax_sigma.set_title(f"{activation}: flat where saturated, so $\\sigma'$ is tiny there")
        self.ax_delta.set_title(title)
        self.view.refresh()
