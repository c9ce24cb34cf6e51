"""Computational graphs of :class:`~backproplab.autodiff.Value`: a network's cost as a graph,
forward mode on it, what each way of differentiating costs, and a drawing.

* :func:`network_graph` builds the cost of a :class:`~backproplab.network.Network` from Values,
  one node per multiplication, addition and activation, so ``graph.cost.backward()`` is
  reverse mode (backpropagation) on it;
* :func:`tangents` is forward mode on the same graph: one sweep from the leaves to ``C``
  carries the derivative with respect to *one* chosen leaf;
* :func:`count_modes` runs forward mode, reverse mode and central differences and counts
  the operations each performs;
* :func:`layout` and :func:`draw_graph` draw a small graph.

Counting.  An *operation* is one node evaluated (``N`` per evaluation of ``C``); an *edge*
is one input of a node, and a sweep of the chain rule does one multiply-add per edge
(``E`` per sweep).  Forward mode: one evaluation and one sweep per parameter, ``N + P E``;
reverse mode: one evaluation and one sweep, ``N + E``; central differences: two evaluations
per parameter, ``2 P N``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .autodiff import Value
from .plots import COLORS
from .validation import as_pair, check_labels_for_cost

ACTIVATIONS = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu, "linear": lambda z: z}


@dataclass
class NetworkGraph:
    """A network's cost built from Values.

    Attributes
    ----------
    cost : Value
        ``C``: the per-sample cost (18), or for a batch the mean over the samples (9).
    weights, biases : list
        Leaves, in the order of ``net.weights`` / ``net.biases``: ``weights[i][j][k]`` holds
        entry ``(j, k)`` of the i-th weight matrix, ``biases[i][j]`` entry ``j`` of its bias.
    inputs : list of list of Value
        ``inputs[s][k]`` is ``x_k`` of sample ``s`` (leaves too: reverse mode gives dC/dx).
    labels : dict
        ``id(node) -> name`` in the notes' notation (matplotlib mathtext), for drawing.
    """

    cost: Value
    weights: list
    biases: list
    inputs: list
    labels: dict = field(default_factory=dict)

    @property
    def parameters(self) -> list:
        """Every weight and bias Value: layer by layer, each W row by row, then its b."""
        return [v for W, b in zip(self.weights, self.biases) for v in [w for row in W for w in row] + b]

    def gradients(self):
        """``(grad_W, grad_b)`` from the ``.grad`` of the leaves, shaped as ``net.gradients`` returns them."""
        return ([np.array([[w.grad for w in row] for row in W]) for W in self.weights],
                [np.array([v.grad for v in b]) for b in self.biases])


def flatten(grad_W, grad_b) -> np.ndarray:
    """Per-layer arrays (as ``net.gradients`` returns them) as one vector, in the order of
    :attr:`NetworkGraph.parameters`: each layer's W row by row, then its b."""
    return np.concatenate([np.concatenate([np.ravel(W), np.ravel(b)]) for W, b in zip(grad_W, grad_b)])


def network_graph(net, X, Y) -> NetworkGraph:
    """``net``'s cost on ``(X, Y)`` as a graph of Values, from (7), (19), (20) and (18) or cross-entropy.

    Each ``z_j = w_j1 a_1 + ... + w_jn a_n + b_j`` is ``n`` products, ``n - 1`` additions and
    one addition of the bias, so a neuron with ``n`` inputs has ``2n + 1`` operations (with
    its activation) and ``4n + 1`` edges.

    Parameters
    ----------
    net : Network
    X : array_like of shape (n_1,) or (n_samples, n_1)
    Y : array_like of shape (n_L,) or (n_samples, n_L)
    """
    X, Y = as_pair(X, Y, net.sizes[0], net.sizes[-1])
    cost_name = net.cost_function.name
    check_labels_for_cost(Y, cost_name)
    sigmas = [net.activation.name] * (len(net.sizes) - 2) + [net.output_activation.name]
    if cost_name not in ("quadratic", "cross_entropy") or any(s not in ACTIVATIONS for s in sigmas):
        raise ValueError(f"network_graph knows the activations {sorted(ACTIVATIONS)} and the costs "
                         f"'quadratic', 'cross_entropy'; got {sigmas} and {cost_name!r}")
    labels = {}

    def leaf(x, name):
        v = Value(x)
        labels[id(v)] = name
        return v

    weights = [[[leaf(w, rf"$w^{{[{l}]}}_{{{j + 1}{k + 1}}}$") for k, w in enumerate(row)] for j, row in enumerate(W)]
               for l, W in enumerate(net.weights, start=2)]
    biases = [[leaf(bj, rf"$b^{{[{l}]}}_{{{j + 1}}}$") for j, bj in enumerate(b)] for l, b in enumerate(net.biases, start=2)]
    samples = [(X, Y)] if X.ndim == 1 else list(zip(X, Y))
    inputs, costs = [], []
    for x, y in samples:
        a = [leaf(xk, rf"$x_{{{k + 1}}}$") for k, xk in enumerate(x)]  # (7) a[1] = x
        inputs.append(a)
        for l, (W, b, sigma) in enumerate(zip(weights, biases, sigmas), start=2):
            z = []
            for j, (row, bj) in enumerate(zip(W, b)):
                total = row[0] * a[0]
                for w, ak in zip(row[1:], a[1:]):
                    total = total + w * ak
                z.append(total + bj)  # (19) z_j = sum_k w_jk a_k + b_j
                labels[id(z[-1])] = rf"$z^{{[{l}]}}_{{{j + 1}}}$"
            a = [ACTIVATIONS[sigma](zj) for zj in z]  # (20) a = sigma(z)
            for j, aj in enumerate(a):
                labels.setdefault(id(aj), rf"$a^{{[{l}]}}_{{{j + 1}}}$")
        costs.append(_sample_cost(a, y, cost_name, labels))
    cost = costs[0]
    for c in costs[1:]:
        cost = cost + c
    if len(costs) > 1:
        cost = cost * (1.0 / len(costs))  # (9) the mean over the samples
    labels[id(cost)] = "$C$"
    return NetworkGraph(cost, weights, biases, inputs, labels)


def _sample_cost(a, y, cost_name, labels):
    """C = 1/2 sum_j (a_j - y_j)^2 (18), or -sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)]."""
    if cost_name == "quadratic":
        differences = [aj - yj for aj, yj in zip(a, y)]
        for j, d in enumerate(differences):
            labels[id(d)] = rf"$a_{{{j + 1}}} - y_{{{j + 1}}}$"
        terms = [d ** 2 for d in differences]
    else:  # a term whose factor y_j or 1 - y_j is 0 is left out: it adds 0 to C and to dC/da
        terms = [t for aj, yj in zip(a, y) for t in
                 ((-yj) * aj.log() if yj != 0 else None, (yj - 1) * (1 - aj).log() if yj != 1 else None) if t is not None]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total * 0.5 if cost_name == "quadratic" else total


# ----- forward mode and counting -----------------------------------------------------
def graph_size(root):
    """``(N, E)``: the operations (nodes with inputs) and edges of the graph ending at ``root``."""
    order = root.topological_order()
    return sum(1 for v in order if v.inputs), sum(len(v.inputs) for v in order)


def tangents(root, wrt, order=None) -> dict:
    """Forward mode: ``id(v) -> dv/d(wrt)`` for every node ``v``, in one sweep from the leaves.

    Each node's tangent is the sum over its inputs of local derivative times the input's
    tangent (the chain rule, left to right); only ``wrt`` starts at 1.
    """
    order = root.topological_order() if order is None else order
    dot = {id(v): 0.0 for v in order}
    dot[id(wrt)] = 1.0
    for v in order:
        if v.inputs:
            dot[id(v)] = sum(local * dot[id(u)] for u, local in zip(v.inputs, v.local))
    return dot


@dataclass
class ModeCounts:
    """Operations counted while differentiating ``C`` by each method (see the module docstring).

    The gradients are flat arrays in the order of :attr:`NetworkGraph.parameters`.
    """

    parameters: int
    operations: int
    edges: int
    forward_mode: int
    reverse_mode: int
    central_differences: int
    forward_gradient: np.ndarray
    reverse_gradient: np.ndarray
    central_gradient: np.ndarray


def count_modes(net, X, Y, eps=1e-6) -> ModeCounts:
    """Differentiate ``net``'s cost with respect to every parameter three ways, counting as it goes."""
    graph = network_graph(net, X, Y)
    C, params = graph.cost, graph.parameters
    order = C.topological_order()
    N, E = graph_size(C)
    # forward mode: one sweep per parameter, one multiply-add per edge of each sweep
    forward = np.array([tangents(C, p, order)[id(C)] for p in params])
    forward_ops = N + len(params) * E
    # reverse mode: one sweep for all; count the multiply-adds it actually makes
    reverse_ops = N
    for node in C.backward_steps():
        reverse_ops += len(node.inputs)
    reverse = np.array([p.grad for p in params])
    # central differences: rebuild (evaluate) the graph at p + eps and p - eps for every p
    central, central_ops, copy = [], 0, net.copy()
    for P in [P for W, b in zip(copy.weights, copy.biases) for P in (W, b)]:
        for idx in np.ndindex(P.shape):
            old, values = P[idx], []
            for h in (eps, -eps):
                P[idx] = old + h
                cost = network_graph(copy, X, Y).cost
                central_ops += graph_size(cost)[0]
                values.append(cost.data)
            P[idx] = old
            central.append((values[0] - values[1]) / (2 * eps))
    return ModeCounts(len(params), N, E, forward_ops, reverse_ops, central_ops, forward, reverse, np.array(central))


# ----- drawing -----------------------------------------------------------------------
def layout(root, gap=1.3) -> dict:
    """``id(node) -> (x, y)`` for drawing: columns left to right by depth, each leaf one column
    before its first user, and each node level with the mean of its users where there is room."""
    order = root.topological_order()
    users = {id(v): [] for v in order}
    for v in order:
        for u in v.inputs:
            users[id(u)].append(v)
    col = {}
    for v in order:
        col[id(v)] = 1 + max((col[id(u)] for u in v.inputs), default=-1)
    for v in order:
        if not v.inputs and users[id(v)]:  # a leaf sits one column before its first user
            col[id(v)] = min(col[id(u)] for u in users[id(v)]) - 1
    rank, stack = {}, [root]  # depth-first from C, first input first: ties keep the inputs' order
    while stack:
        v = stack.pop()
        if id(v) not in rank:
            rank[id(v)] = len(rank)
            stack.extend(reversed(v.inputs))
    y = {}
    for c in sorted(set(col.values()), reverse=True):  # from C back to the leaves
        nodes = [v for v in order if col[id(v)] == c]
        want = {id(v): np.mean([y[id(u)] for u in users[id(v)]]) if users[id(v)] else 0.0 for v in nodes}
        nodes.sort(key=lambda v: (-want[id(v)], rank[id(v)]))
        placed = []
        for v in nodes:  # top to bottom, at least `gap` apart
            placed.append(min(want[id(v)], placed[-1] - gap) if placed else want[id(v)])
        shift = np.mean([want[id(v)] - p for v, p in zip(nodes, placed)])  # centre the column on its wishes
        for v, p in zip(nodes, placed):
            y[id(v)] = p + shift
    return {id(v): (float(col[id(v)]), float(y[id(v)])) for v in order}


def op_symbol(node) -> str:
    """What is written inside a node: the operation (``×``, ``+``, ``σ``...), or "" for a leaf."""
    op = node.op
    for ascii_op, symbol in (("**", "^"), ("*", "×"), ("-", "−"), ("/", "÷")):
        op = op.replace(ascii_op, symbol)
    return {"sigmoid": "σ", "neg": "−x", "^2": "( )²"}.get(op, op)


def draw_graph(ax, root, labels, positions=None, text=None, colors=None, edges=(), edge_text=None):
    """Draw the graph ending at ``root`` on ``ax``.

    Parameters
    ----------
    labels : dict ``id(node) -> name``, written above the node (leaves: inside it)
    positions : dict from :func:`layout` (computed if None)
    text : dict ``id(node) -> str`` written under the node (values, gradients...)
    colors : dict ``id(node) -> colour`` of the node's face (default white)
    edges : pairs ``(input, node)`` drawn highlighted
    edge_text : dict ``(id(input), id(node)) -> str`` written on highlighted edges
    """
    positions = layout(root) if positions is None else positions
    text, colors, edge_text = text or {}, colors or {}, edge_text or {}
    hot = {(id(u), id(v)) for u, v in edges}
    for v in root.topological_order():
        x, y = positions[id(v)]
        for u in v.inputs:
            ux, uy = positions[id(u)]
            on = (id(u), id(v)) in hot
            ax.annotate("", (x, y), (ux, uy), zorder=2 if on else 1,
                        arrowprops=dict(arrowstyle="-|>", shrinkA=16, shrinkB=16, lw=3.2 if on else 1.1,
                                        color=COLORS["vermillion"] if on else "0.55"))
            if on and (id(u), id(v)) in edge_text:
                ax.text((x + ux) / 2, (y + uy) / 2, edge_text[id(u), id(v)], ha="center", va="center",
                        fontsize=10, color=COLORS["vermillion"], zorder=5,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
        leaf = not v.inputs
        ax.scatter([x], [y], s=1300, marker="s" if leaf else "o", zorder=3, edgecolors="black", linewidths=1.2,
                   color=colors.get(id(v), "#EEEEEE" if leaf else "white"))
        inside = labels.get(id(v), "") if leaf else op_symbol(v)
        ax.text(x, y, inside, ha="center", va="center", fontsize=12 if len(inside) < 4 or leaf else 9, zorder=4)
        if not leaf and id(v) in labels:
            ax.text(x, y + 0.3, labels[id(v)], ha="center", va="bottom", fontsize=12, zorder=4)
        if id(v) in text:
            ax.text(x, y - 0.3, text[id(v)], ha="center", va="top", fontsize=9.5, zorder=4, linespacing=1.1)
    xs, ys = zip(*positions.values())
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.7)
    ax.axis("off")
    return ax
