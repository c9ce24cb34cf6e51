"""Timing helpers shared by the benchmarks: medians of repeated runs, a machine line."""
import os
import platform
import statistics
import time

import numpy as np


def median_seconds(fn, repeats=7, number=1):
    """Median over ``repeats`` of the time of ``number`` calls of ``fn``, per call."""
    fn()  # warm up caches and lazy imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def machine() -> str:
    """One line naming the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {np.__version__}")
