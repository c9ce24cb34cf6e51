#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for tests/test_browser.py.
# Playwright's own browser download is never used (it fails on this network).
# Where Chromium cannot be installed the browser test is skipped with the reason, except
# under CI (CI=true), where it must run: there a failed install stops `make test` here.
# When another apt-get or dpkg holds the package lock (an unattended upgrade, another
# install), this waits for it, up to BPL_APT_LOCK_WAIT seconds (default 600).
set -uo pipefail
CHROMIUM=${BPL_CHROMIUM:-/usr/bin/chromium}  # another path only for tests/test_app_startup.py
LOCK_WAIT=${BPL_APT_LOCK_WAIT:-600}
RETRY_EVERY=${BPL_APT_RETRY:-5}
under_ci() { case "${CI:-}" in true|TRUE|True|1|yes) return 0;; *) return 1;; esac; }
give_up() {  # $1: why
    echo "ensure_browser: $1; tests/test_browser.py will be skipped" >&2
    if under_ci; then echo "ensure_browser: CI=true, so this is an error" >&2; exit 1; fi
    exit 0
}
# apt-get "$@", waiting while another process holds the dpkg or apt lists lock. apt itself
# waits for the dpkg lock (DPkg::Lock::Timeout, apt >= 1.9.11); the loop covers the rest
# (older apt, the lists lock of `apt-get update`).
apt_get() {
    local deadline=$((SECONDS + LOCK_WAIT)) log status
    log=$(mktemp)
    while true; do
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@" 2>&1 | tee "$log" >&2
        status=${PIPESTATUS[0]}
        if [ "$status" -eq 0 ]; then rm -f "$log"; return 0; fi
        if ! grep -qiE "could not get lock|unable to lock|unable to acquire|is another process using it" "$log"; then
            rm -f "$log"; return "$status"
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "ensure_browser: the package lock was still held after ${LOCK_WAIT} s" >&2
            rm -f "$log"; return "$status"
        fi
        echo "ensure_browser: another apt-get or dpkg holds the package lock; waiting for it ..." >&2
        sleep "$RETRY_EVERY"
    done
}
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
command -v apt-get >/dev/null 2>&1 || give_up "no apt-get here (not a Debian-like system)"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || give_up "not root and no sudo: install the 'chromium' package yourself"
    SUDO="sudo"
fi
echo "ensure_browser: installing Debian's chromium package with apt-get" >&2
apt_get update -q || give_up "apt-get update failed"
apt_get install -y -q chromium || give_up "apt-get install chromium failed"
[ -x "$CHROMIUM" ] || give_up "the chromium package did not provide $CHROMIUM (on Ubuntu it is a snap stub)"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1 \
    || give_up "$CHROMIUM is installed but does not start"
echo "ensure_browser: $("$CHROMIUM" --version 2>/dev/null)" >&2
