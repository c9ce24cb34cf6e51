"""Pictures of a network and of its weight gradients (notebooks 00 and 04).

* :func:`plot_network`: the neurons and weights of a network, layers numbered as in the
  notes, one weight highlighted, with the code's names for ``a[l]``, ``W[l]`` and ``b[l]``;
* :func:`plot_gradient_heatmap`: a matrix such as ``dC/dW[l]`` as a table of coloured,
  numbered cells (blue positive, red negative, white zero).

Both draw onto an ``ax`` they are given and return it, in the style of :mod:`.plots`.
"""
from __future__ import annotations

import numpy as np

from .plots import COLORS

HEATMAP_CMAP = "RdBu"  # diverging: red negative, white zero, blue positive


def _positions(sizes):
    """``{(l, j): (x, y)}`` for neuron ``j`` (from 1) of layer ``l`` (from 1); neuron 1 on top."""
    return {(l, j): (l, (n + 1) / 2 - j) for l, n in enumerate(sizes, start=1) for j in range(1, n + 1)}


def plot_network(ax, sizes, highlight=None, code_names=True, reach=False, title=None):
    """Draw a fully connected network with the notes' layer and neuron numbers.

    Parameters
    ----------
    ax : matplotlib Axes
    sizes : sequence of int
        Layer widths, input first (``net.sizes``).
    highlight : (l, j, k), optional
        The weight ``w^[l]_jk`` from neuron ``k`` of layer ``l-1`` to neuron ``j`` of layer
        ``l``, drawn thick and labelled (with its code name ``net.weights[l][j-1, k-1]``
        when ``code_names``).
    code_names : bool
        Label each layer with ``trace.a[l]``, ``net.weights[l]`` and ``net.biases[l]``.
    reach : bool
        Colour the neurons a nudge to the highlighted weight reaches: ``z^[l]_j`` directly
        and every neuron after it, leaving the earlier ones white.
    title : str, optional

    Returns
    -------
    ax
    """
    pos = _positions(sizes)
    L = len(sizes)
    top, bottom = max(sizes) / 2 + 0.45, -max(sizes) / 2 - 0.15
    for (l, j), (x1, y1) in pos.items():  # every weight is an edge into (l, j)
        if l > 1:
            for k in range(1, sizes[l - 2] + 1):
                x0, y0 = pos[l - 1, k]
                ax.plot([x0, x1], [y0, y1], color="0.78", lw=1.4, zorder=1)
    if highlight is not None:
        l, j, k = highlight
        (x0, y0), (x1, y1) = pos[l - 1, k], pos[l, j]
        ax.plot([x0, x1], [y0, y1], color=COLORS["vermillion"], lw=4.5, zorder=2)
        label = rf"$w^{{[{l}]}}_{{{j}{k}}}$"
        if code_names:
            label += f" = net.weights[{l}][{j - 1}, {k - 1}]"
        ax.annotate(label, xy=((x0 + x1) / 2, (y0 + y1) / 2), xytext=(l - 0.5, bottom - (0.75 if code_names else 0.3)),
                    color=COLORS["vermillion"], fontsize=13, ha="center",
                    arrowprops=dict(arrowstyle="->", color=COLORS["vermillion"]))
    for (l, j), (x, y) in pos.items():
        if reach and highlight is not None:
            hl, hj, _ = highlight
            face = COLORS["vermillion"] if (l, j) == (hl, hj) else COLORS["orange"] if l > hl else "white"
            text_color = "black"
        else:
            face = COLORS["sky"] if l == 1 else COLORS["blue"]
            text_color = "white"
        ax.scatter(x, y, s=800, color=face, edgecolors="black", linewidths=1.2, zorder=3)
        ax.text(x, y, str(j), color=text_color, ha="center", va="center", fontsize=13, weight="bold", zorder=4)
    for l, n in enumerate(sizes, start=1):
        role = " (input)" if l == 1 else " (output)" if l == L else ""
        ax.text(l, top, f"layer $l = {l}${role}\n$n_{{{l}}} = {n}$", ha="center", va="bottom", fontsize=12)
        if code_names:
            ax.text(l, bottom, f"$a^{{[{l}]}}$ = trace.a[{l}]", ha="center", va="top", fontsize=11,
                    color=COLORS["blue"])
        if code_names and l > 1:
            ax.text(l - 0.5, top - 0.3, f"$W^{{[{l}]}}$, $b^{{[{l}]}}$\nnet.weights[{l}]\nnet.biases[{l}]",
                    ha="center", va="top", fontsize=11, color=COLORS["green"])
    if reach and highlight is not None:
        for face, label in (("white", "unchanged"), (COLORS["vermillion"], "changes directly"),
                            (COLORS["orange"], "changes through it")):
            ax.scatter([], [], s=200, color=face, edgecolors="black", label=label)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=11)
    ax.set_xlim(0.4, L + 0.6)
    ax.set_ylim(bottom - (1.2 if highlight is not None and code_names else 0.7), top + 0.9)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_gradient_heatmap(ax, G, layer, title=None, vmax=None, fmt="{:.1e}"):
    """A matrix such as ``dC/dW^[l]`` as a heatmap with its values written in.

    Parameters
    ----------
    ax : matplotlib Axes
    G : ndarray of shape (n_l, n_{l-1})
    layer : int
        The notes' layer number ``l``: rows are neurons of layer ``l``, columns of ``l - 1``.
    title : str, optional
    vmax : float, optional
        The colour scale runs from ``-vmax`` (red) to ``vmax`` (blue); default ``max |G|``.
    fmt : str
        Format of the written values.

    Returns
    -------
    matplotlib.image.AxesImage (for a colour bar)
    """
    G = np.asarray(G, dtype=float)
    if vmax is None:
        vmax = float(np.max(np.abs(G))) or 1.0  # 1.0 for an all-zero matrix
    image = ax.imshow(G, cmap=HEATMAP_CMAP, vmin=-vmax, vmax=vmax)
    for (j, k), v in np.ndenumerate(G):
        ax.text(k, j, fmt.format(v + 0.0), ha="center", va="center", fontsize=11,
                color="white" if abs(v) > 0.6 * vmax else "black")
    ax.set_xticks(range(G.shape[1]), [str(k + 1) for k in range(G.shape[1])])
    ax.set_yticks(range(G.shape[0]), [str(j + 1) for j in range(G.shape[0])])
    ax.set_xlabel(f"column $k$ (neuron of layer {layer - 1})")
    ax.set_ylabel(f"row $j$ (neuron of layer {layer})")
    ax.grid(False)
    if title:
        ax.set_title(title, fontsize=12)
    return image
