"""Figures of gradients at work: gradient steps and training runs (notebooks 03 and 05).

Each function draws onto the axes it is given, in the style of :mod:`.plots`, from numbers
the notebook computed (or from the stored full run, :func:`backproplab.data.load_full_run`),
and returns them.
"""
from __future__ import annotations

import numpy as np

from .network import Network
from .plots import COLORS, plot_decision_boundary


def plot_per_sample_deltas(ax, deltas, layer, classes, title):
    """The sensitivities of one layer, sample by sample, and their means (dashed).

    Parameters
    ----------
    deltas : ndarray of shape (n_samples, n_l), one row per sample
    layer : int, the notes' layer number, for the labels
    classes : ndarray of shape (n_samples,), the class of each sample (a dotted line between classes)
    """
    points = np.arange(1, len(deltas) + 1)
    for j, (color, marker) in enumerate(((COLORS["blue"], "o"), (COLORS["vermillion"], "s"))[:deltas.shape[1]]):
        ax.plot(points, deltas[:, j], marker, color=color, markersize=10,
                label=rf"$\delta^{{[{layer}]}}_{j + 1}$ of the point")
        ax.axhline(deltas[:, j].mean(), color=color, linestyle="--",
                   label=rf"mean = $\partial C/\partial b^{{[{layer}]}}_{j + 1}$ = {deltas[:, j].mean():.3f}")
    ax.axhline(0, color="gray", linewidth=0.8)
    top = 1.3 * np.max(np.abs(deltas))
    for c in np.unique(classes):
        where = points[classes == c]
        ax.text(where.mean(), 0.85 * top, f"class {c}", ha="center")
    boundaries = points[:-1][np.diff(classes) != 0] + 0.5
    for b in boundaries:
        ax.axvline(b, color="gray", linestyle=":")
    ax.set_xticks(points)
    ax.set_xlabel("data point $i$")
    ax.set_ylabel(rf"$\delta^{{[{layer}]}}_j(x^{{\{{i\}}}})$")
    ax.set_ylim(-top, top)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def plot_one_step(ax, etas, costs, slope, title):
    """The cost after one gradient step against the learning rate, and its tangent at 0.

    Parameters
    ----------
    etas, costs : ndarray, the learning rates tried and the cost after one step with each
    slope : float, ``||gradient||^2``, so that the tangent is ``costs[0] - slope * eta``
    """
    ax.plot(etas, costs, color=COLORS["blue"], label=r"cost after one step, $C(b - \eta\,\bar\delta)$")
    ax.plot(etas, costs[0] - slope * etas, "--", color=COLORS["orange"],
            label=r"first-order prediction $C(b) - \eta\,\|\bar\delta\|^2$")
    ax.axhline(costs[0], color="gray", linewidth=1.2, linestyle=":", label="cost before the step, $C(b)$")
    best = int(np.argmin(costs))
    ax.plot(etas[best], costs[best], "o", color=COLORS["green"], markersize=10,
            label=rf"lowest cost, at $\eta$ = {etas[best]:.1f}")
    spread = np.ptp(costs)
    ax.set_ylim(costs.min() - 0.3 * spread, costs.max() + 0.6 * spread)
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel("mean cost (9) after the step")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def plot_training_run(ax_cost, ax_grad, iterations, cost, grad_norm, plateau_end, plateau_level=0.25):
    """A run's cost (left) and gradient length (right) against the iteration, the plateau shaded.

    Parameters
    ----------
    iterations, cost, grad_norm : ndarray of the same length, as recorded
    plateau_end : int, the iteration where the cost first fell clearly below the plateau
    plateau_level : float, the plateau's cost, drawn dashed
    """
    last = iterations[-1]
    for ax in (ax_cost, ax_grad):
        ax.axvspan(0, plateau_end, color=COLORS["sky"], alpha=0.2, lw=0, label="plateau")
        ax.set_xlim(0, last)
        ax.set_xlabel("iteration")
    ax_cost.semilogy(iterations, cost, color=COLORS["blue"], label="cost $C$ over the data")
    ax_cost.axhline(plateau_level, color="gray", lw=1.2, ls="--", label=f"{plateau_level:g}")
    ax_cost.set_ylabel("cost $C$ (9)")
    ax_cost.set_title(f"Cost: a long plateau near {plateau_level:g}, then a fall")
    ax_cost.legend(loc="lower left")
    # running median of 11 records, to see the trend through the noise of single-point steps
    smooth = np.array([np.median(grad_norm[max(0, i - 5):i + 6]) for i in range(len(grad_norm))])
    ax_grad.semilogy(iterations, grad_norm, color=COLORS["vermillion"], lw=1, alpha=0.35,
                     label=r"$\|\nabla C\|$ as recorded")
    ax_grad.semilogy(iterations, smooth, color=COLORS["vermillion"], label="its running median (11 values)")
    ax_grad.set_ylabel(r"length of the gradient $\|\nabla C\|$")
    ax_grad.set_title("The gradient grows as the cost leaves the plateau")
    ax_grad.legend(loc="lower right")
    return ax_cost, ax_grad


def plot_batch_comparison(ax_iterations, ax_samples, runs):
    """Cost curves per iteration (left) and per sample seen (right), one line per run.

    Parameters
    ----------
    runs : dict {label: (batch_size, History)}
    """
    for (label, (batch, history)), color in zip(runs.items(), (COLORS["blue"], COLORS["orange"], COLORS["green"])):
        ax_iterations.loglog(np.maximum(history.iterations, 1), history.cost, color=color, label=label)
        ax_samples.loglog(np.maximum(history.iterations * batch, 1), history.cost, color=color, label=label)
    ax_iterations.set_xlabel("iteration (weight updates)")
    ax_iterations.set_ylabel("cost $C$ (9)")
    ax_iterations.set_title("Per iteration: they leave the plateau together;\nafterwards one point per step is noisier")
    ax_samples.set_xlabel("samples seen (iterations x batch size)")
    ax_samples.set_title("Per sample seen: one point per step\nis far ahead")
    ax_iterations.legend(loc="lower left")
    return ax_iterations, ax_samples


def plot_full_run(ax_cost, ax_regions, run, X, Y):
    """The stored full run: its cost against the iteration (log-log) and its decision regions.

    Parameters
    ----------
    run : dict, as returned by :func:`backproplab.data.load_full_run`
    X, Y : the data it was trained on
    """
    iterations = np.maximum(np.asarray(run["iterations"]), 1)
    ax_cost.loglog(iterations, run["cost"], color=COLORS["blue"])
    ax_cost.set_xlabel("iteration")
    ax_cost.set_ylabel("cost $C$ (9)")
    ax_cost.set_title(f"{int(iterations[-1]):,} steps: the cost keeps falling, ever more slowly")
    net = Network.from_parameters(run["weights"], run["biases"], activation="sigmoid")
    plot_decision_boundary(ax_regions, net, X, Y, title=f"After {int(iterations[-1]):,} steps", resolution=200)
    return ax_cost, ax_regions
