"""The widget of notebook 07: how the training set, the width and the three remedies change generalisation.

The logic lives in :mod:`backproplab.generalisation`: ``run_generalisation`` turns the control
values into a ``GeneralisationResult`` (it checks and clamps every value itself, whatever a
slider allows).  This module wires the controls to it and draws the result: the training and
validation costs on the left; on the right, the decision regions of a 2-D set (large markers:
the training points, small ones: the test points) or the digits' test confusion matrix.

It follows :class:`~backproplab.widgets.training.TrainingExplorer`: the same blitted figure
(:class:`~backproplab.widgets.training.BlitView`), the same progress bar for long runs, and a
bad value keeps the last good picture.  ``benchmarks/bench_generalisation.py`` measures it.
"""
from __future__ import annotations

import html
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import AutoLocator

from ..generalisation import (DATASETS, DEFAULTS, MAX_DROPOUT, MAX_SEED, MAX_WIDTH, PATIENCE, run_generalisation)
from ..plots import CLASS_COLORS, CLASS_MARKERS, COLORS, REGION_CMAP, new_figure
from ..plots_generalisation import CONFUSION_CMAP, TRAINING_COLOR, VALIDATION_COLOR, plain_log_ticks
from .common import LongRun, Panel, progress_bar, readout
from .training import WARNING_COLOR, BlitView, cost_limits

TRAIN_SIZES = (10, 20, 30, 50, 100, 200, 500, 1000)
WEIGHT_DECAYS = (0.0, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)  # a log scale, and 0
ITERATION_CHOICES = (100, 200, 500, 1000, 2000, 5000, 10_000)
READOUT_CLASS, FIGURE_CLASS = "bpl-readout", "bpl-figure"  # as the training explorer's


def _options(choices, value):
    """``choices`` with ``value`` added in order (a keyword may ask for a value off the slider)."""
    return tuple(sorted(set(choices) | {value}))


def _number(value) -> str:
    """A cost for the readout: never "nan" or "inf"."""
    return f"{value:.3g}" if math.isfinite(value) else "too large to show"


def readout_html(result) -> str:
    """The readout: accuracies and costs, then the diagnosis, then any value the kernel clamped."""
    s, c = result.settings, result.curves
    lines = []
    if result.status == "diverged":
        lines.append(f"<b>{s['dataset']}</b>, {s['n_train']:,} training samples: no accuracy, training was stopped")
    else:
        n_test = len(result.split.test[0])
        k = c.best
        lines.append(f"<b>{s['dataset']}</b>, {s['n_train']:,} training samples &nbsp; training accuracy "
                     f"<b>{result.train_accuracy:.0%}</b> &nbsp; <b>test accuracy {result.test_accuracy:.1%}</b> "
                     f"({result.n_test_correct}/{n_test}) &nbsp; validation cost {_number(c.validation_cost[-1])} "
                     f"(lowest {_number(c.validation_cost[k])}, iteration {c.iterations[k]:,})")
    if result.message:
        color = "inherit" if result.status == "ok" else WARNING_COLOR
        lines.append(f'<span style="color:{color}"><b>{html.escape(result.message)}</b></span>')
    for note in result.notes:
        lines.append(f'<span style="color:{WARNING_COLOR}">{html.escape(note[0].upper() + note[1:])}.</span>')
    return "<br>".join(lines)


class GeneralisationExplorer:
    """Train on more or less data, wider or narrower, with or without the remedies; watch the curves part.

    Every keyword sets a control's starting value (defaults in
    :data:`backproplab.generalisation.DEFAULTS`).

    Parameters
    ----------
    dataset : {"moons", "circles", "spirals", "xor", "digits"}
    n_train : int, the training set size (a slider of TRAIN_SIZES)
    hidden : int, 1 to MAX_WIDTH, the width of the hidden layer
    weight_decay : float, one of WEIGHT_DECAYS (a log slider that includes 0)
    dropout : float, 0 to MAX_DROPOUT
    early_stopping : bool, with patience PATIENCE recordings
    iterations : int, one of ITERATION_CHOICES
    seed : int, of the initial weights, the samples drawn and the dropout masks

    Attributes
    ----------
    dataset, n_train, hidden, weight_decay, dropout, early_stopping, iterations, seed : ipywidgets
        The controls; set ``.value`` from Python to change them.
    widget : Panel (an ipywidgets.VBox), what the notebook displays
    figure : matplotlib Figure; left ``training_line``, ``validation_line``, ``best_point``,
        ``stop_line``; right ``regions`` and ``train_points``, ``test_points`` (2-D sets) or
        ``confusion`` (digits)
    readout : ipywidgets.HTML; progress : ipywidgets.IntProgress
    result : GeneralisationResult, the last run (a refused value keeps it and sets ``error``)
    error : str, the message of the last refused value ("" when the last update worked)
    """

    def __init__(self, **values):
        unknown = set(values) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown control(s) {sorted(unknown)}: choose from {list(DEFAULTS)}")
        v = {**DEFAULTS, **values}
        wide = {"description_width": "initial"}

        def box(width):  # a fixed width, so that no label is cut off in a narrow window
            return widgets.Layout(width=width, flex="0 0 auto")

        self.dataset = widgets.Dropdown(options=DATASETS, value=v["dataset"], description="data set", style=wide,
                                        layout=box("13em"))
        self.n_train = widgets.SelectionSlider(options=_options(TRAIN_SIZES, v["n_train"]), value=v["n_train"],
                                               description="training set size", continuous_update=False,
                                               style=wide, layout=box("26em"))
        self.hidden = widgets.IntSlider(value=v["hidden"], min=1, max=MAX_WIDTH, description="hidden units",
                                        continuous_update=False, style=wide, layout=box("24em"))
        self.weight_decay = widgets.SelectionSlider(
            options=[(f"{w:g}", w) for w in _options(WEIGHT_DECAYS, v["weight_decay"])], value=v["weight_decay"],
            description="weight decay λ", continuous_update=False, style=wide, layout=box("26em"))
        self.dropout = widgets.FloatSlider(value=v["dropout"], min=0.0, max=MAX_DROPOUT, step=0.05,
                                           readout_format=".2f", description="dropout p", continuous_update=False,
                                           style=wide, layout=box("24em"))
        self.early_stopping = widgets.Checkbox(value=v["early_stopping"],
                                               description=f"early stopping (patience {PATIENCE})",
                                               indent=False, layout=box("16em"))
        self.iterations = widgets.SelectionSlider(options=_options(ITERATION_CHOICES, v["iterations"]),
                                                  value=v["iterations"], description="iterations",
                                                  continuous_update=False, style=wide, layout=box("26em"))
        self.seed = widgets.BoundedIntText(value=v["seed"], min=0, max=MAX_SEED, description="seed", style=wide,
                                           layout=box("8em"))
        self.readout = readout()
        self.readout.add_class(READOUT_CLASS)
        self.progress = progress_bar()
        self._long_run = LongRun(self.progress)
        self._build_figure()
        self.widget = Panel([
            widgets.HBox([self.dataset, self.n_train, self.seed]),
            widgets.HBox([self.hidden, self.iterations]),
            widgets.HBox([self.weight_decay, self.dropout, self.early_stopping]),
            self.view.image, self.readout, self.progress],
            summary="GeneralisationExplorer: training and validation cost, test accuracy, decision regions")
        self.result, self.error, self._kind = None, "", None
        for control in self.controls:
            control.observe(self.update, names="value")
        self.update()

    @property
    def controls(self):
        """The eight controls, in the order of ``run_generalisation``'s arguments."""
        return (self.dataset, self.n_train, self.hidden, self.weight_decay, self.dropout, self.early_stopping,
                self.iterations, self.seed)

    def values(self) -> dict:
        """The control values, as keyword arguments of ``run_generalisation``."""
        return dict(zip(DEFAULTS, (c.value for c in self.controls)))

    # ----- the figure ----------------------------------------------------------------------
    def _build_figure(self):
        self.figure, (ax_cost, ax_right) = new_figure(2)
        self.training_line, = ax_cost.semilogy([0, 1], [1, 1], color=TRAINING_COLOR, label="training")
        self.validation_line, = ax_cost.semilogy([0, 1], [1, 1], color=VALIDATION_COLOR, label="validation")
        self.best_point, = ax_cost.plot([0], [1], "o", color=COLORS["black"], label="lowest validation")
        self.stop_line = ax_cost.axvline(0, color="gray", ls="--", lw=1.5, label="early stopping")
        plain_log_ticks(ax_cost.yaxis)
        ax_cost.set_xlabel("iteration")
        ax_cost.set_ylabel("cost $C$ (log scale)")
        ax_cost.set_title("Training and validation cost")
        ax_cost.legend(loc="lower left", fontsize=9)
        ax_cost.set_xlim(0, 1000)
        ax_cost.set_ylim(1e-3, 10)
        self.regions = ax_right.imshow(np.zeros((2, 2)), origin="lower", cmap=REGION_CMAP, vmin=0, vmax=1,
                                       interpolation="bilinear", interpolation_stage="data", extent=(0, 1, 0, 1),
                                       zorder=0)  # as the training explorer: the classes blend, then thresholded
        self.confusion = ax_right.imshow(np.zeros((10, 10)), cmap=CONFUSION_CMAP, vmin=0, vmax=1,
                                         extent=(-0.5, 9.5, 9.5, -0.5), zorder=0)
        self.test_points = [ax_right.scatter([], [], s=10, c=CLASS_COLORS[c], marker=CLASS_MARKERS[c], alpha=0.5,
                                             linewidths=0, zorder=2) for c in (0, 1)]
        self.train_points = [ax_right.scatter([], [], s=70, c=CLASS_COLORS[c], marker=CLASS_MARKERS[c],
                                              edgecolors="black", linewidths=0.8, zorder=3) for c in (0, 1)]
        ax_right.grid(False)
        ax_right.set_xlim(-2.4, 2.4)
        ax_right.set_ylim(-2.4, 2.4)
        self._label_right("2-D")
        moving = [self.training_line, self.validation_line, self.best_point, self.stop_line, self.regions,
                  self.confusion, *self.test_points, *self.train_points]
        self.view = BlitView(self.figure, moving)

    def _label_right(self, kind):
        """Titles and ticks of the right panel: decision regions (2-D sets) or the confusion matrix."""
        ax = self.regions.axes
        if kind == "2-D":
            ax.set_title("Regions: large = training, small = test")
            ax.set_xlabel("$x_1$")
            ax.set_ylabel("$x_2$")
            ax.xaxis.set_major_locator(AutoLocator())
            ax.yaxis.set_major_locator(AutoLocator())
        else:
            ax.set_title("Test digits: true against predicted")
            ax.set_xlabel("predicted digit")
            ax.set_ylabel("true digit")
            ax.set_xticks(range(0, 10))
            ax.set_yticks(range(0, 10))
        ax.set_aspect("equal")

    # ----- the wiring ------------------------------------------------------------------------
    def update(self, change=None) -> None:
        """Retrain with the current control values and redraw (a refused value: a message, plot kept)."""
        self._long_run.start()
        self._partial = ([], [], [])
        try:
            result = run_generalisation(**self.values(), callback=self._on_record)
        except ValueError as exc:  # a value of the wrong type, or a run beyond the work budget
            self.error = str(exc)
            self.readout.value = (f'<span style="color:{WARNING_COLOR}"><b>{html.escape(self.error)}</b></span> '
                                  "(the plot shows the last good run)")
            return
        finally:
            self._long_run.end()
        self.error = ""
        self.result = result
        self._draw(result)
        self.readout.value = readout_html(result)

    def _on_record(self, iteration, training_cost, validation_cost):
        """``callback`` of the run: a progress bar and growing curves for long runs."""
        steps, train, val = self._partial
        steps.append(iteration)
        train.append(training_cost)
        val.append(validation_cost)
        total = self.iterations.value
        if self._long_run.due(iteration, total):
            self._draw_costs(np.array(steps), np.array(train), np.array(val), total)
            self.best_point.set_visible(False)
            self.stop_line.set_visible(False)
            self.view.refresh()

    def _draw_costs(self, steps, train, val, total):
        ax = self.training_line.axes
        self.training_line.set_data(steps, train)
        self.validation_line.set_data(steps, val)
        ax.set_xlim(0, max(total, 10))
        ax.set_ylim(*cost_limits(np.concatenate([train, val]), low=1e-3))

    def _draw(self, result):
        c = result.curves
        if len(c.iterations):
            self._draw_costs(c.iterations, c.training_cost, c.validation_cost, result.settings["iterations"])
            k = c.best
            self.best_point.set_data([c.iterations[k]], [c.validation_cost[k]])
        self.best_point.set_visible(len(c.iterations) > 0)
        self.stop_line.set_visible(result.stopped_at is not None)
        if result.stopped_at is not None:
            self.stop_line.set_xdata([result.stopped_at, result.stopped_at])
        kind = result.split.kind
        ax = self.regions.axes
        two_d = kind == "2-D"
        self.regions.set_visible(two_d and result.regions is not None)
        self.confusion.set_visible(not two_d and result.confusion is not None)
        for points in (*self.train_points, *self.test_points):
            points.set_visible(two_d)
        if two_d:
            X_test, Y_test = result.split.test
            for c_, (train, test) in enumerate(zip(self.train_points, self.test_points)):
                train.set_offsets(result.X[np.argmax(result.Y, axis=1) == c_])
                test.set_offsets(X_test[np.argmax(Y_test, axis=1) == c_])
            if result.regions is not None:
                self.regions.set_data(result.regions)
                self.regions.set_extent(result.extent)
                ax.set_xlim(result.extent[:2])
                ax.set_ylim(result.extent[2:])
        else:
            if result.confusion is not None:
                self.confusion.set_data(result.confusion)
                self.confusion.set_clim(0, max(int(result.confusion.max()), 1))
            ax.set_xlim(-0.5, 9.5)
            ax.set_ylim(9.5, -0.5)
        full = kind != self._kind  # new titles and ticks: the static picture changes too
        if full:
            self._label_right(kind)
            self._kind = kind
        self.view.refresh(full=full)
