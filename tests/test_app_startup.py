"""Starting it anywhere (issue 9, item 7): `make lab` as root and without the news pop-up,
and `make browser` waiting for another apt-get's lock.

`make lab` runs ``scripts/lab_session.py lab``; here it runs on 127.0.0.1 with a random
token, in throw-away Jupyter folders, and the test asks JupyterLab's settings API what the
notification plugin will do.  ``scripts/ensure_browser.sh`` runs against a stand-in
``apt-get`` that reports the lock held twice before it installs a stand-in Chromium.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import lab_session  # noqa: E402


def isolated_jupyter_env(home: Path) -> dict:
    """A Jupyter with nothing of its own: no settings that would hide the news question."""
    env = dict(os.environ)
    for name, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "run"),
                      ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                      ("IPYTHONDIR", "ipython")]:
        env[name] = str(home / sub)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def test_make_lab_starts_as_root_and_never_asks_about_news(tmp_path):
    port, token = lab_session.free_port(), lab_session.new_token()
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(REPO / "scripts" / "lab_session.py"), "lab", "--port", str(port),
                                 "--token", token, "--no-browser", "--root", str(REPO / "notebooks")],
                                stdout=out, stderr=subprocess.STDOUT, env=isolated_jupyter_env(tmp_path),
                                start_new_session=True)
    try:
        def get(path):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/{path}", headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())

        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"JupyterLab stopped (as root: {os.geteuid() == 0}):\n{log.read_text()[-3000:]}"
            try:
                get("api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, f"JupyterLab did not answer:\n{log.read_text()[-3000:]}"
                time.sleep(0.5)
        answer = get("lab/api/settings/@jupyterlab/apputils-extension:notification")
        settings = {**{k: v.get("default") for k, v in answer["schema"]["properties"].items()}, **answer["settings"]}
        # the pop-up "Would you like to get notified about official Jupyter news?" shows
        # exactly when this is "none" (JupyterLab's announcements plugin)
        assert settings["fetchNews"] == "false" and settings["checkForUpdates"] is False, settings
        assert "Running as root is not recommended" not in log.read_text()
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


STUB_APT_GET = """#!/usr/bin/env bash
# stands in for apt-get: the lock is held by another process for the first {held} calls
echo "$*" >> "{calls}"
n=$(wc -l < "{calls}")
if [ "$n" -le {held} ]; then
    echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2
    echo "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?" >&2
    exit 100
fi
case "$*" in *install*) printf '#!/bin/sh\\necho "Chromium 1.0 stand-in"\\n' > "{chromium}"; chmod +x "{chromium}";; esac
exit 0
"""


def test_ensure_browser_waits_for_another_apt_get(tmp_path):
    calls, chromium, bin_dir = tmp_path / "calls", tmp_path / "chromium", tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "apt-get").write_text(STUB_APT_GET.format(held=2, calls=calls, chromium=chromium))
    (bin_dir / "sudo").write_text('#!/bin/sh\nexec "$@"\n')  # if the test runs as a user
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "BPL_CHROMIUM": str(chromium),
           "BPL_APT_RETRY": "0.2", "BPL_APT_LOCK_WAIT": "30", "CI": "true"}  # under CI a failure is an error
    result = subprocess.run(["bash", str(REPO / "scripts" / "ensure_browser.sh")], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "waiting for it" in result.stderr
    lines = calls.read_text().splitlines()
    assert len(lines) == 4 and "update" in lines[2] and "install" in lines[3], lines  # two refusals, then both
    assert all("DPkg::Lock::Timeout" in line for line in lines)  # apt itself waits too, where it can
    assert "Chromium 1.0 stand-in" in result.stderr
