"""The widget of notebook 06: the backward pass on a drawn computational graph, node by node.

The graph is the cost of a 1-1-2 network for one data point, built from
:class:`~backproplab.autodiff.Value` by :func:`~backproplab.graphs.network_graph`.  In
reverse mode, step ``k`` is the ``k``-th operation visited from ``C`` backwards: its
gradient dC/dv is complete, and it passes ``local derivative x gradient`` to each of its
inputs.  A node used twice (here the hidden activation, used by both output neurons)
receives two contributions, which add up: the sum over ``k`` in equation (23).  In forward
mode, step ``k`` is the ``k``-th operation from the leaves: its tangent dv/dp for the
chosen parameter ``p`` is the sum of local derivative x input tangent.

The pure functions (:func:`reverse_states`, :func:`forward_states`, :func:`describe`)
compute every step; :class:`BackwardPassExplorer` only connects the controls to them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np

from ..graphs import draw_graph, layout, network_graph, op_symbol
from ..network import Network
from ..plots import COLORS, new_figure
from .common import FigureView, on_change, panel, readout

ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu")
REVERSE = "reverse"
MAX_NODES = 200  # the widget draws small graphs only: bounded work per step


@dataclass
class State:
    """The graph after ``step`` operations of a sweep.

    Attributes
    ----------
    mode : str
        ``"reverse"`` (values are gradients dC/dv) or ``"forward"`` (tangents dv/dp).
    step : int
        0 before the first operation; ``k`` after the k-th.
    node : Value or None
        The operation visited at this step (None at step 0).
    values : dict
        ``id(v) -> number`` for every node reached so far.
    done : set
        ``id`` of the nodes whose value is final.
    passed : list of (Value, float, float)
        ``(input, local derivative, amount)`` moved along each edge at this step.
    summed : list of Value
        Inputs that already held a gradient from another path, to which this step added.
    """

    mode: str
    step: int
    node: object
    values: dict
    done: set
    passed: list
    summed: list = field(default_factory=list)


def reverse_states(root) -> list:
    """Every state of reverse mode on the graph ending at ``root``: step 0, then one per operation."""
    order = root.topological_order()
    if len(order) > MAX_NODES:
        raise ValueError(f"the graph has {len(order)} nodes; the widget draws at most {MAX_NODES}")
    waiting = {id(v): 0 for v in order}  # users that have not yet passed their gradient back
    for v in order:
        for u in v.inputs:
            waiting[id(u)] += 1
    states = [State(REVERSE, 0, None, {id(root): 1.0}, {id(root)}, [])]
    for node in root.backward_steps():
        if not node.inputs:
            continue  # a leaf passes nothing on
        before = states[-1]
        for u in node.inputs:
            waiting[id(u)] -= 1
        values = {id(v): v.grad for v in order if id(v) in before.values or any(v is u for u in node.inputs)}
        done = before.done | {id(u) for u in node.inputs if waiting[id(u)] == 0}
        passed = [(u, local, local * node.grad) for u, local in zip(node.inputs, node.local)]
        summed = [u for u in node.inputs if id(u) in before.values]
        states.append(State(REVERSE, len(states), node, values, done, passed, summed))
    return states


def forward_states(root, wrt) -> list:
    """Every state of forward mode for the leaf ``wrt``: the tangents dv/d(wrt), one operation per step."""
    order = root.topological_order()
    if len(order) > MAX_NODES:
        raise ValueError(f"the graph has {len(order)} nodes; the widget draws at most {MAX_NODES}")
    if not any(v is wrt for v in order) or wrt.inputs:
        raise ValueError("forward mode needs a leaf of this graph (a weight, a bias or an input) to differentiate by")
    leaves = {id(v): (1.0 if v is wrt else 0.0) for v in order if not v.inputs}
    states = [State("forward", 0, None, dict(leaves), set(leaves), [])]
    for node in (v for v in order if v.inputs):
        values = dict(states[-1].values)
        passed = [(u, local, local * values[id(u)]) for u, local in zip(node.inputs, node.local)]
        values[id(node)] = sum(amount for _, _, amount in passed)  # chain rule, left to right
        states.append(State("forward", len(states), node, values, states[-1].done | {id(node)}, passed))
    return states


def ascii_name(label) -> str:
    """A mathtext label such as ``$w^{[3]}_{21}$`` as plain text: w[3]_21."""
    return label.strip("$").replace("^{", "").replace("_{", "_").replace("}", "")


def plain(label) -> str:
    """A mathtext label such as ``$w^{[3]}_{21}$`` as HTML: w<sup>[3]</sup><sub>21</sub>."""
    html = re.sub(r"\^\{([^}]*)\}", r"<sup>\1</sup>", label.strip("$"))
    return re.sub(r"_\{([^}]*)\}", r"<sub>\1</sub>", html).replace("\\", "")


def name(node, labels) -> str:
    """How the readout calls a node: its label, or the operation it performs."""
    if id(node) in labels:
        return plain(labels[id(node)])
    return f"the {op_symbol(node)} node"


def describe(state, labels, total) -> str:
    """The readout for one state: what happened at this step, with the numbers."""
    last = f"Step {state.step} of {total}"
    if state.mode == REVERSE:
        if state.node is None:
            return (f"{last}: reverse mode starts at the end with dC/dC = 1. Press <b>step</b> to pass it "
                    f"backwards, one operation at a time.")
        node = state.node
        parts = [f"to {name(u, labels)}: {state.values[id(node)]:#.3g} &times; {local:#.3g} = {amount:#.3g}"
                 for u, local, amount in state.passed]
        text = (f"{last}: {name(node, labels)} has its complete gradient "
                f"dC/dv = {state.values[id(node)]:#.3g}. It passes gradient &times; local derivative "
                f"{'; '.join(parts)}.")
        for u in state.summed:
            text += (f" {name(u, labels)} already held a gradient from another path: the contributions add "
                     f"up to {state.values[id(u)]:#.3g} (the generalised chain rule; the sum over k in (23)).")
        if state.step == total:
            text += " Done: one sweep gave dC/dv for every node, every weight and bias at once."
        return text
    if state.node is None:
        return (f"{last}: forward mode starts at the leaves: tangent 1 for the chosen parameter, 0 for every "
                f"other leaf. Press <b>step</b> to push it forwards.")
    parts = " + ".join(f"{local:#.3g} &times; {state.values[id(u)]:#.3g}" for u, local, _ in state.passed)
    text = (f"{last}: tangent of {name(state.node, labels)} = sum of local derivative &times; input tangent "
            f"= {parts} = {state.values[id(state.node)]:#.3g}.")
    if state.step == total:
        text += (" Done: one sweep gave the derivative of C with respect to <i>one</i> parameter; every other "
                 "parameter needs a sweep of its own.")
    return text


def picture(state, root):
    """``text, colors, edges, edge_text`` for :func:`~backproplab.graphs.draw_graph`."""
    word = "grad" if state.mode == REVERSE else "tangent"
    text, colors = {}, {}
    for v in root.topological_order():
        line = f"data {v.data:#.3g}"
        if id(v) in state.values:
            line += f"\n{word} {state.values[id(v)]:#.3g}"
            colors[id(v)] = COLORS["sky"] if id(v) in state.done else COLORS["yellow"]
        text[id(v)] = line
    if state.node is not None:
        colors[id(state.node)] = COLORS["orange"]
    edges = [(u, state.node) for u, _, _ in state.passed]
    edge_text = {(id(u), id(state.node)): f"×{local:#.3g}" for u, local, _ in state.passed}
    return text, colors, edges, edge_text


def small_network(activation="sigmoid", seed=3):
    """The notebook's small network, 1-1-2 with quadratic cost, and its data point ``x = 0.5, y = (1, 0)``."""
    if activation not in ACTIVATION_CHOICES:
        raise ValueError(f"activation must be one of {ACTIVATION_CHOICES}, got {activation!r}")
    return Network([1, 1, 2], activation=activation, seed=seed), np.array([0.5]), np.array([1.0, 0.0])


class BackwardPassExplorer:
    """Step through reverse mode (or forward mode) on the computational graph of a small network.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu"}
    seed : int
        Seed of the 1-1-2 network's weights.

    Attributes
    ----------
    mode, activation : ipywidgets.Dropdown
    step : ipywidgets.IntSlider
    back, forward : ipywidgets.Button
    widget : ipywidgets.VBox
    graph : NetworkGraph
    states : list of State
    state : State or None
        The state on display (None if the last choice was invalid).
    """

    def __init__(self, activation="sigmoid", seed=3):
        self.seed = seed
        self.graph = network_graph(*small_network(activation, seed))
        modes = [("reverse mode: every dC/dv", REVERSE)] + [
            (f"forward mode: d/d{ascii_name(self.graph.labels[id(p)])}", i) for i, p in enumerate(self.graph.parameters)]
        self.mode = widgets.Dropdown(options=modes, value=REVERSE, description="mode")
        self.activation = widgets.Dropdown(options=ACTIVATION_CHOICES, value=activation, description="activation")
        self.step = widgets.IntSlider(value=0, min=0, max=1, description="step", continuous_update=False)
        self.back = widgets.Button(description="◀ back", layout=widgets.Layout(width="90px"))
        self.forward = widgets.Button(description="step ▶", layout=widgets.Layout(width="90px"))
        self.figure, self.ax = new_figure(figsize=(14.0, 6.0))
        self.view = FigureView(self.figure)
        self.readout = readout()
        self.widget = panel([[self.mode, self.activation], [self.back, self.step, self.forward]], self.view,
                            self.readout, "BackwardPassExplorer: reverse mode on a small network's graph, "
                                          "one operation per step")
        self.back.on_click(lambda _: self._move(-1))
        self.forward.on_click(lambda _: self._move(+1))
        on_change([self.mode, self.activation], self._rebuild)
        on_change([self.step], self._update)
        self.state = None
        self._rebuild()

    def _move(self, delta):
        self.step.value = min(max(self.step.value + delta, 0), self.step.max)

    def _rebuild(self, change=None):
        try:
            self.graph = network_graph(*small_network(self.activation.value, self.seed))
            mode, parameters = self.mode.value, self.graph.parameters
            if mode == REVERSE:
                self.states = reverse_states(self.graph.cost)
            elif isinstance(mode, int) and 0 <= mode < len(parameters):  # never trust a control's value
                self.states = forward_states(self.graph.cost, parameters[mode])
            else:
                raise ValueError(f"mode must be {REVERSE!r} or a parameter's index from 0 to {len(parameters) - 1}")
        except ValueError as exc:
            self.state, self.states = None, []
            self.readout.value = f"<b>Cannot show this:</b> {exc}"
            return
        self.positions = layout(self.graph.cost)
        self.step.max = len(self.states) - 1
        if self.step.value == 0:
            self._update()
        else:
            self.step.value = 0  # calls _update

    def _update(self, change=None):
        if not self.states:  # the last choice was refused; its message stays on display
            return
        k = self.step.value
        if not (isinstance(k, (int, np.integer)) and 0 <= k < len(self.states)):
            self.state = None
            self.readout.value = f"<b>Cannot show this:</b> step must be an integer from 0 to {len(self.states) - 1}"
            return
        self.state = state = self.states[k]
        text, colors, edges, edge_text = picture(state, self.graph.cost)
        self.ax.clear()
        draw_graph(self.ax, self.graph.cost, self.graph.labels, self.positions, text, colors, edges, edge_text)
        what = ("reverse mode: gradients flow from C back to the leaves" if state.mode == REVERSE else
                f"forward mode: tangents d/d{ascii_name(self.graph.labels[id(self.graph.parameters[self.mode.value])])}"
                " flow from the leaves to C")
        key = ("orange: this step · blue: complete · yellow: partly summed" if state.mode == REVERSE
               else "orange: this step · blue: tangent known")
        self.ax.set_title(f"{what} ({self.activation.value}, step {k} of {len(self.states) - 1})\n{key}", fontsize=13)
        self.readout.value = describe(state, self.graph.labels, len(self.states) - 1)
        self.view.refresh()
