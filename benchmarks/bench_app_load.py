"""The first minute of class: a room of students opening the app at once (issue 9, item 4).

The classroom server (``python -m room``, as ``make app`` starts it) on 127.0.0.1 with
``--students 30``.  Each student is a :class:`room.client.Student`: it loads the page
(reloading while it says "please wait"), connects to its kernel and gets every widget's
state, which is what a browser needs from the server before it draws the app; the time
to that is "time to a rendered page" here.  The clients run on the same machine as the
server, so their own work slows the server down too.

1. The pool warms up: how long until a kernel is warm for each of the 30.
2. 30 students at once: p50 / p95 / max to a rendered page (goal: p95 <= 3 s).
3. 30 more at once, 60 in all: every one served? (they wait for kernels to warm up).
4. Kernels and memory (resident, server and kernels, from /proc) with 60 connected.
5. Everyone leaves (half with the page's close beacon, half by just closing the
   connection): how long until their kernels are gone, and the memory after.

Reference, measured in the same run: plain Voila 0.5 as ``make app`` ran it before this
server (no pool), with 10 students at once.  With Chromium installed, 5 real pages are
timed too (to widgets drawn).

Run it on its own: ``.venv/bin/python benchmarks/bench_app_load.py [--students 30]``.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "app"))
import lab_session  # noqa: E402
from common import machine  # noqa: E402
from room.client import Student, children, kernel_pids, rss_mb  # noqa: E402

GOAL_P95 = 3.0  # seconds, 30 students with a warm pool
WARM_UP, ARRIVE, LEAVE = 600, 300, 180  # bounds, in seconds


def percentiles(values) -> str:
    if not values:
        return "none"
    v = sorted(values)
    p95 = v[min(len(v) - 1, round(0.95 * (len(v) - 1)))]
    return f"p50 {statistics.median(v):5.2f} s  p95 {p95:5.2f} s  max {v[-1]:5.2f} s"


def memory(server) -> tuple:
    """(kernels, total resident MB of the server and all its processes)."""
    pids = [server.proc.pid, *children(server.proc.pid)]
    return len(kernel_pids(server.proc.pid)), sum(rss_mb(p) for p in pids)


async def wave(server, names, timeout=ARRIVE) -> list:
    students = [Student(server.url, server.token, str(n)) for n in names]
    results = await asyncio.gather(*(s.arrive(timeout) for s in students), return_exceptions=True)
    for s, r in zip(students, results):
        s.error = None if isinstance(r, dict) else r
    return students


def report(label, students):
    served = [s for s in students if s.error is None]
    waited = sum(1 for s in served if s.verdicts[0] == "wait")
    print(f"{label}: {len(served)} of {len(students)} served ({waited} after a 'please wait' page); "
          f"rendered {percentiles([s.timings['widgets'] for s in served])}  "
          f"(HTML alone {percentiles([s.timings['page'] for s in served])})", flush=True)
    for s in students:
        if s.error is not None:
            print(f"    student {s.name}: {s.error!r}"[:300])
    return served


def status(server):
    return server.api("GET", "room/status")


def wait_for(condition, timeout, every=0.5):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(every)
    return None


async def room_run(args, home):
    server = lab_session.voila(lab_session.APP_NOTEBOOK, home / "room", students=args.students)
    start = time.monotonic()
    server.start(timeout=120)
    try:
        warm = await asyncio.to_thread(wait_for, lambda: status(server)["ready"] >= args.students, WARM_UP)
        kernels, mb = memory(server)
        print(f"pool warm after {time.monotonic() - start:.0f} s" if warm is not None else
              f"pool NOT warm after {WARM_UP} s: {status(server)}")
        print(f"idle, warm: {kernels} kernels, {mb:,.0f} MB resident (server and kernels)", flush=True)
        first = await wave(server, range(args.students))
        served = report(f"{args.students} students at once, warm pool", first)
        p95 = sorted(s.timings["widgets"] for s in served)[round(0.95 * (len(served) - 1))] if served else None
        if p95 is not None:
            print(f"    goal p95 <= {GOAL_P95:.0f} s: {'met' if p95 <= GOAL_P95 else 'NOT met'}")
        second = await wave(server, range(args.students, args.students + args.second_wave))
        report(f"{args.second_wave} more at once ({args.students + args.second_wave} in all)", second)
        everyone = [s for s in first + second if s.error is None]
        kernels, peak = memory(server)
        print(f"with {len(everyone)} connected: {kernels} kernels, {peak:,.0f} MB resident; status {status(server)}",
              flush=True)
        left = time.monotonic()
        await asyncio.gather(*(s.leave(beacon=i % 2 == 0) for i, s in enumerate(everyone)))
        gone = await asyncio.to_thread(wait_for, lambda: status(server)["in_use"] == 0, LEAVE)
        took = f"{time.monotonic() - left:.0f} s" if gone is not None else f"NOT within {LEAVE} s"
        await asyncio.to_thread(wait_for, lambda: status(server)["heating"] == 0, WARM_UP)
        kernels, after = memory(server)
        print(f"everyone left: their kernels shut down in {took} (half by the close beacon, half by the page "
              f"vanishing); then {kernels} kernels (the warm pool, refilled), {after:,.0f} MB resident "
              f"({peak - after:,.0f} MB returned)", flush=True)
        if args.browser_pages and lab_session.chromium_problem() is None:
            await asyncio.to_thread(browser_pages, server, args.browser_pages, home)
    finally:
        server.stop()


def browser_pages(server, n, home):
    """``n`` Chromium pages at once: seconds until each shows its widgets (same machine).
    Runs in a worker thread: Playwright's sync API must not run inside the event loop."""
    from playwright.sync_api import sync_playwright

    import lab_pages
    wait_for(lambda: status(server)["ready"] >= n, WARM_UP)
    times = []
    with sync_playwright() as p:
        context = lab_session.launch_chromium(p, home / "chromium")
        pages = [context.new_page() for _ in range(n)]
        start = time.monotonic()
        for page in pages:  # the loads run in parallel in the browser; only starting them is sequential
            page.goto(server.page_url(), wait_until="commit", timeout=ARRIVE * 1000)
        for page in pages:
            lab_pages.wait_for_widgets(page, timeout=ARRIVE)
            times.append(time.monotonic() - start)
        for page in pages:
            page.close(run_before_unload=True)
        context.close()
    print(f"{n} Chromium pages at once (headless, same machine): widgets drawn {percentiles(times)}", flush=True)


async def reference_run(args, home):
    """Plain Voila 0.5 as `make app` ran it before (a kernel started per page, no pool)."""
    port, token = lab_session.free_port(), lab_session.new_token()
    argv = [sys.executable, "-m", "voila", str(lab_session.APP_NOTEBOOK), "--Voila.ip=127.0.0.1", f"--port={port}",
            "--Voila.port_retries=0", f"--token={token}", "--strip_sources=True", "--theme=light",
            "--Voila.open_browser=False"]
    server = lab_session.Server("voila-plain", argv, port, token, home / "plain")
    server.start(timeout=120)
    try:
        students = await wave(server, range(args.reference))
        report(f"reference, plain Voila without a pool: {args.reference} students at once", students)
        kernels, mb = memory(server)
        await asyncio.gather(*(s.leave(beacon=True) for s in students if s.error is None))
        await asyncio.sleep(5)
        kernels_after, _ = memory(server)
        print(f"    reference: {kernels} kernels, {mb:,.0f} MB with them connected; {kernels_after} kernels still "
              f"running after they left (no culling, close beacon refused)", flush=True)
    finally:
        server.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--second-wave", type=int, default=30)
    parser.add_argument("--reference", type=int, default=10, help="students of the plain-Voila reference (0: none)")
    parser.add_argument("--browser-pages", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"classroom server on 127.0.0.1, clients on the same machine; --students {args.students}")
    with tempfile.TemporaryDirectory(prefix="bench-app-") as home:
        if args.reference:
            asyncio.run(reference_run(args, Path(home)))
        asyncio.run(room_run(args, Path(home)))


if __name__ == "__main__":
    main()
