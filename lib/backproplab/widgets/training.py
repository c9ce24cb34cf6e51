"""The widget of notebook 05: train a network and watch the cost and the decision regions.

The logic lives in :mod:`backproplab.explorer`: ``run_experiment`` turns the control values
into an ``ExperimentResult``.  This module wires the controls to it and draws the result.

Speed: a control change retrains and redraws.  The static parts of the figure (axes, ticks,
labels) are kept as a bitmap while the axis ranges stay put, and only the moving artists
are drawn on top ("blitting"): a few milliseconds instead of tens.
``benchmarks/bench_widgets.py`` measures the whole path.
"""
from __future__ import annotations

import html
import math

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.ticker import FuncFormatter, NullFormatter, NullLocator

from ..explorer import (ACTIVATION_CHOICES, BATCH_SIZE_RANGE, DATASETS, DEFAULTS, ITERATION_CHOICES,
                        LEARNING_RATE_RANGE, SEED_RANGE, clamp_settings, run_experiment)
from ..plots import COLORS, REGION_CMAP, STYLE, new_figure, plot_data
from .common import FigureView, LongRun, Panel, progress_bar, readout

# CSS classes: stable hooks for browser tests (tests/test_browser.py).
READOUT_CLASS = "bpl-readout"
LEARNING_RATE_CLASS = "bpl-learning-rate"
FIGURE_CLASS = "bpl-figure"
RETRAIN_CLASS = "bpl-retrain"

WARNING_COLOR = COLORS["vermillion"]
COST_RANGE = (1e-4, 10.0)  # y-range of the cost plot (the quadratic cost of these outputs is at most 2.5)


class BlitView(FigureView):
    """A :class:`FigureView` redrawing only the ``moving`` artists (in order) while the axes stay put."""

    def __init__(self, figure, moving):
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)  # a full draw leaves them out: they are drawn on top
        self._background, self._limits = None, None
        self._freeze_layout(figure)
        super().__init__(figure)  # sets the figure's dpi, makes the canvas, draws
        self.image.add_class(FIGURE_CLASS)

    @staticmethod
    def _freeze_layout(figure, max_rounds=6):
        """Let constrained layout settle (it moves the axes a bit at each draw), then fix it."""
        with matplotlib.rc_context(STYLE):
            for _ in range(max_rounds):
                before = [ax.get_position().bounds for ax in figure.axes]
                figure.draw_without_rendering()
                if [ax.get_position().bounds for ax in figure.axes] == before:
                    break
        figure.set_layout_engine("none")

    def _axis_limits(self):
        return tuple(ax.get_xlim() + ax.get_ylim() for ax in self.figure.axes)

    def refresh(self, full=False) -> None:
        """Draw the moving artists (everything when an axis range changed, or ``full``)."""
        with matplotlib.rc_context(STYLE):
            limits = self._axis_limits()
            if full or self._background is None or limits != self._limits:
                self.canvas.draw()  # the static parts only
                self._background = self.canvas.copy_from_bbox(self.figure.bbox)
                self._limits = limits
            else:
                self.canvas.restore_region(self._background)
            renderer = self.canvas.get_renderer()
            for artist in self.moving:
                artist.draw(renderer)
        self.send()


def _plain_log_ticks(axis):
    """Tick labels such as 0.01 and 1000 instead of 10^-2 and 10^3 (and no minor labels)."""
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_locator(NullLocator())
    axis.set_minor_formatter(NullFormatter())


def cost_limits(costs, low=COST_RANGE[0], high=COST_RANGE[1]):
    """``COST_RANGE``, widened by whole decades if needed: a fixed range lets runs be compared
    by eye, and a new run usually redraws only the curve (see :class:`BlitView`)."""
    costs = np.asarray(costs, dtype=float)
    costs = costs[np.isfinite(costs) & (costs > 0)]
    if costs.size:
        low = min(low, 10.0 ** math.floor(math.log10(costs.min())))
        high = max(high, 10.0 ** math.ceil(math.log10(costs.max())))
    return low, high


def readout_html(result) -> str:
    """The readout for a result: final cost and accuracy, then any warning in plain words."""
    if result.status == "diverged":
        text = "no final cost: training was stopped"
    else:
        text = (f"final cost <b>{result.final_cost:.4f}</b> &nbsp; accuracy <b>{result.n_correct}/{len(result.X)}</b> "
                f"({result.accuracy:.0%}) &nbsp; after {result.settings['iterations']:,} iterations")
    if result.message:
        sentence = result.message[0].upper() + result.message[1:]
        color = "inherit" if result.status == "partial" else WARNING_COLOR  # a partial fit is no failure
        text += f'<br><span style="color:{color}"><b>{sentence}.</b></span>'
    return text


class TrainingExplorer:
    """Train a small network on a two-class data set; see the cost curve and the regions.

    Every keyword sets a control's starting value (defaults in :data:`DEFAULTS`).

    Parameters
    ----------
    learning_rate : float, 1e-3 to 100 (a logarithmic slider)
    activation : {"sigmoid", "tanh"}
    dataset : {"higham", "xor", "circles", "moons", "spirals"}
    hidden : str, hidden layer widths such as ``"2, 3"``
    iterations : int, one of ITERATION_CHOICES (another value is added to the slider)
    batch_size : int, 1 to 100 samples per step, drawn with replacement
    seed : int, 0 to 10**6, of the initial weights and of the sample choice

    The ranges are :mod:`backproplab.explorer`'s.  A value from outside them (a browser can
    send any value, and any slider bound) is clamped back into its range before training,
    the control is reset and the readout says so.

    Attributes
    ----------
    learning_rate, activation, dataset, hidden, iterations, batch_size, seed : ipywidgets
        The controls; set ``.value`` from Python to change them.
    retrain : ipywidgets.Button, trains again with the next seed
    widget : Panel (an ipywidgets.VBox), what the notebook displays
    figure : matplotlib.figure.Figure
        Left the cost curve (``cost_line``, ``start_line``), right ``regions`` and ``points``.
    readout : ipywidgets.HTML; progress : ipywidgets.IntProgress
    result : ExperimentResult, the last run (a bad control value keeps it and sets ``error``)
    error : str, the message of the last bad control value ("" when the last update worked)
    notes : list of str, the values the last update had to clamp (empty if none)
    """

    def __init__(self, **values):
        unknown = set(values) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown control(s) {sorted(unknown)}: choose from {list(DEFAULTS)}")
        v = {**DEFAULTS, **values}
        wide = {"description_width": "initial"}

        def box(width):  # a fixed width, so that no label or button is cut off in a narrow window
            return widgets.Layout(width=width, flex="0 0 auto")

        self.learning_rate = widgets.FloatLogSlider(
            value=v["learning_rate"], base=10, min=math.log10(LEARNING_RATE_RANGE[0]),
            max=math.log10(LEARNING_RATE_RANGE[1]), step=0.05, readout_format=".3g",
            description="learning rate", continuous_update=False, style=wide, layout=box("28em"))
        self.learning_rate.add_class(LEARNING_RATE_CLASS)
        self.activation = widgets.ToggleButtons(options=ACTIVATION_CHOICES, value=v["activation"],
                                                style={"button_width": "6em"}, layout=box("auto"))
        self.dataset = widgets.Dropdown(options=DATASETS, value=v["dataset"], description="data set", style=wide,
                                        layout=box("13em"))
        self.hidden = widgets.Text(value=str(v["hidden"]), description="hidden layers", continuous_update=False,
                                   placeholder="e.g. 2, 3", style=wide, layout=box("15em"))
        choices = tuple(sorted(set(ITERATION_CHOICES) | {v["iterations"]}))
        self.iterations = widgets.SelectionSlider(options=choices, value=v["iterations"], description="iterations",
                                                  continuous_update=False, style=wide, layout=box("28em"))
        self.batch_size = widgets.IntSlider(value=v["batch_size"], min=BATCH_SIZE_RANGE[0], max=BATCH_SIZE_RANGE[1],
                                            description="batch size",
                                            continuous_update=False, style=wide, layout=box("22em"))
        self.seed = widgets.BoundedIntText(value=v["seed"], min=SEED_RANGE[0], max=SEED_RANGE[1], description="seed",
                                           style=wide, layout=box("8em"))
        # no icon: icon fonts come from a CDN, which a classroom network may not reach
        self.retrain = widgets.Button(description="retrain (next seed)", layout=box("13em"))
        self.retrain.add_class(RETRAIN_CLASS)
        self.readout = readout()
        self.readout.add_class(READOUT_CLASS)
        self.progress = progress_bar()
        self._long_run = LongRun(self.progress)
        self._build_figure()
        self.widget = Panel([
            widgets.HBox([self.learning_rate, self.activation]),
            widgets.HBox([self.iterations, self.batch_size]),
            widgets.HBox([self.dataset, self.hidden, self.seed, self.retrain]),
            self.view.image, self.readout, self.progress], summary="TrainingExplorer: cost curve and decision regions")
        self.result, self.error, self.notes, self._resetting = None, "", [], False
        for control in self.controls:
            control.observe(self.update, names="value")
        self.retrain.on_click(self._next_seed)
        self.update()

    @property
    def controls(self):
        """The seven controls, in the order of ``run_experiment``'s arguments."""
        return (self.learning_rate, self.activation, self.dataset, self.hidden, self.iterations,
                self.batch_size, self.seed)

    def values(self) -> dict:
        """The control values, as keyword arguments of ``run_experiment``."""
        return dict(zip(DEFAULTS, (c.value for c in self.controls)))

    def _build_figure(self):
        self.figure, (ax_cost, ax_regions) = new_figure(2)
        self.cost_line, = ax_cost.loglog([1, 2], [1, 1], color=COLORS["blue"], label="cost")
        self.start_line = ax_cost.axhline(1, color="gray", lw=1.2, ls="--", label="starting cost")
        for axis in (ax_cost.xaxis, ax_cost.yaxis):
            _plain_log_ticks(axis)
        ax_cost.set_xlabel("iteration (log scale)")
        ax_cost.set_ylabel("cost $C$ (log scale)")
        ax_cost.set_title("Cost: falling means learning")
        ax_cost.legend(loc="lower left", fontsize=10)
        self.regions = ax_regions.imshow(np.zeros((2, 2)), origin="lower", cmap=REGION_CMAP, vmin=0, vmax=1,
                                         interpolation="bilinear", interpolation_stage="data",
                                         extent=(0, 1, 0, 1), zorder=0)  # the 0/1 classes blend and are
        # thresholded again by the two-colour map: a smooth boundary from a coarse grid
        plot_data(ax_regions, np.zeros((2, 2)), np.eye(2), "Regions: the class of each point")
        self.points = ax_regions.collections[-2:]  # class 0, class 1
        ax_regions.grid(False)
        # Typical ranges, so that the layout frozen by BlitView leaves room for typical tick labels.
        ax_cost.set_xlim(1, 10_000)
        ax_cost.set_ylim(*COST_RANGE)
        ax_regions.set_xlim(-0.1, 1.1)
        ax_regions.set_ylim(-0.1, 1.1)
        self.view = BlitView(self.figure, [self.cost_line, self.start_line, self.regions, *self.points])

    def _next_seed(self, _button=None):
        self.seed.value = self.seed.value + 1  # the observer retrains

    def _bounds(self):
        """Each numeric control with the range it must keep (the log slider's in powers of 10)."""
        return ((self.learning_rate, *(math.log10(x) for x in LEARNING_RATE_RANGE)),
                (self.batch_size, *BATCH_SIZE_RANGE), (self.seed, *SEED_RANGE))

    def _reset_controls(self, values) -> None:
        """Show ``values`` and put every control's range back, without retraining meanwhile."""
        self._resetting = True
        try:
            for control, low, high in self._bounds():  # widen first: nothing clamps on the way
                control.max, control.min = max(control.max, high), min(control.min, low)
            for control, name in zip(self.controls, DEFAULTS):
                if control.value != values[name]:
                    control.value = values[name]
            for control, low, high in self._bounds():
                control.min, control.max = low, high
        finally:
            self._resetting = False

    def update(self, change=None) -> None:
        """Retrain with the current control values and redraw (a bad value: a message, plot kept).

        Never trusts the browser: a number outside its control's range is clamped into it
        first (:func:`~backproplab.explorer.clamp_settings`), and ``run_experiment`` refuses
        anything else out of range and any run too big for a classroom.
        """
        if self._resetting:
            return
        values, self.notes = clamp_settings(self.values())
        if self.notes or any((c.min, c.max) != (low, high) for c, low, high in self._bounds()):
            self._reset_controls(values)
        notes = "".join(f'<br><span style="color:{WARNING_COLOR}">{html.escape(n, quote=False)}.</span>' for n in self.notes)
        self._long_run.start()
        self._partial = ([], [])
        try:
            result = run_experiment(**values, callback=self._on_record)
        except ValueError as exc:  # a bad value typed into a control, or a run too big
            self.error = str(exc)
            self.readout.value = (f'<span style="color:{WARNING_COLOR}"><b>{html.escape(self.error, quote=False)}</b></span> '
                                  "(the plot shows the last good run)" + notes)
            return
        finally:
            self._long_run.end()
        self.error = ""
        self.result = result
        self._draw(result)
        self.readout.value = readout_html(result) + notes

    def _on_record(self, iteration, cost):
        """``callback`` of ``Network.train``: a progress bar and a growing curve for long runs."""
        steps, costs = self._partial
        steps.append(iteration)
        costs.append(cost)
        total = self.iterations.value
        if self._long_run.due(iteration, total):
            self._draw_cost(np.array(steps), np.array(costs), total)
            self.view.refresh()

    def _draw_cost(self, steps, costs, total):
        ax = self.cost_line.axes
        self.cost_line.set_data(np.maximum(steps, 1), costs)  # iteration 0 is drawn at 1
        self.start_line.set_ydata([costs[0], costs[0]])
        ax.set_xlim(1, max(total, 10))
        ax.set_ylim(*cost_limits(costs))

    def _draw(self, result):
        if len(result.cost):
            self._draw_cost(result.iterations, result.cost, result.settings["iterations"])
        labels = np.argmax(result.Y, axis=1)
        for c, points in enumerate(self.points):
            points.set_offsets(result.X[labels == c])
        ax = self.regions.axes
        self.regions.set_visible(result.regions is not None)  # no regions after a divergence
        if result.regions is not None:
            self.regions.set_data(result.regions)
        self.regions.set_extent(result.extent)
        ax.set_xlim(result.extent[:2])
        ax.set_ylim(result.extent[2:])
        self.view.refresh()
