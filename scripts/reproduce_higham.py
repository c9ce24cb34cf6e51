"""Reproduce Higham & Higham's full run: 10^6 steps of per-sample SGD on their ten points.

The network is their 2-2-3-2 sigmoid network with the quadratic cost, trained with
learning rate 0.05 from ``Network([2, 2, 3, 2], seed=5)`` with the sample choice seeded
by 5: the same run as notebook 05, which stops after 6 x 10^4 steps to stay within its
time budget.  Writes (``make reproduce``, about a minute):

* ``figures/higham_cost.png``: the cost against the iteration, log scales;
* ``figures/higham_boundary.png``: the trained network's decision regions with the data;
* ``data/higham_full_run.json``: the settings, the recorded cost and the final weights
  and biases, so that notebook 05 can print and check numbers of this run without
  repeating it.  ``data/`` is installed with the library, so
  ``backproplab.data.load_full_run()`` reads the file wherever a notebook is copied.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np

from backproplab import Network, load_dataset
from backproplab.data import FULL_RUN
from backproplab.plots import COLORS, new_figure, plot_decision_boundary, use_style

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "figures"
DATA = ROOT / "data"  # the library's data files (installed as backproplab.datafiles)
SETTINGS = dict(sizes=[2, 2, 3, 2], activation="sigmoid", cost="quadratic", init_seed=5, learning_rate=0.05,
                iterations=1_000_000, batch_size=1, sample_seed=5, record_every=1000)
PLATEAU_LEVEL = 0.2  # the plateau ends when the cost first falls below this
DPI = 110  # sharper than the notebooks' 80 dpi: these images are looked at on their own


def run():
    """Train as in the paper; returns the trained network, its History and the data."""
    s = SETTINGS
    X, Y = load_dataset("higham")
    net = Network(s["sizes"], activation=s["activation"], cost=s["cost"], seed=s["init_seed"])
    start = time.perf_counter()

    def report(iteration, cost):
        if iteration % 100_000 == 0:
            print(f"  iteration {iteration:>9,}: cost {cost:.3e}  ({time.perf_counter() - start:.0f} s)", flush=True)

    history = net.train(X, Y, learning_rate=s["learning_rate"], iterations=s["iterations"],
                        batch_size=s["batch_size"], seed=s["sample_seed"], record_every=s["record_every"],
                        callback=report)
    return net, history, X, Y


def cost_figure(history):
    """Cost against iteration on log-log axes, the plateau shaded."""
    fig, ax = new_figure(figsize=(8, 4.6))
    it = np.maximum(history.iterations, 1)  # iteration 0 drawn at 1 on the log axis
    end = int(history.iterations[np.argmax(history.cost < PLATEAU_LEVEL)])
    ax.axvspan(1, end, color=COLORS["sky"], alpha=0.2, lw=0, label=f"plateau (iterations 0 to {end:,})")
    ax.loglog(it, history.cost, color=COLORS["blue"], label="cost over all 10 points")
    ax.axhline(0.25, color="gray", lw=1.2, ls="--", label="0.25: the cost of always answering (0.5, 0.5)")
    ax.set_xlabel("iteration (one randomly chosen point per step)")
    ax.set_ylabel("cost $C$ (9)")
    ax.set_title("Higham & Higham's run, $10^6$ SGD steps with $\\eta = 0.05$:\n"
                 "a long plateau near 0.25, then the fall")
    ax.legend(loc="lower left", fontsize=11)
    return fig


def boundary_figure(net, X, Y):
    """The decision regions of the trained network with the ten points on top."""
    fig, ax = new_figure(figsize=(5.6, 5.2))
    plot_decision_boundary(ax, net, X, Y, title=f"After $10^6$ steps: {net.accuracy(X, Y):.0%} of the points right",
                           resolution=300)
    ax.legend(loc="upper left", fontsize=11, frameon=True)
    return fig


def main():
    use_style()
    FIGURES.mkdir(exist_ok=True)
    print(f"training {SETTINGS}")
    net, history, X, Y = run()
    cost_figure(history).savefig(FIGURES / "higham_cost.png", dpi=DPI)
    boundary_figure(net, X, Y).savefig(FIGURES / "higham_boundary.png", dpi=DPI)
    record = dict(settings=SETTINGS, iterations=history.iterations.tolist(), cost=history.cost.tolist(),
                  weights=[W.tolist() for W in net.weights], biases=[b.tolist() for b in net.biases],
                  final_cost=history.final_cost, accuracy=net.accuracy(X, Y))
    (DATA / FULL_RUN).write_text(json.dumps(record, indent=1) + "\n")
    print(f"final cost {history.final_cost:.2e}, accuracy {net.accuracy(X, Y):.0%}")
    print(f"wrote {', '.join(p.name for p in sorted(FIGURES.glob('higham_*')))} in {FIGURES} and {FULL_RUN} in {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
