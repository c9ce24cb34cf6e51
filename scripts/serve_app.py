"""Serve the classroom app (app/classroom.ipynb) to a room: controls and plots, no code.

``make app`` runs this.  By default the app listens on 127.0.0.1 (this computer only, for
projecting); ``--ip 0.0.0.0`` serves the students' laptops on the same network, and the
addresses they can use are printed.  Every address carries the token.  The port and the
token stay the same from one start to the next (the token is kept in
``~/.config/backproplab/classroom-token``), so an address written on the board keeps
working; a port that is really taken stops the app with a message.

Before anyone arrives the server starts a kernel for each of ``--students`` and runs the
app in it; it prints when they are ready.  Students who come later, or more than
expected, get a "please wait" page until a kernel is ready for them, up to
``--max-kernels``.  Stop with Ctrl-C.

Usage::

    python scripts/serve_app.py [--students 30] [--ip 0.0.0.0] [--port 8866] [--no-browser]
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import webbrowser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lab_session  # noqa: E402

DEFAULT_PORT = 8866
KERNEL_MB = 150  # memory of one kernel running the app, measured about 110-130 MB, with room
PORT_IN_USE = 3  # exit code of the server (room.app.PORT_IN_USE) and of this script


def token_file() -> Path:
    """Where the token is kept between starts: $XDG_CONFIG_HOME/backproplab/classroom-token."""
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "backproplab" / "classroom-token"


def room_token(new: bool = False) -> str:
    """The token of earlier starts (readable by this user only), or a new one."""
    path = token_file()
    if not new:
        try:
            token = path.read_text().strip()
            if len(token) >= 32 and token.isalnum():
                return token
        except OSError:
            pass
    token = secrets.token_hex(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return token


def port_in_use(ip: str, port: int) -> bool:
    """True if something listens on ``port`` (a connection in TIME_WAIT does not count:
    the server binds with SO_REUSEADDR too)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip or "0.0.0.0", port))
        except OSError:
            return True
    return False


def local_addresses() -> list:
    """This computer's IPv4 addresses on its networks (not loopback, not link-local)."""
    import psutil  # installed with ipykernel

    found = []
    for addresses in psutil.net_if_addrs().values():
        for a in addresses:
            if a.family == socket.AF_INET:
                ip = ipaddress.ip_address(a.address)
                if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
                    found.append(a.address)
    return sorted(set(found), key=ipaddress.ip_address)


def room_urls(ip: str, port: int, token: str, addresses=None) -> dict:
    """The addresses to give: ``{"this computer": [...], "students": [...]}``.

    Students get this computer's network addresses when the app listens on all of them
    (``--ip 0.0.0.0``), or the one address given; ``127.0.0.1`` serves nobody else.
    """
    def url(host):
        return f"http://{host}:{port}/?token={token}"

    if ip in ("0.0.0.0", ""):
        students = [url(a) for a in (local_addresses() if addresses is None else addresses)]
    elif ipaddress.ip_address(ip).is_loopback:
        students = []
    else:
        students = [url(ip)]
    here = url("127.0.0.1") if ip in ("0.0.0.0", "") or ipaddress.ip_address(ip).is_loopback else url(ip)
    return {"this computer": [here], "students": students}


def kernel_limit(students: int) -> tuple:
    """The default maximum of kernels: twice the class, as far as free memory allows."""
    try:
        import psutil

        by_memory = int(psutil.virtual_memory().available / 2**20 * 0.8) // KERNEL_MB
    except Exception:  # noqa: BLE001 - no memory figure: the class size alone
        by_memory = None
    wanted = max(2 * students, students + 2)
    if by_memory is not None and by_memory < wanted:
        return max(1, by_memory), f"as many as {0.8:.0%} of the free memory holds at {KERNEL_MB} MB each"
    return wanted, "twice the class"


def announce(urls: dict, port: int, students: int, max_kernels: int, why: str) -> None:
    print(f"\nBackprop Lab classroom app, on this computer: {urls['this computer'][0]}")
    if urls["students"]:
        print("Students (on the same network as this computer) open:")
        for u in urls["students"]:
            print(f"    {u}")
        print(f"If their browsers cannot connect, the firewall must let TCP port {port} in.")
    print(f"Kernels: one warm for each of {students} students; at most {max_kernels} ({why}).")
    print("Ctrl-C stops the app.\n", flush=True)


def watch_warm_up(server, students: int, timeout: float = 600) -> None:
    """Print the warm-up's progress, then that the pool is ready."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline and server.proc.poll() is None:
        try:
            status = server.api("GET", "room/status")
        except (OSError, urllib.error.URLError, ValueError):
            time.sleep(1)
            continue
        ready = status["ready"]
        if ready >= min(students, status["max_kernels"]):
            print(f"The pool is ready: {ready} kernels warm. Students who arrive now get the app at once.",
                  flush=True)
            return
        if ready != last:
            print(f"warming up: {ready} of {students} kernels ready (students arriving now wait a little)",
                  flush=True)
            last = ready
        time.sleep(2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30, help="students expected (default 30): kernels kept warm")
    parser.add_argument("--max-kernels", type=int, default=None,
                        help="kernels at most (default: twice the students, as free memory allows)")
    parser.add_argument("--ip", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the room)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--token", default=None, help="token to require (default: the one of earlier starts)")
    parser.add_argument("--new-token", action="store_true", help="make a new token (earlier addresses stop working)")
    parser.add_argument("--idle-minutes", type=float, default=30.0,
                        help="shut a page's kernel down after this long without use (default 30)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--notebook", type=Path, default=lab_session.APP_NOTEBOOK, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")

    if port_in_use(args.ip, args.port):
        print(f"Port {args.port} is in use on {args.ip}: another program (or an earlier `make app` still "
              f"running) listens there. Stop it, or choose another port: make app APP_PORT={args.port + 1}",
              file=sys.stderr)
        return PORT_IN_USE
    token = args.token or room_token(new=args.new_token)
    max_kernels, why = (args.max_kernels, "as asked") if args.max_kernels else kernel_limit(args.students)
    max_kernels = max(max_kernels, 1)
    with tempfile.TemporaryDirectory(prefix="backproplab-app-") as home:
        server = lab_session.voila(args.notebook, Path(home), token=token, port=args.port, ip=args.ip,
                                   students=args.students, max_kernels=max_kernels,
                                   idle_timeout=args.idle_minutes * 60)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill` stops it cleanly too
        try:
            print(f"starting the classroom app (Voila) on port {args.port} ...", flush=True)
            try:
                server.start(timeout=120)
            except RuntimeError:
                if server.proc is not None and server.proc.returncode == PORT_IN_USE:
                    print(f"Port {args.port} was taken while the app started; choose another port.", file=sys.stderr)
                    return PORT_IN_USE
                raise
            urls = room_urls(args.ip, args.port, token)
            announce(urls, args.port, args.students, max_kernels, why)
            # a graphical browser only: on a text console webbrowser could start lynx
            graphical = sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") \
                or os.environ.get("WAYLAND_DISPLAY")
            if graphical and not args.no_browser:
                webbrowser.open(urls["this computer"][0])
            watch_warm_up(server, args.students)
            while server.proc.poll() is None:
                time.sleep(0.5)
            print(f"Voila stopped (exit code {server.proc.returncode}):\n{server.log_tail()}")
            return 1
        except KeyboardInterrupt:
            print("\nstopping the app ...")
            return 0
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
