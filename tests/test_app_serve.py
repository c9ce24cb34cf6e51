"""The room's address stays put (issue 9, item 5), and idle kernels are culled (item 2).

``scripts/serve_app.py`` (what ``make app`` runs) is started as a teacher starts it, on
127.0.0.1 with one student expected and its token kept in a temporary config folder.  A
restart right after a stop, with a connection the server closed still lingering on the
port (TIME_WAIT: what moved the port from 8873 to 37249), must come back on the same
port with the same token, i.e. the same address.  A port that something really listens
on stops it with a message.
"""
from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "app"))
import lab_session  # noqa: E402
import serve_app  # noqa: E402
from room.client import Student, kernel_pids  # noqa: E402

SERVE = [sys.executable, str(REPO / "scripts" / "serve_app.py"), "--no-browser", "--students", "1"]


def test_room_urls_are_this_computers_addresses_with_the_token():
    token = "ab" * 24
    urls = serve_app.room_urls("0.0.0.0", 8866, token, addresses=["192.168.1.20", "10.0.0.5"])
    assert urls == {"this computer": [f"http://127.0.0.1:8866/?token={token}"],
                    "students": [f"http://192.168.1.20:8866/?token={token}", f"http://10.0.0.5:8866/?token={token}"]}
    assert serve_app.room_urls("127.0.0.1", 9000, token)["students"] == []  # this computer only
    assert serve_app.room_urls("192.168.1.20", 9000, token)["students"] == [f"http://192.168.1.20:9000/?token={token}"]
    for address in serve_app.local_addresses():  # what --ip 0.0.0.0 prints: real network addresses
        ip = ipaddress.ip_address(address)
        assert ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)


def test_the_token_is_kept_between_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    first = serve_app.room_token()
    assert serve_app.room_token() == first and len(first) == 48
    assert serve_app.token_file().stat().st_mode & 0o077 == 0  # readable by its owner only
    assert serve_app.room_token(new=True) != first


class Serve:
    """``serve_app.py`` in a process group of its own, its output collected."""

    def __init__(self, args, env, log: Path):
        self.log = log
        self.out = open(log, "wb")
        self.proc = subprocess.Popen([*SERVE, *args], stdout=self.out, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.text())
            if match:
                return match
            assert self.proc.poll() is None, f"serve_app stopped:\n{self.text()[-3000:]}"
            time.sleep(0.3)
        raise AssertionError(f"no {pattern!r} within {timeout} s:\n{self.text()[-3000:]}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # as `kill` or the end of a terminal does
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.out.close()


def lingering(port: int) -> list:
    """TCP connections on local ``port`` that are closing (FIN_WAIT, TIME_WAIT, ...), from /proc."""
    closing = {"04": "FIN_WAIT1", "05": "FIN_WAIT2", "06": "TIME_WAIT", "08": "CLOSE_WAIT", "09": "LAST_ACK",
               "0B": "CLOSING"}
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] in closing:
            found.append(closing[fields[3]])
    return found


def test_a_restart_keeps_the_address_and_idle_kernels_are_culled(tmp_path):
    port = lab_session.free_port()
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    url = rf"on this computer: (http://127\.0\.0\.1:\d+/\?token=\w+)"
    first = Serve(["--port", str(port)], env, tmp_path / "first.log")
    try:
        address = first.wait_for(url).group(1)
        assert f":{port}/" in address
        first.wait_for("The pool is ready")
        client = socket.create_connection(("127.0.0.1", port))  # a browser's open connection
        client.sendall(b"GET /room/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        client.recv(4096)
    finally:
        first.stop()
    client.close()
    assert lingering(port), "the test needs a connection closing on the port, as after a real stop"
    with socket.socket() as plain:  # the old check: a bind without SO_REUSEADDR
        try:
            plain.bind(("127.0.0.1", port))
            trap = False
        except OSError:
            trap = True
    assert trap, "the port must be in the state that moved it before (a plain bind fails)"
    second = Serve(["--port", str(port), "--idle-minutes", "0.25"], env, tmp_path / "second.log")
    try:
        assert second.wait_for(url).group(1) == address, "the address changed"
        assert "taken" not in second.text() and "in use" not in second.text()
        second.wait_for("The pool is ready")
        server_pid = second.proc.pid

        async def stay_idle():
            student = Student(f"http://127.0.0.1:{port}/", address.split("token=")[1], "idle")
            await student.arrive(timeout=120)
            start = time.monotonic()
            while student.kernel_id in kernel_pids(server_pid) and time.monotonic() - start < 90:
                await asyncio.sleep(1)
            return student, time.monotonic() - start

        student, waited = asyncio.run(stay_idle())
        # connected all along, never used: shut down after 15 s idle (checked every 5 s)
        assert student.kernel_id not in kernel_pids(server_pid), "an idle kernel was never shut down"
        assert 10 < waited < 60, waited
    finally:
        second.stop()


def test_a_port_really_taken_stops_with_a_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path)}
        result = subprocess.run([*SERVE, "--port", str(port)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == serve_app.PORT_IN_USE
    assert f"Port {port} is in use" in result.stderr
    assert "token=" not in result.stdout  # no address printed for a server that is not there
