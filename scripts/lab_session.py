"""JupyterLab and Voila on 127.0.0.1 with a token, driven by headless Chromium.

Shared by ``tests/test_browser.py``, ``scripts/screenshot_notebooks.py`` and
``scripts/serve_app.py``.  Everything here is about *running* the servers and the browser;
what to click and what to check lives in :mod:`lab_pages`.

Each server runs in its own throw-away Jupyter configuration (settings, workspaces, runtime
files in a temporary folder), so a person's own JupyterLab settings change nothing, no
dialog or news pop-up gets in the way, and nothing is written to their home folder.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
APP_NOTEBOOK = REPO / "app" / "classroom.ipynb"
APP_SERVER = REPO / "app"  # holds the package `room`, the classroom server (python -m room)
SCREENSHOTS = REPO / "screenshots"

# Debian's Chromium (package `chromium`); Playwright's own browser download is never used.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# JupyterLab user settings for the test session: no news or update pop-ups, no autosave,
# the kernel starts without asking, and every cell is kept in the page (no windowing), so
# that all of them are rendered, typeset and visible to the checks.
LAB_SETTINGS = {
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False,
                                        "doNotDisturbMode": True},
    "notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
    "docmanager-extension/plugin": {"autosave": False},
    "extensionmanager-extension/plugin": {"enabled": False},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the OS picks it: bind port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_token() -> str:
    """A random token for a server (48 hex digits)."""
    return secrets.token_hex(24)


def chromium_problem() -> str | None:
    """Why the browser cannot be driven here, or None when it can."""
    if not CHROMIUM.exists():
        if shutil.which("apt-get") is None:
            return (f"Chromium is not installed at {CHROMIUM} and cannot be installed here: "
                    "this is not a Debian-like system (no apt-get for Debian's 'chromium' package)")
        return (f"Chromium is not installed at {CHROMIUM}: `make browser` installs Debian's "
                "'chromium' package with apt-get")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -r requirements-browser.txt"
    return None


def copy_notebooks(dest: Path, source: Path | None = None) -> Path:
    """Copy the notebooks folder (default :data:`NOTEBOOKS`) to ``dest``, so that nothing a
    session does (autosave included) touches the notebooks in the repository.

    The folders next to it (``../figures``, ``../data``, ...) are linked into ``dest``'s
    parent, so paths such as ``../figures/x.json`` in a notebook still work.
    """
    source = Path(source or NOTEBOOKS)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for sibling in source.parent.iterdir():
        link = dest.parent / sibling.name
        if sibling != source and not sibling.name.startswith(".") and not link.exists():
            link.symlink_to(sibling, target_is_directory=sibling.is_dir())
    return dest


def jupyter_env(home: Path) -> dict:
    """Environment for a server whose Jupyter configuration lives under ``home``."""
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
        # the kernel is started as `python -m ipykernel_launcher`: make that this venv's python
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    })
    for plugin, values in LAB_SETTINGS.items():
        path = home / "lab-settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return env


def as_root_flags() -> list:
    """``--allow-root`` only when running as root (as CI containers do)."""
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


class Server:
    """A Jupyter server process (JupyterLab or Voila) with its URL and token.

    Use as a context manager, or call :meth:`start` and :meth:`stop`; :meth:`stop` always
    ends the server and the kernels it started.
    """

    def __init__(self, name, argv, port, token, home: Path, ready_path="", env=None):
        self.name, self.argv, self.port, self.token, self.home = name, argv, port, token, home
        self.url = f"http://127.0.0.1:{port}/"
        self.ready_path = ready_path
        self.env = dict(env or {})
        self.log_path = home / f"{name}.log"
        self.proc = None

    def start(self, timeout: float = 90.0) -> "Server":
        self.home.mkdir(parents=True, exist_ok=True)
        env = {**jupyter_env(self.home), **self.env}
        with open(self.log_path, "wb") as log:
            # a session of its own, so that stop() can end the kernels with the server
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        """Poll (bounded) until the server answers; raise with its log if it does not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.proc.returncode}:\n{self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.3)
        raise TimeoutError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                pass
            if self.ready_path:
                req = urllib.request.Request(self.url + self.ready_path,
                                             headers={"Authorization": f"token {self.token}"})
                with urllib.request.urlopen(req, timeout=2) as r:
                    return r.status == 200
            return True
        except OSError:
            return False

    def page_url(self, path: str = "") -> str:
        """URL of ``path`` on this server, with the token (as a person pastes it)."""
        return f"{self.url}{path}?token={self.token}"

    def api(self, method: str, path: str):
        """Call the Jupyter REST API (``path`` like "api/sessions"); returns the decoded JSON or None."""
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session and its kernel (JupyterLab keeps them when a page is left)."""
        for session in self.api("GET", "api/sessions"):
            self.api("DELETE", f"api/sessions/{session['id']}")

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the server (it shuts its kernels down), then SIGKILL what is left of its session."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the process group id is the server's pid
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        try:
            os.killpg(pgid, signal.SIGKILL)  # kernels the server failed to shut down
        except (ProcessLookupError, PermissionError):
            pass
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def lab_argv(root_dir: Path, port: int, token: str | None = None, browser: bool = False,
             port_retries: int = 0) -> list:
    """The JupyterLab command line of ``make lab`` and of the tests: 127.0.0.1 only, with a
    token (JupyterLab's own if None), no news or update checks, ``--allow-root`` as root."""
    return [sys.executable, "-m", "jupyterlab", *([] if browser else ["--no-browser"]),
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--ServerApp.port_retries={port_retries}",
            *([f"--ServerApp.token={token}"] if token else []), f"--ServerApp.root_dir={root_dir}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *as_root_flags()]


# JupyterLab's defaults for `make lab` (a person's own settings still win): never ask about
# Jupyter news (the pop-up covers plots) and never check for updates.
LAB_DEFAULTS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def write_lab_defaults(app_dir: Path | None = None) -> Path:
    """Write :data:`LAB_DEFAULTS` as JupyterLab's settings overrides of this environment
    (``<app dir>/settings/overrides.d/backproplab.json``); returns the file."""
    if app_dir is None:
        from jupyterlab.commands import get_app_dir
        app_dir = get_app_dir()
    path = Path(app_dir) / "settings" / "overrides.d" / "backproplab.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LAB_DEFAULTS, indent=2) + "\n")
    return path


def jupyterlab(root_dir: Path, home: Path, token: str | None = None, port: int | None = None) -> Server:
    """A JupyterLab server (not started) serving ``root_dir`` on 127.0.0.1."""
    port, token = port or free_port(), token or new_token()
    argv = [*lab_argv(root_dir, port, token), "--LabApp.extension_manager=readonly"]
    return Server("jupyterlab", argv, port, token, home, ready_path="api/status")


def voila(notebook: Path, home: Path, token: str | None = None, port: int | None = None,
          ip: str = "127.0.0.1", open_browser: bool = False, students: int = 30, **room) -> Server:
    """The classroom server (not started) showing ``notebook`` as a web app: outputs only, no code.

    It is Voila with the changes of ``app/room`` (``python -m room``): a pool of warm
    kernels for ``students``, v1 websockets only, kernels freed when pages go.  ``room``
    sets more of :class:`room.kernels.RoomKernels` (``max_kernels=``, ``spares=``,
    ``page_gone_after=``, ``idle_timeout=``, ``check_every=``...).  Voila 0.5 takes the
    token as ``--token=...``; requests without it are sent to a login page.
    ``/room/status`` answers once the server runs.
    """
    port, token = port or free_port(), token or new_token()
    options = {"students": students, **room}
    argv = [sys.executable, "-m", "room", str(notebook), f"--Voila.ip={ip}", f"--port={port}",
            f"--token={token}", f"--Voila.open_browser={open_browser}",
            *(f"--RoomKernels.{name}={value}" for name, value in options.items())]
    pythonpath = os.pathsep.join(filter(None, [str(APP_SERVER), os.environ.get("PYTHONPATH")]))
    return Server("voila", argv, port, token, home, ready_path="room/status", env={"PYTHONPATH": pythonpath})


def launch_chromium(playwright, user_data_dir: Path, width: int = 1280, height: int = 900):
    """Headless Debian Chromium with a fresh profile in ``user_data_dir``: a browser context."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": width, "height": height}, device_scale_factor=1)


def main(argv=None) -> int:
    """``python scripts/lab_session.py lab [--port 8888] [--root notebooks]``: what ``make lab`` runs.

    JupyterLab on 127.0.0.1 with its token, in the person's own Jupyter configuration,
    with :data:`LAB_DEFAULTS` and, when run as root (containers, hub images),
    ``--allow-root``.
    """
    import argparse

    parser = argparse.ArgumentParser(description="Open the notebooks in JupyterLab (make lab).")
    parser.add_argument("command", choices=["lab"])
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--root", type=Path, default=NOTEBOOKS)
    parser.add_argument("--token", default=None, help="token to require (default: JupyterLab's own)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    write_lab_defaults()
    command = lab_argv(args.root.resolve(), args.port, args.token, browser=not args.no_browser, port_retries=50)
    os.execv(command[0], command)  # JupyterLab takes this process over: Ctrl-C stops it as usual


if __name__ == "__main__":
    sys.exit(main())
