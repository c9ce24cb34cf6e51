"""Kernel websockets that speak the v1 protocol only.

A kernel websocket carries Jupyter messages in one of two formats: the "v1" binary format
(``v1.kernel.websocket.jupyter.org``, which JupyterLab and Voila's page ask for) or the
legacy one (JSON, binary only for messages with buffers).  Voila 0.5's handler reads every
outgoing binary message as v1 to drop ``execute_input`` messages; a legacy binary message
(the Image widget's state, sent back after a ``request_state``) starts with a big-endian
buffer count, which read as a little-endian v1 offset count is about 10**17: the server
loops building that list, at 100 % CPU and 65 MB/s, and answers nobody (issue 9).

Two guards, each enough on its own:

* a client that does not offer the v1 subprotocol is refused before the upgrade (400);
* :func:`read_v1_header` rejects an offset count that the message cannot hold.
"""
from __future__ import annotations

import json

from tornado import web
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

V1 = "v1.kernel.websocket.jupyter.org"


def read_v1_header(ws_msg: bytes):
    """The header of a v1 binary message, or None if ``ws_msg`` is not one.

    v1 layout: an 8-byte little-endian count ``n`` of offsets, ``n`` 8-byte offsets, then
    the channel name and the message parts (header first) at those offsets.
    """
    n = int.from_bytes(ws_msg[:8], "little")
    if not 3 <= n <= len(ws_msg) // 8 - 1:  # the offsets must fit in the message itself
        return None
    offsets = [int.from_bytes(ws_msg[8 * (i + 1): 8 * (i + 2)], "little") for i in range(n)]
    try:
        return json.loads(ws_msg[offsets[1]: offsets[2]].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


class V1KernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket handler, for clients that offer the v1 subprotocol only."""

    async def get(self, kernel_id):
        offered = [p.strip() for p in self.request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        if V1 not in offered:
            self.log.warning("refused a kernel websocket without the %s subprotocol", V1)
            raise web.HTTPError(400, f"this server speaks the {V1} kernel websocket protocol only")
        return await super().get(kernel_id)

    def write_message(self, message, binary=False):
        """Voila's: drop ``execute_input`` (the code of the cells), with a safe header reader."""
        if isinstance(message, bytes):
            header = read_v1_header(message)
        elif isinstance(message, dict):
            header = message.get("header")
        else:
            header = None
        if header and header.get("msg_type") == "execute_input":
            return None
        return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)
