"""The widget of notebook 03: the bias gradient dC/db next to delta, equation (24).

For the chosen layer ``l`` (the notes' numbering, 2..L) the figure is a grouped bar chart
with, for every neuron ``j`` of that layer, three bars that (24) says are equal:

* ``dC/db_j`` by backpropagation (``net.gradients``);
* ``dC/db_j`` by central finite differences on the cost (``numerical_gradients``);
* ``delta_j`` from equations (22) and (23) alone (``net.deltas``).

For "all" data points the cost is the mean (9), so the gradient is the mean of the
per-sample sensitivities, drawn as dots side by side across each neuron's group of bars
(sample 1 on the left), filled for class 0 and open for class 1, so that every sample shows
even where two have the same delta.  Pure functions compute everything;
:class:`BiasGradientExplorer` only connects the controls to them.
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..data import load_dataset
from ..gradcheck import numerical_gradients, relative_error
from ..lemma import bias_gradient
from ..network import Network
from ..plots import COLORS, new_figure
from ..validation import as_pair
from .common import FigureView, on_change, panel, readout

ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu")
ALL = "all"
DOT_SPREAD = 0.36  # neuron j's per-sample dots spread over j - 0.36 ... j + 0.36, across its bars
DOT_SIZE = 30  # marker area in points^2


def select(X, Y, point):
    """The data the cost is taken over: all of ``(X, Y)`` for ``"all"``, else row ``point``."""
    if point == ALL:
        return X, Y
    if isinstance(point, (bool, np.bool_)) or not isinstance(point, (int, np.integer)) \
            or not 0 <= point < len(X):
        raise ValueError(f"data point must be {ALL!r} or an index from 0 to {len(X) - 1}, got {point!r}")
    return X[point], Y[point]


def check_layer(net, layer) -> int:
    """``layer`` as an int in 2..L (the notes' numbering), or a ValueError saying so."""
    L = len(net.sizes)
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)) or not 2 <= layer <= L:
        raise ValueError(f"layer must be an integer from 2 to {L} (the notes count the input as layer 1), "
                         f"got {layer!r}")
    return int(layer)


@dataclass
class BiasView:
    """What the widget shows for one choice of the controls.

    Attributes
    ----------
    layer : int
        The notes' layer number ``l``: the bias is ``net.biases[l]``.
    point : int or "all"
    backprop, numerical : ndarray of shape (n_l,)
        ``dC/db[l]`` by backpropagation and by central differences.
    deltas : ndarray of shape (n_samples, n_l)
        ``delta[l]`` of each sample (one row for a single data point).
    error : float
        Relative error between ``backprop`` and ``numerical``.
    """

    layer: int
    point: object
    backprop: np.ndarray
    numerical: np.ndarray
    deltas: np.ndarray
    error: float

    @property
    def delta(self) -> np.ndarray:
        """``delta[l]`` for one point; the mean over the samples for "all", shape (n_l,)."""
        return bias_gradient(self.deltas)  # (24), averaged over the batch as the cost (9) is

    @property
    def delta_error(self) -> float:
        """Relative error between ``delta`` and the finite-difference ``dC/db``."""
        return relative_error(self.delta, self.numerical)


def bias_view(net, X, Y, layer, point=ALL, eps=1e-6) -> BiasView:
    """The three versions of ``dC/db[l]`` for layer ``layer`` and data point ``point``."""
    layer = check_layer(net, layer)
    Xs, Ys = select(X, Y, point)
    _, grad_b = net.gradients(Xs, Ys)
    _, num_b = numerical_gradients(net, Xs, Ys, eps)
    deltas = np.atleast_2d(net.deltas(Xs, Ys)[layer])  # delta^[l], one row per sample
    backprop, numerical = grad_b[layer], num_b[layer]
    return BiasView(layer, point, backprop, numerical, deltas, relative_error(backprop, numerical))


def dot_positions(n_l, n_samples) -> np.ndarray:
    """The x position of every per-sample dot, neuron by neuron, samples in order.

    Neuron ``j`` (0-based) has its bars around ``x = j``; its ``n_samples`` dots are spread
    evenly over ``j - DOT_SPREAD ... j + DOT_SPREAD``, so no dot hides another.

    Returns
    -------
    ndarray of shape (n_l * n_samples,): all samples of neuron 0, then of neuron 1, ...
    """
    offsets = np.linspace(-DOT_SPREAD, DOT_SPREAD, n_samples) if n_samples > 1 else np.zeros(1)
    return (np.arange(n_l)[:, None] + offsets[None, :]).ravel()


def describe(view) -> str:
    """The readout: the numbers, and how well the three agree."""
    where = "the mean over all data points (9)" if view.point == ALL else f"data point {view.point + 1}"
    if not np.any(view.deltas):
        return (f"Layer {view.layer}, {where}: every delta of this layer is 0 (ReLUs switched off, or no "
                f"error reaching them), so dC/db = 0 and these biases do not learn from it.")
    j = int(np.argmax(np.abs(view.backprop)))
    text = (f"Layer {view.layer}, {where}. Finite differences agree with backprop's dC/db to a relative "
            f"error of {view.error:.1e} and with delta to {view.delta_error:.1e}: (24). The largest is "
            f"dC/db<sub>{j + 1}</sub> = {view.backprop[j]:.4g}, so b<sub>{j + 1}</sub> moves most in a "
            f"gradient step b &larr; b &minus; &eta; delta.")
    if view.point == ALL:
        text += (f" The dots are the {len(view.deltas)} per-sample deltas, sample 1 on the left (filled: "
                 f"class 0, open: class 1); the bar is their mean.")
    return text


def network_like(net, activation) -> Network:
    """``net``'s weights and biases with ``activation`` in every layer (same cost)."""
    return Network.from_parameters(net.weights, net.biases, activation=activation, cost=net.cost_function)


def prepare(net, X, Y, layer, point, activation, seed):
    """A widget's network and data ``(X, Y)`` (Higham & Higham's by default), checked: ValueError if bad."""
    if X is None or Y is None:
        X, Y = load_dataset("higham")
    net = net if net is not None else Network([2, 2, 3, 2], seed=seed)
    X, Y = as_pair(X, Y, net.sizes[0], net.sizes[-1])
    if X.ndim != 2:
        raise ValueError(f"X must hold samples as rows, shape (n_samples, {net.sizes[0]}); got {X.shape}")
    check_layer(net, layer)
    select(X, Y, point)
    if activation not in ACTIVATION_CHOICES:
        raise ValueError(f"activation must be one of {ACTIVATION_CHOICES}, got {activation!r}")
    return net, X, Y


def point_options(X) -> list:
    """Dropdown options: ``("all (mean)", "all")`` then ``("1: (0.1, 0.1)", 0)``, ..."""
    return [("all (mean)", ALL)] + [(f"{i + 1}: ({x[0]:g}, {x[1]:g})" if len(x) == 2 else f"{i + 1}", i)
                                     for i, x in enumerate(X)]


class BiasGradientExplorer:
    """Grouped bars of backprop dC/db, finite-difference dC/db and delta for one layer.

    Parameters
    ----------
    net : Network, optional
        Whose weights and biases to use (the activation control replaces its activation);
        by default Higham & Higham's ``Network([2, 2, 3, 2], seed=seed)``.
    X, Y : ndarray of shape (n_samples, n_0) and (n_samples, n_L), optional
        The data; by default the ten Higham points.
    layer : int
        Initial layer, the notes' numbering 2..L.
    point : int or "all"
        Initial data point (0-based index) or ``"all"`` for the mean cost (9).
    activation : {"sigmoid", "tanh", "relu"}
    seed : int
        Seed of the default network.

    Attributes
    ----------
    layer, point, activation : ipywidgets.Dropdown
    widget : ipywidgets.VBox
    figure : matplotlib.figure.Figure
    bars : list of 3 BarContainer
        Backprop, finite differences, delta; the bars of absent neurons are hidden.
    result : BiasView or None
        The last computed view (None if the last choice was invalid).
    """

    def __init__(self, net=None, X=None, Y=None, layer=3, point=ALL, activation="sigmoid", seed=0):
        self.base, self.X, self.Y = prepare(net, X, Y, layer, point, activation, seed)
        sizes = self.base.sizes
        layers = [(f"{l} ({sizes[l - 1]} neurons)", l) for l in range(2, len(sizes) + 1)]
        self.layer = widgets.Dropdown(options=layers, value=layer, description="layer l")
        self.point = widgets.Dropdown(options=point_options(self.X), value=point, description="data point")
        self.activation = widgets.Dropdown(options=ACTIVATION_CHOICES, value=activation, description="activation")
        self.figure, self.ax = new_figure(figsize=(8.0, 4.4))
        self._draw_empty(max(self.base.sizes[1:]), len(self.X))
        self.view = FigureView(self.figure)
        self.readout = readout()
        self.widget = panel([[self.layer, self.point, self.activation]], self.view, self.readout,
                            "BiasGradientExplorer: backprop dC/db, finite-difference dC/db and delta for one layer (24)")
        self.result = None
        on_change([self.layer, self.point, self.activation], self._update)
        self._update()

    def _draw_empty(self, width, n_samples):
        ax, x = self.ax, np.arange(width)
        style = [("dC/db by backprop", COLORS["blue"], ""),
                 ("dC/db by finite differences", COLORS["orange"], "//"),
                 (r"$\delta$ by (22), (23)", COLORS["green"], "")]
        self.bars = [ax.bar(x + (i - 1) * 0.27, np.zeros(width), width=0.27, color=c, hatch=h,
                            edgecolor="black", linewidth=0.6, label=name)
                     for i, (name, c, h) in enumerate(style)]
        self.dots = ax.scatter(np.zeros(n_samples), np.zeros(n_samples), s=DOT_SIZE, facecolors=COLORS["black"],
                               edgecolors=COLORS["black"], linewidths=1.0, zorder=3,
                               label=r"$\delta$ of each sample" "\n(filled: class 0, open: class 1)")
        ax.axhline(0, color="gray", linewidth=0.8)
        ax.set_xlabel("neuron $j$")
        ax.set_ylabel("value")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=11)

    def _update(self, change=None):
        try:
            net = network_like(self.base, self.activation.value)
            self.result = view = bias_view(net, self.X, self.Y, self.layer.value, self.point.value)
        except ValueError as exc:
            self.result = None
            self.readout.value = f"<b>Cannot show this:</b> {exc}"
            return
        n_l = len(view.backprop)
        for bars, values in zip(self.bars, (view.backprop, view.numerical, view.delta)):
            for j, rect in enumerate(bars.patches):
                rect.set_visible(j < n_l)
                rect.set_height(values[j] if j < n_l else 0.0)
        n_samples = len(view.deltas)
        self.dots.set_offsets(np.column_stack([dot_positions(n_l, n_samples), view.deltas.T.ravel()]))
        if view.point == ALL:  # filled dots for class 0, open ones for class 1
            filled = np.argmax(self.Y, axis=1) == 0 if self.Y.shape[1] > 1 else self.Y[:, 0] < 0.5
            self.dots.set_facecolors([COLORS["black"] if f else "white" for f in np.tile(filled, n_l)])
        self.dots.set_visible(view.point == ALL)
        top = max(np.max(np.abs(view.deltas)), np.max(np.abs(view.numerical))) * 1.15 or 1.0  # 1.0 if all are 0
        self.ax.set_ylim(-top, top)
        self.ax.set_xlim(-0.6, n_l - 0.4)
        self.ax.set_xticks(np.arange(n_l), [str(j + 1) for j in range(n_l)])
        where = "mean over all points" if view.point == ALL else f"data point {view.point + 1}"
        self.ax.set_title(f"Layer {view.layer} ({self.activation.value}, {where}):\n"
                          rf"$\partial C/\partial b_j$ equals $\delta_j$, (24)")
        self.readout.value = describe(view)
        self.view.refresh()
