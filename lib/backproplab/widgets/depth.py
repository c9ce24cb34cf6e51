"""Depth explorer: how big is delta[l] in a deep network? (notebook 02)

Unrolling (23) from the output down gives (Higham & Higham 2019)

    delta[l] = D[l] W[l+1]^T D[l+1] ... W[L]^T D[L] (a[L] - y),  D[k] = diag(sigma'(z[k])),

a product with one factor ``D[k] W[k+1]^T`` per layer.  For the sigmoid every entry of
``D[k]`` is at most 1/4, so unless the weights are large the product shrinks geometrically
as it travels back (vanishing gradients); large weights can make it grow (exploding
gradients).  The pure functions here measure ``||delta[l]||`` layer by layer on the
Higham data; the widget plots it for a sigmoid and a tanh network with the same weights.

Layers are numbered as in the notes: ``l = 2, ..., L``, where layer 1 is the input,
layers 2 to ``L - 1`` are the ``depth`` hidden layers and ``L = depth + 2`` the output.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real

import ipywidgets as widgets
import matplotlib.ticker as ticker
import numpy as np

from ..data import load_dataset
from ..network import Network
from ..plots import COLORS, new_figure
from .common import FigureView, on_change, panel, readout
from .sensitivity import WIDE_LABEL, decade_label

ACTIVATION_STYLE = {"sigmoid": (COLORS["blue"], "o"), "tanh": (COLORS["orange"], "^")}
# A layer whose ||delta|| changes by less than this factor per layer counts as "stable".
STABLE = 1.1


def deep_network(depth, width, activation="sigmoid", init_scale=0.5, seed=0, n_in=2, n_out=2):
    """A network with ``depth`` hidden layers of ``width`` neurons: sizes ``[n_in, width, ..., width, n_out]``.

    Parameters
    ----------
    depth, width : int
        The number of hidden layers and their width, each >= 1.
    activation : {"sigmoid", "tanh", "relu", "linear"}
        The activation of every layer, the output included.
    init_scale : float
        Weights and biases are drawn from ``N(0, init_scale^2)`` with ``default_rng(seed)``,
        so the same seed gives the same parameters whatever the activation.
    n_in, n_out : int
        Widths of the input and output layers (2 and 2 for the Higham data).

    Returns
    -------
    Network

    Raises
    ------
    ValueError
        If depth or width is not an integer >= 1, or init_scale not a positive finite number.
    """
    for name, value in (("depth", depth), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if isinstance(init_scale, bool) or not isinstance(init_scale, Real) or not np.isfinite(init_scale) \
            or init_scale <= 0:
        raise ValueError(f"init_scale must be a positive finite number, got {init_scale!r}")
    return Network([n_in] + [width] * depth + [n_out], activation=activation, init_scale=init_scale, seed=seed)


def delta_norms(net, X, Y):
    """The mean over the samples of ``||delta[l]||_2`` for every layer ``l = 2, ..., L``.

    Parameters
    ----------
    net : Network
    X : ndarray of shape (n_samples, n_1)
    Y : ndarray of shape (n_samples, n_L)

    Returns
    -------
    ndarray of shape (L - 1,)
        Entry ``i`` belongs to layer ``l = i + 2``; the last entry is the output layer.
    """
    deltas = net.deltas(X, Y)  # (22), then (23) layer by layer: delta[2], ..., delta[L]
    return np.array([np.linalg.norm(np.atleast_2d(delta), axis=1).mean() for delta in deltas])


def growth_per_layer(norms) -> float:
    """The geometric-mean factor by which ``||delta||`` changes per layer, output to layer 2.

    ``(norms[0] / norms[-1]) ** (1 / (len(norms) - 1))``: below 1 the deltas vanish as they
    travel back, above 1 they explode.  ``nan`` if a norm is 0 or there is one layer.
    """
    norms = np.asarray(norms, dtype=float)
    if len(norms) < 2 or norms[0] <= 0 or norms[-1] <= 0:
        return float("nan")
    return float((norms[0] / norms[-1]) ** (1.0 / (len(norms) - 1)))


@dataclass
class DepthResult:
    """``||delta[l]||`` per layer for each activation.

    Attributes
    ----------
    layers : ndarray of int, shape (L - 1,)
        ``2, ..., L`` (the notes' numbering).
    norms : dict
        activation name -> ndarray of shape (L - 1,), the mean ``||delta[l]||``.
    growth : dict
        activation name -> :func:`growth_per_layer` of its norms.
    """

    layers: np.ndarray
    norms: dict
    growth: dict


def depth_profile(depth=20, width=10, init_scale=0.5, activations=("sigmoid", "tanh"), seed=0, X=None, Y=None):
    """``||delta[l]||`` per layer of :func:`deep_network` for each activation, on the Higham data.

    Returns
    -------
    DepthResult
    """
    if X is None:
        X, Y = load_dataset("higham")
    norms = {act: delta_norms(deep_network(depth, width, act, init_scale, seed, X.shape[1], Y.shape[1]), X, Y)
             for act in activations}
    return DepthResult(np.arange(2, depth + 3), norms, {act: growth_per_layer(n) for act, n in norms.items()})


def verdict(growth) -> str:
    """"vanishing", "exploding" or "roughly stable" for a per-layer growth factor."""
    if not np.isfinite(growth):
        return "no signal left (a delta underflowed to 0)"
    if growth < 1 / STABLE:
        return "vanishing"
    return "exploding" if growth > STABLE else "roughly stable"


# ----- the GUI: wiring only ----------------------------------------------------------
class DepthExplorer:
    """The size of ``delta[l]`` layer by layer in deep sigmoid and tanh networks.

    Parameters
    ----------
    depth : int
        Hidden layers, 2 to 30.
    width : int
        Neurons per hidden layer, 2 to 50.
    init_scale : float
        Standard deviation of the initial weights and biases, 0.05 to 10.
    activation : {"both", "sigmoid", "tanh"}
        Which curves to show.
    seed : int
        Seed of the initial parameters (the same for both activations).
    """

    def __init__(self, depth=20, width=10, init_scale=0.5, activation="both", seed=0):
        for name, value, low, high in (("depth", depth, 2, 30), ("width", width, 2, 50),
                                       ("init_scale", init_scale, 0.05, 10.0), ("seed", seed, 0, 10**6)):
            if isinstance(value, bool) or not isinstance(value, Real) or not low <= value <= high:
                raise ValueError(f"{name} must be a number from {low:g} to {high:g} here, got {value!r}")
        if activation not in ("both", "sigmoid", "tanh"):
            raise ValueError(f"activation must be 'both', 'sigmoid' or 'tanh', got {activation!r}")
        self.X, self.Y = load_dataset("higham")
        self.depth = widgets.IntSlider(value=depth, min=2, max=30, description="hidden layers",
                                       style=WIDE_LABEL)
        self.width = widgets.IntSlider(value=width, min=2, max=50, description="width", style=WIDE_LABEL)
        self.init_scale = widgets.FloatLogSlider(value=init_scale, base=10, min=np.log10(0.05), max=1,
                                                 step=0.01, description="init scale", readout_format=".2f",
                                                 style=WIDE_LABEL)
        self.activation = widgets.ToggleButtons(options=["both", "sigmoid", "tanh"], value=activation,
                                                description="σ")
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=10**6, description="seed",
                                           layout=widgets.Layout(width="12em"))
        self.text = readout()
        self._build_figure()
        self.view = FigureView(self.figure)
        # Constrained layout placed the axes in that first render; keeping the placement
        # makes every later redraw about twice as fast.
        self.figure.set_layout_engine(None)
        self.widget = panel([[self.depth, self.width, self.init_scale], [self.activation, self.seed]],
                            self.view, self.text,
                            "DepthExplorer: the size of delta[l] layer by layer in deep sigmoid and tanh networks")
        self.result = None
        on_change([self.depth, self.width, self.init_scale, self.activation, self.seed],
                  lambda change: self.update())
        self.update()

    def _build_figure(self):
        self.figure, ax = new_figure(figsize=(9.0, 4.4))
        self.ax = ax
        self.lines = {}
        for act, (color, marker) in ACTIVATION_STYLE.items():
            self.lines[act], = ax.plot([], [], marker=marker, color=color, label=act)
        self.output_mark = ax.axvline(0, color="gray", lw=1, ls=":")
        ax.set_yscale("log")
        # Placeholder limits until the first update, with the widest tick labels ("1e-30"),
        # so that the layout frozen after the first render leaves room for any later ones.
        ax.set_ylim(1e-30, 1.0)
        ax.set_xlim(1.5, 10.5)
        ax.yaxis.set_major_locator(ticker.LogLocator(numticks=8))
        ax.yaxis.set_minor_locator(ticker.NullLocator())
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(decade_label))
        ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        # Plain-text labels: mathtext would be re-parsed on every redraw, which is slow.
        ax.set_xlabel("layer l   (2 = first hidden layer, L = output; backprop runs right to left)")
        ax.set_ylabel("mean ‖δ[l]‖ over the data")
        ax.set_title("How big is δ[l] when backprop reaches layer l?")

    def update(self):
        """Recompute with the current control values and redraw."""
        shown = ("sigmoid", "tanh") if self.activation.value == "both" else (self.activation.value,)
        try:
            r = depth_profile(self.depth.value, self.width.value, self.init_scale.value, shown, self.seed.value,
                              self.X, self.Y)
        except ValueError as exc:
            self.text.value = f"<b>Cannot compute:</b> {exc}"
            return
        self.result = r
        L = int(r.layers[-1])
        drawn, lines = [], []
        for act, line in self.lines.items():
            n = np.where(r.norms[act] > 0, r.norms[act], np.nan) if act in r.norms else np.array([])
            line.set_data(r.layers[:len(n)], n)  # a norm of exactly 0 is not drawn on the log axis
            if act in r.norms:
                drawn.append(line)
                g = r.growth[act]
                lines.append(f"<b>{act}</b>: ‖δ<sup>[2]</sup>‖ / ‖δ<sup>[{L}]</sup>‖ = {n[0] / n[-1]:.1e}, "
                             f"×{g:.2f} per layer on average: <b>{verdict(g)}</b>" if np.isfinite(g)
                             else f"<b>{act}</b>: {verdict(g)}")
        self.ax.legend(handles=drawn, loc="best")
        self.output_mark.set_xdata([L, L])
        self.ax.set_xlim(1.5, L + 0.5)
        values = np.concatenate([line.get_ydata() for line in drawn])
        values = values[np.isfinite(values)]
        if values.size:  # whole decades around the data
            self.ax.set_ylim(10 ** np.floor(np.log10(values.min()) - 0.2),
                             10 ** np.ceil(np.log10(values.max()) + 0.2))
        self.view.refresh()
        self.text.value = "<br>".join(lines) + f"<br>(dotted line: the output layer L = {L})"
