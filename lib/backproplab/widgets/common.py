"""Pieces every widget shares: a matplotlib figure shown as an image, and a readout.

Why an image and not ``ipywidgets.Output``: output printed into an ``Output`` widget is
stored inside the widget by JupyterLab but recorded as ordinary cell output by nbval, so
notebooks using it cannot pass strict nbval.  An ``Image`` widget holding a PNG works the
same in JupyterLab, Notebook 7 and Voila, and its value is never compared.
"""
from __future__ import annotations

import ipywidgets as widgets

from ..plots import to_png


class FigureView:
    """An ``ipywidgets.Image`` showing a matplotlib ``Figure``.

    Update the figure's artists (``line.set_data``...), then call :meth:`refresh`.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure made with :func:`backproplab.plots.new_figure`.
    """

    def __init__(self, figure):
        self.figure = figure
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.refresh()

    def refresh(self) -> None:
        """Redraw the figure and send the new picture to the browser."""
        self.image.value = to_png(self.figure)


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
