"""Serve the classroom app (app/classroom.ipynb) with Voila: controls and plots, no code.

``make app`` runs this.  The app listens on 127.0.0.1 (this computer only) and asks for a
token: the URL printed (and opened in your browser) carries it.  Stop with Ctrl-C.

Usage::

    python scripts/serve_app.py [--port 8866] [--token TOKEN] [--no-browser] [--ip 127.0.0.1]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import tempfile
import time
import webbrowser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lab_session  # noqa: E402


def port_is_free(ip: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8866, help="port (default 8866; a free one if taken)")
    parser.add_argument("--token", default=None, help="token to require (default: a random one)")
    parser.add_argument("--ip", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--notebook", type=Path, default=lab_session.APP_NOTEBOOK, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    port = args.port if port_is_free(args.ip, args.port) else lab_session.free_port()
    if port != args.port:
        print(f"port {args.port} is taken; using {port}")
    with tempfile.TemporaryDirectory(prefix="backproplab-app-") as home:
        server = lab_session.voila(args.notebook, Path(home), token=args.token, port=port, ip=args.ip)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill` stops it cleanly too
        try:
            print("starting the classroom app (Voila) ...", flush=True)
            server.start(timeout=120)
            host = "127.0.0.1" if args.ip in ("127.0.0.1", "0.0.0.0", "") else args.ip
            url = f"http://{host}:{port}/?token={server.token}"
            print(f"\nBackprop Lab classroom app: {url}\n"
                  "Open that address in a browser (the token is part of it). Ctrl-C stops the app.\n",
                  flush=True)
            # a graphical browser only: on a text console webbrowser could start lynx
            graphical = sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") \
                or os.environ.get("WAYLAND_DISPLAY")
            if graphical and not args.no_browser:
                webbrowser.open(url)
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
