"""The widget of notebook 04: the weight gradient dC/dW as a multiplication table, (25).

For the chosen layer ``l`` (the notes' numbering, 2..L) and one data point, the figure
shows ``dC/dW[l]`` as a heatmap with its two factors alongside, like a multiplication
table: the column ``delta[l]`` on the left (one entry per row ``j``) and the row
``a[l-1]^T`` on top (one entry per column ``k``).  Entry ``(j, k)`` is their product
``delta_j a_k``, the outer product (25).  A column whose ``a_k`` is near 0 is pale: the
weights out of a quiet neuron learn slowly.

The pure functions (:func:`weight_view`, :func:`describe`) compute everything;
:class:`WeightGradientExplorer` only connects the controls to them.
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..gradcheck import numerical_gradients, relative_error
from ..plots import new_figure
from .bias import ACTIVATION_CHOICES, check_layer, network_like, point_options, prepare, select
from .common import FigureView, on_change, panel, readout

# Diverging and colour-blind safe, centred at 0 by set_clim: blue > 0, red < 0 in all three
# panels, so the signs multiply as in a multiplication table (blue x red = red).
CMAP = "RdBu"


@dataclass
class WeightView:
    """What the widget shows for one choice of the controls.

    Attributes
    ----------
    layer : int
        The notes' layer number ``l``: the weights are ``net.weights[l]``.
    point : int
        0-based index of the data point.
    grad : ndarray of shape (n_l, n_{l-1})
        ``dC/dW[l]`` by backpropagation.
    numerical : ndarray of shape (n_l, n_{l-1})
        ``dC/dW[l]`` by central differences.
    delta : ndarray of shape (n_l,)
        ``delta[l]`` by (22) and (23).
    a_prev : ndarray of shape (n_{l-1},)
        ``a[l-1]``, the activation of the layer before (``trace.a[l - 1]``).
    error : float
        Relative error between ``grad`` and ``numerical``.
    """

    layer: int
    point: int
    grad: np.ndarray
    numerical: np.ndarray
    delta: np.ndarray
    a_prev: np.ndarray
    error: float

    @property
    def largest(self) -> tuple:
        """``(j, k)``, 0-based, of the entry of ``grad`` largest in absolute value."""
        j, k = np.unravel_index(np.argmax(np.abs(self.grad)), self.grad.shape)
        return int(j), int(k)


def weight_view(net, X, Y, layer, point=0, eps=1e-6) -> WeightView:
    """``dC/dW[l]`` for one data point, by backprop and by finite differences, with its factors."""
    layer = check_layer(net, layer)
    if point == "all":
        raise ValueError("choose one data point: for the mean cost dC/dW is the mean of the outer "
                         "products, which is not itself an outer product")
    x, y = select(X, Y, point)
    grad_W, _ = net.gradients(x, y)
    num_W, _ = numerical_gradients(net, x, y, eps)
    delta = net.deltas(x, y)[layer]  # delta^[l]
    a_prev = net.forward(x).a[layer - 1]  # a^[l-1]
    grad, numerical = grad_W[layer], num_W[layer]
    return WeightView(layer, int(point), grad, numerical, delta, a_prev, relative_error(grad, numerical))


def describe(view) -> str:
    """The readout: the largest entry as a product, and which weights learn fastest."""
    j, k = view.largest
    l = view.layer
    if view.grad[j, k] == 0:
        return (f"Layer {l}, data point {view.point + 1}: dC/dW is 0, because every delta<sub>j</sub> or every "
                f"a<sub>k</sub> is 0 (switched-off ReLUs), so no weight of this layer learns from this point.")
    text = (f"Layer {l}, data point {view.point + 1}: backprop agrees with finite differences to a relative "
            f"error of {view.error:.1e}. The largest entry is dC/dw<sup>[{l}]</sup><sub>{j + 1}{k + 1}</sub> = "
            f"&delta;<sub>{j + 1}</sub> a<sub>{k + 1}</sub> = {view.delta[j]:.3g} &times; {view.a_prev[k]:.3g} = "
            f"{view.grad[j, k]:.3g}: the weight from neuron {k + 1} of layer {l - 1} into neuron {j + 1} of "
            f"layer {l} learns fastest. Weights into the neuron with the largest |&delta;<sub>j</sub>| (a row) "
            f"and out of the neuron with the largest |a<sub>k</sub>| (a column) change most in a step.")
    quiet = np.flatnonzero(np.abs(view.a_prev) < 0.05 * max(np.max(np.abs(view.a_prev)), 1e-300))
    if quiet.size:
        cols = ", ".join(str(k + 1) for k in quiet)
        text += (f" Column(s) {cols} nearly vanish: a<sub>k</sub> &asymp; 0 there, so those weights "
                 f"hardly learn from this point.")
    return text


def _table_text(ax, shape):
    """A grid of text labels, one per cell, for the numbers inside a heatmap."""
    return [[ax.text(k, j, "", ha="center", va="center", fontsize=11) for k in range(shape[1])]
            for j in range(shape[0])]


def _show(image, texts, values, vmax):
    """Put ``values`` (2-D) into ``image`` and its labels; colour scale centred at 0."""
    n_rows, n_cols = values.shape
    image.set_data(values)
    image.set_clim(-vmax, vmax)  # diverging map centred at 0
    image.set_extent((-0.5, n_cols - 0.5, n_rows - 0.5, -0.5))
    for j, row in enumerate(texts):
        for k, t in enumerate(row):
            inside = j < n_rows and k < n_cols
            t.set_visible(inside)
            if inside:
                v = values[j, k]
                t.set_text(f"{v + 0.0:.2g}")  # + 0.0 turns -0.0 into 0.0
                t.set_color("white" if abs(v) > 0.6 * vmax else "black")


class WeightGradientExplorer:
    """Heatmap of dC/dW for one layer with its outer-product factors delta and a_prev.

    Parameters
    ----------
    net : Network, optional
        Whose weights and biases to use; by default ``Network([2, 2, 3, 2], seed=seed)``.
        The activation control replaces its activation.
    X, Y : ndarray of shape (n_samples, n_0) and (n_samples, n_L), optional
        The data; by default the ten Higham points.
    layer : int
        Initial layer, the notes' numbering 2..L.
    point : int
        Initial data point, a 0-based index.
    activation : {"sigmoid", "tanh", "relu"}
    seed : int
        Seed of the default network.

    Attributes
    ----------
    layer, point, activation : ipywidgets.Dropdown
    widget : ipywidgets.VBox
    figure : matplotlib.figure.Figure
    image, delta_image, a_image : matplotlib.image.AxesImage
        dC/dW, the column delta and the row a_prev.
    result : WeightView or None
    """

    def __init__(self, net=None, X=None, Y=None, layer=3, point=0, activation="sigmoid", seed=0):
        if point == "all":
            raise ValueError("point must be the index of one data point: for the mean cost dC/dW is the mean "
                             "of the outer products, which is not itself an outer product")
        self.base, self.X, self.Y = prepare(net, X, Y, layer, point, activation, seed)
        sizes = self.base.sizes
        self.layer = widgets.Dropdown(options=[(f"{l}: W is {sizes[l - 1]} x {sizes[l - 2]}", l)
                                               for l in range(2, len(sizes) + 1)],
                                      value=layer, description="layer l")
        self.point = widgets.Dropdown(options=point_options(self.X)[1:], value=point, description="data point")
        self.activation = widgets.Dropdown(options=ACTIVATION_CHOICES, value=activation, description="activation")
        self._draw_empty(max(sizes[1:]), max(sizes[:-1]))
        self.view = FigureView(self.figure)
        self.readout = readout()
        self.widget = panel([[self.layer, self.point, self.activation]], self.view, self.readout,
                            "WeightGradientExplorer: dC/dW of one layer as the outer product delta a^T (25)")
        self.result = None
        on_change([self.layer, self.point, self.activation], self._update)
        self._update()

    def _draw_empty(self, max_rows, max_cols):
        self.figure, ax = new_figure(figsize=(7.6, 5.2))
        ax.remove()
        grid = self.figure.add_gridspec(2, 3, width_ratios=[1, 4, 0.15], height_ratios=[1, 4])
        self.ax_a = self.figure.add_subplot(grid[0, 1])
        self.ax_delta = self.figure.add_subplot(grid[1, 0])
        self.ax = self.figure.add_subplot(grid[1, 1])
        self.title = self.figure.suptitle("")
        blank = np.zeros((1, 1))
        self.image = self.ax.imshow(blank, cmap=CMAP, aspect="auto")
        self.delta_image = self.ax_delta.imshow(blank, cmap=CMAP, aspect="auto")
        self.a_image = self.ax_a.imshow(blank, cmap=CMAP, aspect="auto")
        self.figure.colorbar(self.image, cax=self.figure.add_subplot(grid[1, 2]),
                             label=r"$\partial C/\partial w_{jk}$")
        self.texts = _table_text(self.ax, (max_rows, max_cols))
        self.delta_texts = _table_text(self.ax_delta, (max_rows, 1))
        self.a_texts = _table_text(self.ax_a, (1, max_cols))
        for ax in (self.ax, self.ax_delta, self.ax_a):
            ax.grid(False)
        self.ax.set_xlabel("column $k$: neuron of layer $l-1$")
        self.ax.set_ylabel("row $j$: neuron of layer $l$")
        self.ax_delta.set_xticks([])
        self.ax_a.set_yticks([])
        self.ax_a.xaxis.tick_top()

    def _update(self, change=None):
        try:
            net = network_like(self.base, self.activation.value)
            self.result = view = weight_view(net, self.X, self.Y, self.layer.value, self.point.value)
        except ValueError as exc:
            self.result = None
            self.readout.value = f"<b>Cannot show this:</b> {exc}"
            return
        n_rows, n_cols = view.grad.shape
        _show(self.image, self.texts, view.grad, max(np.max(np.abs(view.grad)), 1e-12))
        _show(self.delta_image, self.delta_texts, view.delta[:, None], max(np.max(np.abs(view.delta)), 1e-12))
        _show(self.a_image, self.a_texts, view.a_prev[None, :], max(np.max(np.abs(view.a_prev)), 1e-12))
        rows, cols = np.arange(n_rows), np.arange(n_cols)
        for ax in (self.ax, self.ax_delta):
            ax.set_ylim(n_rows - 0.5, -0.5)
            ax.set_yticks(rows, [str(j + 1) for j in rows])
        for ax in (self.ax, self.ax_a):
            ax.set_xlim(-0.5, n_cols - 0.5)
            ax.set_xticks(cols, [str(k + 1) for k in cols])
        l = view.layer
        self.ax_delta.set_ylabel(rf"$\delta^{{[{l}]}}_j$")
        self.ax_a.set_title(rf"$a^{{[{l - 1}]}}_k$", fontsize=13)
        self.title.set_text(rf"$\partial C/\partial W^{{[{l}]}} = \delta^{{[{l}]}}\,(a^{{[{l - 1}]}})^T$, (25):"
                            f" data point {view.point + 1}, {self.activation.value}")
        self.readout.value = describe(view)
        self.view.refresh()
