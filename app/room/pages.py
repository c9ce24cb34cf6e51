"""The pages of the room: the app itself, "please wait", "the class is full", and a status.

:class:`RoomPageHandler` asks :meth:`room.kernels.RoomKernels.admit` before showing the
app.  A visitor with a warm kernel gets Voila's page at once; one without waits on a small
page that reloads itself every ``WAIT_RELOAD`` seconds with their ticket, so that they
keep their place; one beyond the maximum is told the class is full, and that page retries
too.  Never a page without its widgets, never a hang.

Both small pages are self-contained (no script, no font, no request elsewhere), readable
on a projector, and sent with ``Cache-Control: no-store``.
"""
from __future__ import annotations

import html
import json
from urllib.parse import urlencode

from jupyter_server.base.handlers import APIHandler
from tornado import web
from voila.tornado.handler import TornadoVoilaHandler

WAIT_RELOAD = 2  # seconds between two reloads of the "please wait" page
FULL_RELOAD = 15  # seconds between two reloads of the "class is full" page

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{reload};url={url}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; font-size: 24px; line-height: 1.4; margin: 0;
         display: flex; align-items: center; justify-content: center; min-height: 100vh;
         background: #fff; color: #222; }}
  main {{ max-width: 36em; padding: 1em; text-align: center; }}
  h1 {{ font-size: 36px; margin: 0 0 0.5em; }}
  p {{ margin: 0.4em 0; }}
  .small {{ font-size: 18px; color: #555; }}
</style></head>
<body><main class="bpl-room" data-verdict="{verdict}">
<h1>{title}</h1>
{body}
</main></body></html>
"""


def wait_page(admission, url: str) -> str:
    """The "please wait" page: where the visitor stands, and how the warm-up goes."""
    ahead = admission.ahead
    place = "You are next." if ahead == 0 else f"{ahead} {'student is' if ahead == 1 else 'students are'} ahead of you."
    body = (f"<p>A kernel is being prepared for you. {place}</p>"
            f'<p class="small">{admission.ready} ready, {admission.heating} warming up, {admission.in_use} in use. '
            f"This page reloads itself every {WAIT_RELOAD} seconds; keep it open.</p>")
    return _PAGE.format(reload=WAIT_RELOAD, url=html.escape(url), title="Please wait a moment",
                        verdict="wait", body=body)


def full_page(admission, url: str) -> str:
    """The "class is full" page."""
    body = (f"<p>The class is full: {admission.in_use} connected, the most this computer serves "
            f"({admission.max_kernels}).</p>"
            f'<p class="small">Ask your teacher, or close the app in another tab. This page tries again every '
            f"{FULL_RELOAD} seconds.</p>")
    return _PAGE.format(reload=FULL_RELOAD, url=html.escape(url), title="The class is full", verdict="full",
                        body=body)


class RoomPageHandler(TornadoVoilaHandler):
    """Voila's page handler, admitting a visitor only with a warm kernel for them."""

    @web.authenticated
    async def get(self, path=None):
        if path:  # a file next to the notebook: Voila's own handling
            return await super().get(path)
        # The page's close beacon (a POST to voila/api/shutdown/<kernel>) sends the _xsrf
        # cookie back; Voila never sets it, so the beacon was refused (403) and every
        # closed page kept its kernel.  Reading the token sets the cookie.
        self.xsrf_token  # noqa: B018 - a property with a side effect
        admission = self.kernel_manager.admit(self.notebook_path, self.get_argument("ticket", None))
        if admission.verdict == "enter":
            return await super().get(path)
        query = {k: v[-1].decode() for k, v in self.request.query_arguments.items() if k != "ticket"}
        if admission.verdict == "wait":
            query["ticket"] = admission.ticket
        url = self.request.path + ("?" + urlencode(query) if query else "")
        self.set_header("Cache-Control", "no-store")
        if admission.verdict == "full":
            self.set_status(503)
            self.set_header("Retry-After", str(FULL_RELOAD))
            return self.finish(full_page(admission, url))
        return self.finish(wait_page(admission, url))

    def should_use_rendered_notebook(self, notebook_data, pool_size, template_name, theme, request_args):
        """Always the warm kernel: a ``?template=`` or ``?theme=`` must not start one more."""
        return True


class RoomStatusHandler(APIHandler):
    """``GET /room/status``: the pool and the room, as JSON (token or login needed)."""

    def initialize(self, notebook_path):
        self.notebook_path = notebook_path

    @web.authenticated
    def get(self):
        self.finish(json.dumps(self.kernel_manager.counts(self.notebook_path)))
