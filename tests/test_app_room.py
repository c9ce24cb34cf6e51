"""The classroom server under a small room's load and under attack (issue 9, items 1 to 4).

One server (``python -m room``, as ``make app`` starts it) on 127.0.0.1 with a random
token: two students expected, at most four kernels.  Clients are :class:`room.client.Student`:
each does what a browser's page does (load the page, connect to its kernel over the v1
websocket, ask every widget for its state), without a browser.  Memory is read from
/proc.  In file order:

1. five students at once: the two warm kernels answer at once, two wait and get theirs,
   the fifth is told the class is full;
2. they leave in four ways, and every kernel whose page is gone is shut down within 60 s;
3. a comm update sets the batch size to 10**6: the kernel clamps it, says so, stays small;
4. the legacy-protocol websocket attack: refused, and the server keeps answering.

Bounded: every wait has a timeout; the server and its kernels are stopped at the end.
"""
from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "app"))
import lab_session  # noqa: E402
from room.client import Student, kernel_pids, message, rss_mb  # noqa: E402
from room.websocket import read_v1_header  # noqa: E402

STUDENTS, MAX_KERNELS = 2, 4
WARM_UP = 240  # seconds for the pool to warm up on a slow, shared machine


class Loop:
    """An asyncio event loop in a thread of its own, for the whole module: the students'
    connections stay open from one test to the next, as a browser's would."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout=600):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def status(server) -> dict:
    return server.api("GET", "room/status")


def wait_for(condition, timeout, every=1.0):
    """Poll ``condition()`` until true (returns it) or ``timeout`` seconds pass (returns False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return condition()


@pytest.fixture(scope="module")
def loop():
    loop = Loop()
    try:
        yield loop
    finally:
        loop.close()


@pytest.fixture(scope="module")
def room(tmp_path_factory, loop):
    server = lab_session.voila(lab_session.APP_NOTEBOOK, tmp_path_factory.mktemp("room"), students=STUDENTS,
                               max_kernels=MAX_KERNELS)
    try:
        server.start(timeout=120)
        assert wait_for(lambda: status(server)["ready"] >= STUDENTS, WARM_UP), \
            f"the pool did not warm up: {status(server)}\n{server.log_tail()}"
        yield server
    finally:
        server.stop()


def new_students(loop, room, names):
    async def make():  # made in the loop's thread: their HTTP client belongs to that loop
        return [Student(room.url, room.token, str(name)) for name in names]
    return loop.run(make())


def test_a_room_arrives_at_once(room, loop):
    """Two warm kernels: two pages at once; two more after a short wait; the fifth is full."""
    students = new_students(loop, room, range(5))
    room.students = students  # for the next tests

    async def arrive():
        return await asyncio.gather(*(s.arrive(timeout=WARM_UP) for s in students), return_exceptions=True)

    results = loop.run(arrive())
    served = [s for s, r in zip(students, results) if isinstance(r, dict)]
    full = [s for s, r in zip(students, results) if isinstance(r, RuntimeError)]
    assert len(served) == 4 and len(full) == 1, [(s.verdicts, r) for s, r in zip(students, results)]
    assert "The class is full: 4 connected" in full[0].page
    at_once = [s for s in served if s.verdicts == ["enter"]]
    waited = [s for s in served if s.verdicts[0] == "wait"]
    assert len(at_once) == 2 and len(waited) == 2, [s.verdicts for s in served]
    for s in at_once:  # a warm kernel: the page at once (with two kernels heating for the others)
        assert s.timings["page"] < 3.0, s.timings
    for s in served:  # every page got its widgets: the two explorers' controls, figures, readouts
        kinds = {state.get("_model_name") for state in s.states.values()}
        assert {"ImageModel", "FloatLogSliderModel", "HTMLModel", "IntSliderModel"} <= kinds, kinds
        assert s.kernel_id in kernel_pids(room.proc.pid)
    assert status(room)["in_use"] == 4
    room.students = served


def test_kernels_of_pages_gone_are_shut_down_within_60_s(room, loop):
    """Closed tab (the beacon), browser gone (only the websocket ends), connection cut,
    and a page that never connected (navigated away at once)."""
    stays, beacon, dropped, cut = room.students
    lost, = new_students(loop, room, ["lost"])

    async def leave():
        await beacon.leave(beacon=True)
        await dropped.leave(beacon=False)
        cut.ws.protocol.stream.close()  # the TCP connection just ends, no closing handshake

    start = time.monotonic()
    loop.run(leave())
    assert beacon.beacon_status == 204  # the page's close beacon is accepted (it was refused: 403)
    assert wait_for(lambda: status(room)["ready"] >= 1, WARM_UP), status(room)
    loop.run(lost.load_page(timeout=WARM_UP))
    gone = {beacon.kernel_id, dropped.kernel_id, cut.kernel_id}

    def running():
        return set(kernel_pids(room.proc.pid))

    assert wait_for(lambda: not gone & running(), 60 - (time.monotonic() - start)), \
        f"kernels still running 60 s after their pages went: {gone & running()}"
    assert wait_for(lambda: lost.kernel_id not in running(), 60), "the never-connected page kept its kernel"
    assert stays.kernel_id in running()  # the page still open keeps its kernel
    assert status(room)["in_use"] == 1, status(room)


def test_a_batch_size_beyond_the_slider_is_clamped_by_the_kernel(room, loop):
    """The comm update of issue 9, item 3: the batch size set to 10**6 (with the slider's max)."""
    student = room.students[0]
    pid = kernel_pids(room.proc.pid)[student.kernel_id]
    batch = student.find(_model_name="IntSliderModel", description="batch size")
    readout = next(c for c, s in student.states.items() if "bpl-readout" in s.get("_dom_classes", ()))
    start = time.monotonic()
    states = loop.run(student.update(batch, {"max": 10**6, "value": 10**6}), timeout=300)
    took = time.monotonic() - start
    assert rss_mb(pid) < 300, f"the kernel holds {rss_mb(pid):.0f} MB"
    assert states[batch]["value"] == 100 and states[batch]["max"] == 100  # the slider is back in range
    assert "batch size 1,000,000 is outside 1 to 100: used 100" in states[readout]["value"]
    assert took < 60, f"one clamped run took {took:.0f} s"


def test_the_legacy_websocket_attack_is_refused_and_the_server_keeps_answering(room, loop):
    """Issue 9, item 1: a websocket without the v1 subprotocol and one request_state to the
    explorer's Image widget made Voila loop at 100 % CPU, growing 65 MB/s."""
    student = room.students[0]
    image = next(c for c, s in student.states.items() if "bpl-figure" in s.get("_dom_classes", ()))
    assert wait_for(lambda: status(room)["ready"] >= 1, WARM_UP), status(room)  # a page can be served at once
    server_mb = rss_mb(room.proc.pid)
    attacker, visitor = new_students(loop, room, ["attacker", "visitor"])
    attacker.kernel_id = student.kernel_id

    async def attack():
        try:
            await attacker.connect(subprotocols=())  # the legacy protocol
        except Exception as exc:  # noqa: BLE001 - refused: what the fix does
            return exc
        msg = message("comm_msg", {"comm_id": image, "data": {"method": "request_state"}}, attacker.session)
        await attacker.ws.write_message(json.dumps({**msg, "channel": "shell", "buffers": []}))
        return None

    refused = loop.run(attack())
    assert refused is not None and "400" in str(refused), f"the legacy protocol was accepted ({refused!r})"
    time.sleep(1)  # what the attack would have done, it would be doing now
    start = time.monotonic()
    loop.run(visitor.load_page(timeout=2.0), timeout=10)
    assert time.monotonic() - start < 2.0 and visitor.verdicts == ["enter"]
    assert rss_mb(room.proc.pid) - server_mb < 200


def test_the_v1_header_reader_rejects_a_legacy_message():
    """The second guard: a legacy binary message is not read as v1 (it was, for ~10**17 offsets)."""
    from jupyter_server.services.kernels.connection.base import serialize_binary_message, serialize_msg_to_ws_v1
    msg = message("comm_msg", {"comm_id": "x", "data": {"method": "update"}}, "s")
    legacy = serialize_binary_message({**msg, "channel": "iopub", "buffers": [b"\x89PNG" * 1000]})
    assert int.from_bytes(legacy[:8], "little") > 10**15  # what Voila 0.5 took for an offset count
    assert read_v1_header(legacy) is None
    v1 = serialize_msg_to_ws_v1([json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata",
                                                                       "content")], "iopub")
    assert read_v1_header(v1)["msg_type"] == "comm_msg"
    assert read_v1_header(b"") is None and read_v1_header(b"\xff" * 64) is None
