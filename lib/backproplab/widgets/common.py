"""Pieces every widget shares: a matplotlib figure shown as an image, and a readout.

Why an image and not ``ipywidgets.Output``: output printed into an ``Output`` widget is
stored inside the widget by JupyterLab but recorded as ordinary cell output by nbval, so
notebooks using it cannot pass strict nbval.  An ``Image`` widget holding a PNG works the
same in JupyterLab, Notebook 7 and Voila, and its value is never compared.
"""
from __future__ import annotations

import struct
import time
import zlib

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..plots import STYLE

# Pixels drawn per pixel shown: the picture stays sharp on high-DPI screens and projectors
# and is never stretched beyond the pixels it has.
PIXEL_RATIO = 2


def png_bytes(rgba) -> bytes:
    """A PNG file of an RGBA image, array_like of shape (height, width, 4) with values 0-255.

    Written directly (rows unfiltered, zlib level 1, alpha dropped): for these flat plots
    three times faster than Pillow's encoder, whose adaptive filters cost more than the
    drawing, and hardly larger.
    """
    rgb = np.asarray(rgba)[:, :, :3]
    height, width = rgb.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter type 0, then R, G, B, ...
    rows[:, 1:] = rgb.reshape(height, 3 * width)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b""))


class FigureView:
    """An ``ipywidgets.Image`` showing a matplotlib ``Figure``.

    Update the figure's artists (``line.set_data``...), then call :meth:`refresh`.

    The picture is shown :attr:`width` CSS pixels wide (the figure's size at the style's
    dpi, or less if the page is narrower) and drawn with ``pixel_ratio`` times as many
    pixels, so that it is never upscaled.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure made with :func:`backproplab.plots.new_figure`.
    pixel_ratio : int, optional
    """

    def __init__(self, figure, pixel_ratio=PIXEL_RATIO):
        self.figure, self.pixel_ratio = figure, pixel_ratio
        self.width = round(figure.get_figwidth() * STYLE["figure.dpi"])  # CSS pixels
        figure.set_dpi(STYLE["figure.dpi"] * pixel_ratio)
        self.canvas = FigureCanvasAgg(figure)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{self.width}px", max_width="100%",
                                                                       height="auto"))
        self.refresh()

    def refresh(self) -> None:
        """Redraw the figure and send the new picture to the browser."""
        with matplotlib.rc_context(STYLE):
            self.canvas.draw()
        self.send()

    def send(self) -> None:
        """Send what the canvas holds to the browser."""
        self.image.value = png_bytes(self.canvas.buffer_rgba())


class Panel(widgets.VBox):
    """The box a notebook displays, whose text form is one line.

    A static copy of a notebook (GitHub, nbviewer, the stored output nbval compares)
    shows a widget's text form; a VBox's would be the repr of every child, PNG bytes and
    all.  ``summary`` is shown instead.
    """

    def __init__(self, children, summary: str, **kwargs):
        super().__init__(children, **kwargs)
        self._summary = summary

    def __repr__(self) -> str:
        return self._summary


def readout(html: str = "") -> widgets.HTML:
    """An HTML widget for short results such as "cost 0.012, accuracy 10/10"."""
    return widgets.HTML(value=html, layout=widgets.Layout(min_height="1.5em"))


def panel(rows, view: FigureView, text: widgets.HTML, summary: str) -> Panel:
    """The usual layout: rows of controls, the figure under them, the readout last.

    Parameters
    ----------
    rows : list of lists of widgets, one list per row of controls
    view : FigureView
    text : the readout, from :func:`readout`
    summary : str, the one-line text form (see :class:`Panel`)
    """
    return Panel([widgets.HBox(list(row)) for row in rows] + [view.image, text], summary=summary)


def on_change(controls, callback) -> None:
    """Call ``callback(change)`` whenever the value of any of ``controls`` changes."""
    for control in controls:
        control.observe(callback, names="value")


def enforce_ranges(bounds) -> list:
    """Put numeric controls back into their ranges, in the kernel: never trust the browser.

    A client can send any value for a slider, and any ``min`` or ``max`` too (both are synced
    traits), so a slider's own validation is no guard.  Each control's range is restored and
    its value clamped into it.

    Parameters
    ----------
    bounds : sequence of (control, low, high, name)
        A slider or bounded text box, the range it must keep, and its name for the message.

    Returns
    -------
    list of str
        One plain sentence per value that was out of range (empty if none was).
    """
    notes = []
    for control, low, high, name in bounds:
        value = control.value
        control.max, control.min = max(control.max, high), min(control.min, low)  # widen: nothing clamps
        control.value = min(max(value, low), high)
        control.min, control.max = low, high
        if control.value != value:
            notes.append(f"{name} {value:g} is outside {low:g} to {high:g}: used {control.value:g}")
    return notes


# A long run: the progress bar appears after PROGRESS_AFTER seconds of training, and the
# growing curve is redrawn at most every DRAW_EVERY seconds (a short run shows neither).
PROGRESS_AFTER = 0.5
DRAW_EVERY = 0.5


def progress_bar() -> widgets.IntProgress:
    """The bar under an explorer's figure, hidden until a run takes long."""
    return widgets.IntProgress(value=0, min=0, max=1, description="training",
                               layout=widgets.Layout(visibility="hidden"))


class LongRun:
    """When a run's recordings should move the progress bar and redraw the growing curve.

    Call :meth:`start` before the run, :meth:`due` at each recording (True: redraw now, the
    bar has been moved), and :meth:`end` after it.  Timing is read from the module's
    ``PROGRESS_AFTER`` and ``DRAW_EVERY`` at each call.
    """

    def __init__(self, bar: widgets.IntProgress):
        self.bar = bar
        self._started = self._last_draw = 0.0

    def start(self) -> None:
        self._started = self._last_draw = time.perf_counter()

    def due(self, iteration: int, total: int) -> bool:
        now = time.perf_counter()
        if now - self._started < PROGRESS_AFTER or now - self._last_draw < DRAW_EVERY:
            return False
        self._last_draw = now
        self.bar.max, self.bar.value = total, min(iteration, total)
        self.bar.layout.visibility = "visible"
        return True

    def end(self) -> None:
        self.bar.layout.visibility = "hidden"
