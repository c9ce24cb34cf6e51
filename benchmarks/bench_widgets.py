"""Responsiveness of the training explorer: from a control's change to the redrawn figure.

Goal (issue 4): at the default settings the median latency is at most 100 ms on a
two-core machine.  The latency includes retraining the network, so it is printed next to
the time of one plain ``Network.train`` call of the same size, measured in the same run,
and split into its parts: the training run, a redraw of the moving artists only (what a
control change costs when the axes keep their range) and a full redraw.

Run it on its own: ``.venv/bin/python benchmarks/bench_widgets.py``.
"""
import statistics
import time

from backproplab import Network
from backproplab.explorer import CURVE_POINTS, get_data, run_experiment
from backproplab.widgets.training import DEFAULTS, TrainingExplorer
from common import machine, median_seconds

GOAL = 0.100  # seconds
REPEATS = 15


def latency(explorer, control, values, repeats=REPEATS):
    """Median seconds from ``control.value = v`` to the new picture, cycling through ``values``."""
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        control.value = values[i % len(values)]  # the observer retrains and redraws
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    d = DEFAULTS
    X, Y = get_data(d["dataset"])
    sizes = [2, *[int(n) for n in d["hidden"].split(",")], 2]
    every = max(1, d["iterations"] // CURVE_POINTS)

    def plain_train():
        Network(sizes, activation=d["activation"], seed=d["seed"]).train(
            X, Y, d["learning_rate"], d["iterations"], batch_size=d["batch_size"], seed=d["seed"],
            record_every=every)

    explorer = TrainingExplorer()
    lr = d["learning_rate"]
    # Neighbouring slider positions: the cost stays within the same decades, so the axes
    # usually keep their range, as when a class nudges the slider.
    t_lr = latency(explorer, explorer.learning_rate, [lr * 10 ** 0.05, lr])
    t_seed = latency(explorer, explorer.seed, [d["seed"] + 1, d["seed"]])
    t_act = latency(explorer, explorer.activation, ["tanh", "sigmoid"], repeats=6)
    t_train = median_seconds(plain_train, repeats=REPEATS)
    t_run = median_seconds(lambda: run_experiment(**d), repeats=REPEATS)
    t_blit = median_seconds(explorer.view.refresh, repeats=REPEATS)
    t_full = median_seconds(lambda: explorer.view.refresh(full=True), repeats=REPEATS)

    print(f"machine: {machine()}")
    print(f"defaults: {d}")
    print(f"plain Network.train, same size ({d['iterations']} iterations, batch {d['batch_size']}): "
          f"{t_train * 1e3:6.1f} ms  ({t_train / d['iterations'] * 1e6:.0f} us per step)")
    print(f"run_experiment (train + regions + diagnosis):      {t_run * 1e3:6.1f} ms")
    print(f"redraw, moving artists only:                         {t_blit * 1e3:6.1f} ms")
    print(f"redraw, full figure (when an axis range changes):    {t_full * 1e3:6.1f} ms")
    print(f"latency, learning-rate slider -> new figure, median: {t_lr * 1e3:6.1f} ms  (goal <= {GOAL * 1e3:.0f} ms: "
          f"{'met' if t_lr <= GOAL else 'NOT met'})")
    print(f"latency, seed -> new figure, median:                 {t_seed * 1e3:6.1f} ms")
    print(f"latency, activation toggle -> new figure, median:    {t_act * 1e3:6.1f} ms")
    print(f"latency minus plain training (the widget's own cost): {(t_lr - t_train) * 1e3:6.1f} ms")


if __name__ == "__main__":
    main()
