"""Responsiveness of the generalisation explorer (notebook 07): from a control's change to the new figure.

Goal (issue 12): at the default settings a control answers within 100 ms on a two-core
machine.  The latency includes retraining, so it is printed next to a reference measured in
the same run: one plain ``Network.train`` of the same size (same network, data, iterations,
batch size and recordings, without the explorer's extra work).  The ratio is what the
explorer adds: two exact costs at every recording, the decision regions, the diagnosis and
the redraw.  A heavier setting is timed too, to show why it gets a progress bar.

Run it on its own: ``.venv/bin/python benchmarks/bench_generalisation.py``.
"""
from backproplab import Network
from backproplab.generalisation import (CURVE_POINTS, DEFAULTS, LEARNING, NETWORK, get_split, run_generalisation,
                                        training_set)
from backproplab.widgets.generalisation import GeneralisationExplorer
from bench_widgets import latency  # median seconds from a control's change to the new picture
from common import machine, median_seconds

GOAL = 0.100  # seconds
REPEATS = 15


def main():
    d = DEFAULTS
    split = get_split(d["dataset"])
    X, Y = training_set(split, d["n_train"])
    every = max(1, d["iterations"] // CURVE_POINTS)

    def plain_train():
        Network([2, d["hidden"], 2], seed=d["seed"], **NETWORK).train(
            X, Y, iterations=d["iterations"], seed=d["seed"], record_every=every, **LEARNING[split.kind])

    explorer = GeneralisationExplorer()
    # Each control moved between its default and a neighbouring value, as a class nudges a slider.
    t_decay = latency(explorer, explorer.weight_decay, [1e-5, 0.0])
    t_dropout = latency(explorer, explorer.dropout, [0.05, 0.0])
    t_early = latency(explorer, explorer.early_stopping, [True, False], repeats=6)
    t_seed = latency(explorer, explorer.seed, [d["seed"] + 1, d["seed"]])
    t_hidden = latency(explorer, explorer.hidden, [d["hidden"] - 1, d["hidden"]])
    t_train = median_seconds(plain_train, repeats=REPEATS)
    t_run = median_seconds(lambda: run_generalisation(**d), repeats=REPEATS)
    t_blit = median_seconds(explorer.view.refresh, repeats=REPEATS)
    heavy = dict(d, dataset="digits", n_train=1000, hidden=100, iterations=2000)
    t_heavy = median_seconds(lambda: run_generalisation(**heavy), repeats=3)

    worst = max(t_decay, t_dropout, t_seed, t_hidden)
    print(f"machine: {machine()}")
    print(f"defaults: {d}")
    print(f"reference: plain Network.train, same size ({d['iterations']} iterations, "
          f"batch {LEARNING[split.kind]['batch_size']}): {t_train * 1e3:6.1f} ms")
    print(f"run_generalisation (train + exact costs + regions + diagnosis): {t_run * 1e3:6.1f} ms  "
          f"({t_run / t_train:.2f} x the reference)")
    print(f"redraw, moving artists only:                         {t_blit * 1e3:6.1f} ms")
    for name, t in [("weight decay slider", t_decay), ("dropout slider", t_dropout), ("seed", t_seed),
                    ("hidden units slider", t_hidden), ("early stopping on/off", t_early)]:
        print(f"latency, {name + ' -> new figure, median:':44s} {t * 1e3:6.1f} ms  ({t / t_train:.2f} x the reference)")
    print(f"slowest slider at the defaults: {worst * 1e3:.1f} ms (goal <= {GOAL * 1e3:.0f} ms: "
          f"{'met' if worst <= GOAL else 'NOT met'})")
    print(f"a heavy setting (digits, 1,000 images, 100 hidden units, 2,000 iterations): {t_heavy:.2f} s, "
          f"{t_heavy / t_train:.0f} x the reference: the progress bar appears after 0.5 s")


if __name__ == "__main__":
    main()
