"""Helpers shared by the benchmarks: one BLAS thread, alternating runs, ratios, a machine line.

Import this module before numpy (``import common`` first): it pins OpenBLAS, OpenMP and MKL
to one thread, which they read only when numpy loads.  On a shared machine a second BLAS
thread competes with the other users of the cores, so a ratio measured with it says more
about the load than about the code (the batched-gradient ratio ranged from 3x to 13x that
way); with one thread both sides of a ratio do the same single-threaded work.

The timings are taken in alternating rounds (library, reference, library, reference...), so
that a change of load on the machine touches both sides of every ratio alike, and each
ratio is reported as the min / median / max over the rounds.
"""
import os
import sys

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Too late when numpy is loaded already (a benchmark that imports common after it), unless the
# environment had pinned OpenBLAS (numpy's BLAS) itself: say which.
PINNED = "numpy" not in sys.modules or os.environ.get("OPENBLAS_NUM_THREADS",
                                                      os.environ.get("OMP_NUM_THREADS")) == "1"
for variable in THREAD_VARIABLES:
    os.environ[variable] = "1"

import platform  # noqa: E402  (after the thread count is set)
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def seconds(fn, number=1) -> float:
    """The time of ``number`` calls of ``fn``, per call."""
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def alternating(functions: dict, rounds=15, number=1) -> dict:
    """Time each of ``functions`` (name -> callable) once per round, in turn, after a warm-up.

    ``number`` (an int, or a dict name -> int) is how many calls make one timing: give a
    quick function more calls, so that both sides of a ratio span about the same time and
    meet the same changes of load.

    Returns
    -------
    dict of name -> list of float
        Seconds per call, one entry per round, in round order: entry ``i`` of every list
        was measured in the same round, side by side.
    """
    for fn in functions.values():
        fn()  # warm up caches and lazy imports
    numbers = number if isinstance(number, dict) else {name: number for name in functions}
    times = {name: [] for name in functions}
    for _ in range(rounds):
        for name, fn in functions.items():
            times[name].append(seconds(fn, numbers[name]))
    return times


def spread(values) -> str:
    """``min / median / max`` of ``values``, for ratios."""
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def ratios(numerators, denominators) -> list:
    """Round-by-round ratios of two lists from :func:`alternating`."""
    return [a / b for a, b in zip(numerators, denominators)]


def median(values) -> float:
    return statistics.median(values)


def machine() -> str:
    """One line naming the machine the figures come from, its load and the BLAS threads."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = f", load average {os.getloadavg()[0]:.1f}"
    except OSError:
        load = ""
    return (f"{cpu}, {os.cpu_count()} cores{load}; Python {platform.python_version()}, numpy {np.__version__}, "
            f"BLAS threads {'1' if PINNED else 'not pinned (common imported after numpy)'}")


def median_seconds(fn, repeats=7, number=1):
    """Median over ``repeats`` of the time of ``number`` calls of ``fn``, per call."""
    return median(alternating({"fn": fn}, repeats, number)["fn"])
