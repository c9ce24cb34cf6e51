"""The sensitivity widget of notebook 02: nudge one weighted input z[l]_j, watch the cost.

``delta[l]_j = dC/dz[l]_j`` (21) says how fast the cost changes when ``z[l]_j`` moves, so a
small nudge ``h`` changes the cost by about ``delta[l]_j h``.  The pure functions compute
both sides: the actual cost after the nudge (running the rest of the network forward from
layer ``l``) and the prediction from backpropagation's deltas (22), (23).

Layers and neurons are numbered as in the notes: layer ``l = 2, ..., L`` (layer 1 is the
input) and neuron ``j = 1, ..., n_l``.  The library indexes layers by the same numbers
(``trace.z[l]``, ``net.weights[l]``); only a neuron ``j`` is entry ``j-1`` of its vector.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import ipywidgets as widgets
import matplotlib.ticker as ticker
import numpy as np

from .. import validation
from ..data import load_dataset
from ..network import Network
from ..plots import COLORS, new_figure
from .common import FigureView, enforce_ranges, on_change, panel, readout

WIDE_LABEL = {"description_width": "initial"}  # show a control's whole description


# ----- the model: pure functions ---------------------------------------------------
def check_unit(net, layer, neuron) -> None:
    """A readable ``ValueError`` unless ``2 <= layer <= L`` and ``1 <= neuron <= n_layer``."""
    L = len(net.sizes)
    if isinstance(layer, bool) or not isinstance(layer, Integral) or not 2 <= layer <= L:
        raise ValueError(f"layer must be an integer from 2 to L = {L} (layer 1 is the input: it has no z), "
                         f"got {layer!r}")
    n_l = net.sizes[layer - 1]
    if isinstance(neuron, bool) or not isinstance(neuron, Integral) or not 1 <= neuron <= n_l:
        raise ValueError(f"layer {layer} has {n_l} neurons, so neuron must be an integer from 1 to {n_l}, "
                         f"got {neuron!r}")


def forward_from(net, layer, z):
    """The output ``a[L]`` when layer ``layer``'s weighted input is ``z`` (notes' numbering).

    Runs (20) at that layer, then (19) and (20) for every later one: the only path by which
    ``z[layer]`` reaches the cost.  ``z`` is (n_l,) or (m, n_l); returns (n_L,) or (m, n_L).
    """
    L = len(net.sizes)

    def sigma(l):  # the output layer may have its own activation
        return (net.output_activation if l == L else net.activation).sigma

    a = sigma(layer)(z)  # (20)
    for l in range(layer + 1, L + 1):
        W, b = net.weights[l], net.biases[l]
        a = sigma(l)(a @ W.T + b)  # (19) z = W a + b (for rows: a @ W^T + b), then (20)
    return a


def cost_after_nudge(net, x, y, layer, neuron, h):
    """The cost of the sample ``(x, y)`` after adding ``h`` to ``z[layer]_neuron``, all else fixed.

    Parameters
    ----------
    net : Network
    x : array_like of shape (n_1,); y : array_like of shape (n_L,)
    layer, neuron : int
        ``l`` and ``j`` in the notes' numbering: ``2 <= l <= L``, ``1 <= j <= n_l``.
    h : float or ndarray of shape (m,)

    Returns
    -------
    float, or ndarray of shape (m,) for an array of nudges
    """
    check_unit(net, layer, neuron)
    x, y = validation.as_pair(x, y, net.sizes[0], net.sizes[-1])
    if x.ndim != 1:
        raise ValueError(f"x must be one sample of shape ({net.sizes[0]},), got shape {x.shape}")
    h = np.asarray(h, dtype=float)
    Z = np.tile(net.forward(x).z[layer], (h.size, 1))  # z[l], one row per nudge
    Z[:, neuron - 1] += h.ravel()
    C = net.cost_function.value(forward_from(net, layer, Z), y)
    return float(C[0]) if h.ndim == 0 else C


@dataclass
class Sensitivity:
    """One nudge ``h`` of ``z[layer]_neuron``: ``delta`` from backprop, the cost before and after,
    ``predicted = delta h``, ``actual = cost_nudged - cost``, ``ratio = actual / predicted``
    (nan when the prediction is 0); the curve ``C(h)`` and its tangent over ``hs`` (shape (n,));
    ``gap = |actual - predicted|`` for nudges of size ``gap_hs`` (shape (m,)) on ``h``'s side."""

    layer: int
    neuron: int
    h: float
    delta: float
    cost: float
    cost_nudged: float
    predicted: float
    actual: float
    ratio: float
    hs: np.ndarray
    curve: np.ndarray
    tangent: np.ndarray
    gap_hs: np.ndarray
    gap: np.ndarray


def sensitivity(net, x, y, layer, neuron, h, h_max=3.0, n_points=201, n_gap=41) -> Sensitivity:
    """Compare the change of ``C`` under a nudge ``h`` of ``z[l]_j`` with ``delta[l]_j h``.

    Arguments as for :func:`cost_after_nudge`; the curve covers ``-h_max <= h <= h_max``.
    """
    check_unit(net, layer, neuron)
    if not np.isfinite(h):
        raise ValueError(f"the nudge h must be a finite number, got {h!r}")
    delta = float(net.deltas(x, y)[layer][neuron - 1])
    cost, cost_nudged = cost_after_nudge(net, x, y, layer, neuron, np.array([0.0, h]))
    predicted, actual = delta * h, cost_nudged - cost  # delta = dC/dz (21): first-order change
    hs = np.linspace(-h_max, h_max, n_points)
    gap_hs = np.logspace(-4, np.log10(h_max), n_gap)
    signed = gap_hs if h >= 0 else -gap_hs  # nudges on the same side as h
    gap = np.abs(cost_after_nudge(net, x, y, layer, neuron, signed) - cost - delta * signed)
    return Sensitivity(layer, neuron, float(h), delta, cost, cost_nudged, predicted, actual,
                       actual / predicted if predicted != 0 else float("nan"),
                       hs, cost_after_nudge(net, x, y, layer, neuron, hs), cost + delta * hs, gap_hs, gap)


def decade_label(value, _position=None) -> str:
    """A log-axis tick label such as ``1e-12`` in plain text (mathtext is slow to redraw)."""
    return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


# ----- the GUI: wiring only ----------------------------------------------------------
class SensitivityExplorer:
    """Pick a layer and a neuron, nudge its weighted input, compare the cost with the tangent.

    Parameters
    ----------
    net : Network, optional
        Default: Higham & Higham's 2-2-3-2 network, untrained, weights from ``seed``.
    x, y : ndarray of shape (n_1,) and (n_L,), optional
        The sample; default: Higham's data point number ``point`` (1 to 10).
    activation : {"sigmoid", "tanh"}, optional
        Swaps sigma in every layer, weights unchanged; default: the network's.
    layer, neuron : int
        Notes' numbering: layer 2 to L (hidden or output), neuron 1 to n_l.
    h : float
        The starting nudge, ``-h_max <= h <= h_max``.

    Attributes
    ----------
    activation, layer, neuron, h, point : the controls (Dropdown, Dropdown, IntSlider, FloatSlider, IntSlider)
    widget : the box to display
    figure : matplotlib Figure with axes ``ax_curve`` (C and its tangent) and ``ax_gap``
    result : Sensitivity, the last one computed
    """

    def __init__(self, net=None, x=None, y=None, activation=None, layer=3, neuron=3, h=1.0,
                 point=1, h_max=3.0, seed=0):
        self.h_max = float(h_max)
        self._X, self._Y = load_dataset("higham")
        self._base = Network([2, 2, 3, 2], seed=seed) if net is None else net
        check_unit(self._base, layer, neuron)
        if not (np.isfinite(self.h_max) and self.h_max > 0 and abs(h) <= self.h_max):
            raise ValueError(f"need h_max > 0 and -h_max <= h <= h_max, got h = {h!r}, h_max = {h_max!r}")
        if isinstance(point, bool) or not isinstance(point, Integral) or not 1 <= point <= len(self._X):
            raise ValueError(f"point must be an integer from 1 to {len(self._X)}, got {point!r}")
        self._sample = None if x is None else (np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        sizes = self._base.sizes
        activation = activation or self._base.activation.name
        self.activation = widgets.Dropdown(options=sorted({"sigmoid", "tanh", activation}), value=activation,
                                           description="σ")
        self.layer = widgets.Dropdown(description="layer l", value=layer, options=[
            (f"{l} ({'output' if l == len(sizes) else 'hidden'})", l) for l in range(2, len(sizes) + 1)])
        self.neuron = widgets.IntSlider(value=neuron, min=1, max=sizes[layer - 1], description="neuron j",
                                        style=WIDE_LABEL)
        self.h = widgets.FloatSlider(value=h, min=-self.h_max, max=self.h_max, step=0.01, description="nudge h",
                                     style=WIDE_LABEL)
        self.point = widgets.IntSlider(value=point, min=1, max=len(self._X), description="data point",
                                       style=WIDE_LABEL, disabled=x is not None)
        self.text = readout()
        self._build_figure()
        self.view = FigureView(self.figure)
        self.figure.set_layout_engine(None)  # keep the first layout: redraws are twice as fast
        self.widget = panel([[self.activation, self.layer, self.neuron], [self.h, self.point]], self.view, self.text,
                            "SensitivityExplorer: nudge z[l]_j by h and compare the change of C with delta * h")
        self.result, self._busy, self.notes = None, False, []
        on_change([self.activation, self.layer, self.neuron, self.h, self.point], self._on_change)
        self.update()

    @property
    def net(self):
        """The network with the chosen activation: the same weights, sigma swapped."""
        base = self._base
        output = None if base.output_activation == base.activation else base.output_activation
        return Network.from_parameters(base.weights, base.biases, activation=self.activation.value,
                                       output_activation=output, cost=base.cost_function)

    @property
    def sample(self):
        """The input ``x`` (n_1,) and target ``y`` (n_L,) being used."""
        return self._sample or (self._X[self.point.value - 1], self._Y[self.point.value - 1])

    def _build_figure(self):
        # Plain-text labels: mathtext would be parsed again at every redraw, which is slow.
        self.figure, (self.ax_curve, self.ax_gap) = new_figure(ncols=2, figsize=(10.5, 4.2))
        ax = self.ax_curve
        self.curve_line, = ax.plot([], [], color=COLORS["blue"], label="cost C after the nudge")
        self.tangent_line, = ax.plot([], [], "--", color=COLORS["orange"], label="tangent C + δ·h")
        self.gap_line, = ax.plot([], [], ":", color=COLORS["black"], lw=1.5)
        self.actual_dot, = ax.plot([], [], "o", color=COLORS["blue"], zorder=4)
        self.predicted_dot, = ax.plot([], [], "o", mfc="white", color=COLORS["orange"], zorder=4)
        ax.axvline(0, color="gray", lw=0.8)
        ax.set_xlabel("nudge h added to the weighted input z")
        ax.set_ylabel("cost C")
        ax.legend(loc="best", fontsize=11)
        ax = self.ax_gap
        self.gap_curve, = ax.loglog([], [], color=COLORS["vermillion"], label="|actual − predicted|")
        self.h2_line, = ax.loglog([], [], "--", color="gray", lw=1.5, label="slope 2, ∝ h²")
        self.gap_dot, = ax.loglog([], [], "o", color=COLORS["vermillion"])
        ax.set_xlim(1e-4, self.h_max)
        ax.set_ylim(1e-12, 1.0)  # placeholder with the widest tick labels, for the first layout
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(ticker.LogLocator(numticks=6))
            axis.set_minor_locator(ticker.NullLocator())
            axis.set_major_formatter(ticker.FuncFormatter(decade_label))
        ax.set_xlabel("size of the nudge |h|")
        ax.set_ylabel("|ΔC − δ·h|")
        ax.set_title("The gap shrinks like h²")
        ax.legend(loc="upper left", fontsize=11)

    def _on_change(self, change):
        if self._busy:
            return
        self._busy = True  # clamping a control would redraw once more: redraw once, below
        try:  # the neuron's range follows the layer's width; every value is checked here, in the kernel
            n_l = self._base.sizes[self.layer.value - 1]
            self.notes = enforce_ranges([(self.neuron, 1, n_l, "neuron j"), (self.h, -self.h_max, self.h_max, "nudge h"),
                                         (self.point, 1, len(self._X), "data point")])
        finally:
            self._busy = False
        self.update()

    def update(self):
        """Recompute with the current control values and redraw."""
        try:
            r = sensitivity(self.net, *self.sample, self.layer.value, self.neuron.value, self.h.value,
                            h_max=self.h_max)
        except ValueError as exc:
            self.text.value = f"<b>Cannot compute:</b> {exc}"
            return
        self.result = r
        self.curve_line.set_data(r.hs, r.curve)
        self.tangent_line.set_data(r.hs, r.tangent)
        self.actual_dot.set_data([r.h], [r.cost_nudged])
        self.predicted_dot.set_data([r.h], [r.cost + r.predicted])
        self.gap_line.set_data([r.h, r.h], [r.cost_nudged, r.cost + r.predicted])
        self.ax_curve.relim()
        self.ax_curve.autoscale_view()
        self.ax_curve.set_title(f"Neuron {r.neuron} of layer {r.layer}: slope at h = 0 is δ = {r.delta:.3g}",
                                fontsize=13)
        shown = r.gap > 0  # an exact 0 cannot go on a log axis
        self.gap_curve.set_data(r.gap_hs[shown], r.gap[shown])
        self.gap_curve.set_label(f"|actual − predicted|, {'h > 0' if r.h >= 0 else 'h < 0'}")
        gap_now = abs(r.actual - r.predicted)
        self.gap_dot.set_data(([abs(r.h)], [gap_now]) if r.h != 0 and gap_now > 0 else ([], []))
        if shown.any():  # a guide of slope 2 through a point a third of the way along the curve
            i = np.flatnonzero(shown)[shown.sum() // 3]
            self.h2_line.set_data(r.gap_hs, r.gap[i] * (r.gap_hs / r.gap_hs[i]) ** 2)
            low, high = r.gap[shown].min(), max(r.gap[shown].max(), gap_now)
            self.ax_gap.set_ylim(10 ** np.floor(np.log10(low)), 10 ** np.ceil(np.log10(high) + 0.3))
        self.ax_gap.legend(loc="upper left", fontsize=11)
        self.view.refresh()
        ratio = "undefined (h = 0 or δ = 0)" if np.isnan(r.ratio) else f"{r.ratio:.4f}"
        equation = "(22)" if r.layer == len(self._base.sizes) else "(23)"
        self.text.value = (
            f"δ<sup>[{r.layer}]</sup><sub>{r.neuron}</sub> = {r.delta:.6f} from backprop {equation}<br>"
            f"h = {r.h:.2f}: predicted change δ·h = {r.predicted:.6f}, actual change C(h) − C(0) = "
            f"{r.actual:.6f}, actual / predicted = {ratio}, difference = {r.actual - r.predicted:.2e}"
            + "".join(f"<br>{note}." for note in self.notes))
