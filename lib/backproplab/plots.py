"""One plotting style for all notebooks, and the plots several notebooks share.

The colours are the Okabe-Ito palette, which stays distinguishable for colour-blind
readers; lines are thick and fonts large enough to read on a classroom projector.
Functions draw onto an ``ax`` they are given and return it, so the notebooks and the
widgets compose them freely.
"""
from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color universal design".
COLORS = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
CLASS_COLORS = (COLORS["blue"], COLORS["orange"])  # class 0, class 1
CLASS_MARKERS = ("o", "^")  # shape as well as colour tells the classes apart

STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=[COLORS[c] for c in
                                                ("blue", "orange", "green", "vermillion", "sky", "purple")]),
    "legend.frameon": False,
}


def use_style() -> None:
    """Apply :data:`STYLE` to matplotlib (call once at the top of a notebook)."""
    matplotlib.rcParams.update(STYLE)


def new_figure(ncols=1, nrows=1, figsize=None):
    """A figure that is not managed by pyplot (so it never pops up by itself), and its axes.

    Widgets draw into such figures and send them to the browser as PNG images.
    """
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=figsize or (4.6 * ncols, 3.8 * nrows), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes.ravel() if axes.size > 1 else axes[0, 0]


def to_png(fig) -> bytes:
    """Render ``fig`` to PNG bytes (for an ``ipywidgets.Image``)."""
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="png")
    return buf.getvalue()


def plot_data(ax, X, Y, title=None):
    """Scatter a two-class data set: ``X`` (n, 2), one-hot ``Y`` (n, 2)."""
    labels = np.argmax(Y, axis=1)
    for c in (0, 1):
        pts = X[labels == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=70, c=CLASS_COLORS[c], marker=CLASS_MARKERS[c],
                   edgecolors="black", linewidths=0.8, label=f"class {c}", zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def grid_for(X, margin=0.1, resolution=120):
    """A square grid covering the data: returns ``xx, yy`` (each (r, r)) and the points (r*r, 2)."""
    lo = np.minimum(X.min(axis=0), 0.0) - margin
    hi = np.maximum(X.max(axis=0), 1.0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def class_regions(net, points) -> np.ndarray:
    """The class the network assigns to each point (argmax of the output): shape (n_points,)."""
    out = net.predict(points)
    return np.argmax(out, axis=1) if out.shape[1] > 1 else (out[:, 0] > 0.5).astype(int)


REGION_CMAP = ListedColormap(["#BFE0F5", "#FBE3B3"])  # light blue, light orange


def plot_decision_boundary(ax, net, X, Y, title="Decision boundary", resolution=120):
    """Shade the region the network assigns to each class, with the data on top."""
    xx, yy, points = grid_for(X, resolution=resolution)
    regions = class_regions(net, points).reshape(xx.shape)
    ax.pcolormesh(xx, yy, regions, cmap=REGION_CMAP, vmin=0, vmax=1, shading="auto", zorder=0)
    plot_data(ax, X, Y, title)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.grid(False)
    return ax


def plot_cost_curve(ax, history, label=None, title="Cost during training"):
    """The recorded full-data cost against the iteration, on log-log axes."""
    it = np.maximum(history.iterations, 1)  # iteration 0 is drawn at 1 on the log axis
    ax.loglog(it, history.cost, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost $C$")
    ax.set_title(title)
    return ax


def plot_activation(ax, activation, z=None):
    """An activation sigma(z) and its derivative sigma'(z) on one axes."""
    from .activations import get_activation
    act = get_activation(activation)
    z = np.linspace(-6, 6, 400) if z is None else z
    ax.plot(z, act.sigma(z), label=rf"$\sigma(z)$ = {act.name}(z)")
    ax.plot(z, act.prime(z), "--", label=r"$\sigma'(z)$")
    ax.axhline(0, color="gray", lw=0.8)
    ax.set_xlabel("$z$")
    ax.set_ylabel("value")
    ax.set_title(f"{act.name} and its derivative")
    ax.legend()
    return ax
