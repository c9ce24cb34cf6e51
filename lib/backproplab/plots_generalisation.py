"""The plots of notebook 07: cost curves that part, handwritten digits, a confusion matrix.

Same style as :mod:`backproplab.plots` (Okabe-Ito colours, large fonts); each function draws
onto the ``ax`` it is given and returns it.
"""
from __future__ import annotations

from .plots import COLORS
from .widgets.training import _plain_log_ticks as plain_log_ticks  # 0.01 and 3 rather than 10^-2

TRAINING_COLOR, VALIDATION_COLOR = COLORS["blue"], COLORS["vermillion"]
CONFUSION_CMAP = "cividis"  # perceptually uniform and readable by the colour-blind


def plot_costs(ax, curves, title="Training and validation cost", label="", best=True, stopped_at=None):
    """Training and validation cost (9) against the iteration, the cost on a log scale.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : :class:`~backproplab.generalisation.Curves`
    label : str, added to the legend entries (to compare runs on one axes)
    best : bool, mark the lowest validation cost
    stopped_at : int, optional, draw a vertical line where early stopping ended the run
    """
    suffix = f" ({label})" if label else ""
    ax.semilogy(curves.iterations, curves.training_cost, color=TRAINING_COLOR, label=f"training{suffix}")
    ax.semilogy(curves.iterations, curves.validation_cost, color=VALIDATION_COLOR, label=f"validation{suffix}")
    if best:
        k = curves.best
        ax.plot(curves.iterations[k], curves.validation_cost[k], "o", color=COLORS["black"], zorder=4,
                label="lowest validation cost")
    if stopped_at is not None:
        ax.axvline(stopped_at, color="gray", ls="--", lw=1.5, label="early stopping")
    plain_log_ticks(ax.yaxis)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost $C$ (log scale)")
    ax.set_title(title)
    ax.legend(fontsize=10)
    return ax


def plot_digits(axes, X, labels, predicted=None):
    """One 8 x 8 digit per axes, titled with its label (and the prediction, vermillion when wrong).

    Parameters
    ----------
    axes : sequence of Axes, one per digit
    X : ndarray of shape (n, 64), pixels in [0, 1]
    labels : sequence of int, the true digits
    predicted : sequence of int, optional
    """
    for k, ax in enumerate(axes):
        ax.imshow(X[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if predicted is None:
            ax.set_title(str(labels[k]), fontsize=12)
        else:
            wrong = predicted[k] != labels[k]
            ax.set_title(f"{labels[k]} as {predicted[k]}", fontsize=11,
                         color=COLORS["vermillion"] if wrong else COLORS["black"])
    return axes


def plot_confusion(ax, matrix, title="Test digits: true against predicted"):
    """A confusion matrix as an image: row ``i``, column ``j`` counts digits ``i`` predicted as ``j``."""
    image = ax.imshow(matrix, cmap=CONFUSION_CMAP, vmin=0, vmax=max(int(matrix.max()), 1))
    n = matrix.shape[0]
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.grid(False)
    ax.set_title(title)
    return image
