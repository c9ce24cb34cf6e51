"""A student without a browser: what the page does, for tests and the load benchmark.

:class:`Student` loads the app page with the token (reloading while it says "please
wait", as the page itself does), connects to its kernel over a v1 websocket and asks
every widget for its state, as the page's widget manager does before it can draw
anything.  Its widgets are then ready: :attr:`Student.timings` says when.  Afterwards it
can move a control (:meth:`Student.update`) and leave, with or without the page's close
beacon (:meth:`Student.leave`).

Also here: the processes of a server and their memory, read from ``/proc``.
"""
from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from .websocket import V1

AsyncHTTPClient.configure(None, max_clients=500)


def message(msg_type, content, session, metadata=None) -> dict:
    """A Jupyter message (header, parent header, metadata, content) from this client."""
    header = dict(msg_id=uuid.uuid4().hex, msg_type=msg_type, username="student", session=session,
                  date=datetime.now(timezone.utc).isoformat(), version="5.3")
    return dict(header=header, parent_header={}, metadata=metadata or {}, content=content)


def pack_v1(msg, channel="shell", buffers=()) -> bytes:
    """``msg`` in the v1 websocket format."""
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
    return serialize_msg_to_ws_v1([*parts, *buffers], channel)


def unpack_v1(ws_msg: bytes) -> dict:
    """A v1 websocket message as a dict with ``channel`` and ``buffers``."""
    channel, parts = deserialize_msg_from_ws_v1(ws_msg)
    msg = {k: json.loads(part) for k, part in zip(("header", "parent_header", "metadata", "content"), parts)}
    return {**msg, "channel": channel, "buffers": parts[4:]}


class Student:
    """One visitor of the app at ``base_url`` (e.g. ``"http://127.0.0.1:8866/"``)."""

    def __init__(self, base_url: str, token: str, name: str = ""):
        self.base_url, self.token, self.name = base_url, token, name
        self.http = AsyncHTTPClient()
        self.cookies = SimpleCookie()
        self.session = uuid.uuid4().hex
        self.kernel_id = None
        self.ws = None
        self.states = {}  # comm id -> widget state
        self.verdicts = []  # what each page load said: "enter", "wait" or "full"
        self.timings = {}  # seconds from arrive(): "page" (the app's HTML), "widgets" (every state)
        self.page = ""

    # ----- HTTP --------------------------------------------------------------------------
    async def fetch(self, path: str, method="GET", body=None, headers=None, timeout=120.0):
        cookie = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        request = HTTPRequest(urljoin(self.base_url, path), method=method, body=body, follow_redirects=False,
                              headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})},
                              request_timeout=timeout, connect_timeout=timeout)
        response = await self.http.fetch(request, raise_error=False)
        for value in response.headers.get_list("Set-Cookie"):
            self.cookies.load(value)
        return response

    async def arrive(self, timeout: float = 120.0) -> dict:
        """Load the page (waiting as long as it says so, up to ``timeout``) and get every
        widget's state.  Returns :attr:`timings`; raises ``TimeoutError`` or ``RuntimeError``."""
        start = time.monotonic()
        await self.load_page(timeout)
        await self.connect()
        await self.request_states(timeout=max(1.0, timeout - (time.monotonic() - start)))
        self.timings["widgets"] = time.monotonic() - start
        return self.timings

    async def load_page(self, timeout: float = 120.0) -> str:
        """The app's page, after as many "please wait" pages as it takes; sets :attr:`kernel_id`."""
        start = time.monotonic()
        path = "?" + urlencode({"token": self.token})
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                raise TimeoutError(f"student {self.name}: no page after {timeout:.0f} s ({self.verdicts})")
            response = await self.fetch(path, timeout=left)
            body = response.body.decode("utf-8", "replace")
            verdict = re.search(r'data-verdict="(\w+)"', body)
            self.verdicts.append(verdict.group(1) if verdict else "enter")
            if response.code == 200 and verdict is None:
                break
            if verdict is None:
                raise RuntimeError(f"student {self.name}: HTTP {response.code}: {body[:300]}")
            if verdict.group(1) == "full":
                self.page = body
                raise RuntimeError(f"student {self.name}: the class is full")
            refresh = re.search(r'http-equiv="refresh" content="(\d+);url=([^"]+)"', body)
            await asyncio.sleep(int(refresh.group(1)))
            path = refresh.group(2).replace("&amp;", "&")
        self.page = body
        self.timings["page"] = time.monotonic() - start
        config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S)
        self.kernel_id = json.loads(config.group(1))["kernelId"]
        return body

    # ----- the kernel websocket ----------------------------------------------------------
    async def connect(self, subprotocols=(V1,)):
        url = urljoin(self.base_url.replace("http", "ws", 1),
                      f"api/kernels/{self.kernel_id}/channels?session_id={self.session}")
        request = HTTPRequest(url, headers={"Authorization": f"token {self.token}"}, connect_timeout=60,
                              request_timeout=60)
        self.ws = await websocket_connect(request, subprotocols=list(subprotocols), max_message_size=64 * 2**20)
        self.inbox = asyncio.Queue()
        self.reader = asyncio.ensure_future(self._read())
        return self.ws

    async def _read(self):
        """Read every message as it comes, as a page does (tornado's client would stop
        answering the server's pings while a message waits to be read)."""
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                await self.inbox.put(None)
                return
            msg = unpack_v1(raw)
            self._note_state(msg)
            await self.inbox.put(msg)

    async def send(self, msg_type, content, channel="shell", metadata=None) -> str:
        msg = message(msg_type, content, self.session, metadata)
        await self.ws.write_message(pack_v1(msg, channel), binary=True)
        return msg["header"]["msg_id"]

    async def receive(self, timeout: float) -> dict:
        msg = await asyncio.wait_for(self.inbox.get(), timeout)
        if msg is None:
            raise ConnectionError(f"student {self.name}: the kernel websocket closed")
        return msg

    async def request_states(self, timeout: float = 60.0) -> dict:
        """Every widget's state, as the page's widget manager (ipywidgets 8) asks for it: one
        ``request_states`` on a ``jupyter.widget.control`` comm, answered by one message."""
        deadline = time.monotonic() + timeout
        control = uuid.uuid4().hex
        await self.send("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                        metadata={"version": "1.0.0"})
        await self.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        while True:
            msg = await self.receive(deadline - time.monotonic())
            if msg["header"]["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == control:
                return self.states

    def _note_state(self, msg):
        if msg["header"]["msg_type"] == "comm_msg":
            data = msg["content"]["data"]
            if data.get("method") == "update":  # one widget's state changed
                self.states.setdefault(msg["content"]["comm_id"], {}).update(data["state"])
            elif data.get("method") == "update_states":  # every widget's state, on request
                for comm_id, model in data["states"].items():
                    self.states.setdefault(comm_id, {}).update(model["state"])

    def find(self, **state) -> str:
        """The comm id of the widget whose state has all of ``state`` (e.g. ``description="batch size"``)."""
        for comm_id, s in self.states.items():
            if all(s.get(k) == v for k, v in state.items()):
                return comm_id
        raise KeyError(f"no widget with {state}")

    async def update(self, comm_id, state: dict, timeout: float = 120.0) -> dict:
        """Send a widget update as the page does when a control moves (``state`` as sent,
        unchecked); wait until the kernel is idle again.  Returns the states after."""
        msg_id = await self.send("comm_msg", {"comm_id": comm_id,
                                              "data": {"method": "update", "state": state, "buffer_paths": []}})
        deadline = time.monotonic() + timeout
        while True:
            msg = await self.receive(deadline - time.monotonic())
            if (msg["header"]["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id
                    and msg["content"]["execution_state"] == "idle"):
                return self.states

    async def leave(self, beacon: bool = True):
        """Close the page: the close beacon (with the _xsrf cookie, as the page sends it), then
        the websocket; or, with ``beacon=False``, only the websocket (a browser that died)."""
        if beacon and self.kernel_id:
            xsrf = self.cookies["_xsrf"].value if "_xsrf" in self.cookies else ""
            boundary = uuid.uuid4().hex
            body = (f'--{boundary}\r\nContent-Disposition: form-data; name="_xsrf"\r\n\r\n{xsrf}\r\n'
                    f"--{boundary}--\r\n")
            response = await self.fetch(f"voila/api/shutdown/{self.kernel_id}", method="POST", body=body,
                                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
            self.beacon_status = response.code
        if self.ws is not None:
            self.ws.close()
            self.reader.cancel()
            self.ws = None


# ----- processes and memory ----------------------------------------------------------------
def children(pid: int) -> list:
    """Every descendant of ``pid`` (from /proc/<pid>/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def kernel_pids(server_pid: int) -> dict:
    """Kernel id -> pid of every kernel process under a server (from its connection file name)."""
    found = {}
    for pid in children(server_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmdline)
        if match:
            found[match.group(1)] = pid
    return found
