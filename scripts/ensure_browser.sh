#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser test.
# Playwright's own browser download is never used (it fails on this network).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: no apt-get here (not a Debian-like system); tests/test_browser.py will be skipped" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "ensure_browser: not root and no sudo; install the 'chromium' package to run the browser test" >&2
        exit 0
    fi
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
