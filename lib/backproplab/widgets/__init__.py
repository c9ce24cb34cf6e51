"""Interactive widgets for the notebooks: wiring only.

Every widget keeps its model apart from the GUI: a pure function in its module computes
what to show from the control values, and the widget class only connects sliders to it.
The classes are importable from here, e.g. ``from backproplab.widgets import TrainingExplorer``.
"""
from importlib import import_module

from .common import FigureView, Panel, readout

# widget class -> the module (one per notebook topic) that defines it
_WIDGETS = {
    "ActivationExplorer": "activation",      # notebook 00
    "OutputDeltaExplorer": "output_delta",   # notebook 01
    "SensitivityExplorer": "sensitivity",    # notebook 02
    "DepthExplorer": "depth",                # notebook 02
    "BiasGradientExplorer": "bias",          # notebook 03
    "WeightGradientExplorer": "weights",     # notebook 04
    "TrainingExplorer": "training",          # notebook 05
    "BackwardPassExplorer": "backward_pass",  # notebook 06
    "GeneralisationExplorer": "generalisation",  # notebook 07
}

__all__ = ["FigureView", "Panel", "readout", *_WIDGETS]


def __getattr__(name):
    # Import a widget's module only when it is first used: a notebook about output deltas
    # need not load the training explorer.
    if name in _WIDGETS:
        return getattr(import_module(f".{_WIDGETS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
