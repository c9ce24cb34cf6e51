"""The Voila application of the classroom: :class:`RoomVoila`.

Voila with the parts of this package put in (see :mod:`room`), and settings for a room:

* one kernel per page from a preheated pool (:mod:`room.kernels`), whatever the page's
  query asks (no ``?template=`` or ``?theme=`` override, no progressive rendering);
* kernel websockets in the v1 protocol only (:mod:`room.websocket`), pinged so that a
  vanished browser is noticed, with messages of at most ``MAX_MESSAGE_BYTES`` from the
  browser (and HTTP bodies as small);
* the ``classroom`` template: the lab template, without Font Awesome from a CDN, with
  larger type and figures that fit the screen (``share/voila/templates/classroom``);
* only the JupyterLab extensions the page needs: the others (such as Notebook 7's) fail
  to load in Voila and fill the console with errors;
* the port asked for, or an exit with code ``PORT_IN_USE``: never another port.
"""
from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import tornado.ioloop
import voila.app
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .kernels import room_kernel_manager_factory
from .pages import RoomPageHandler, RoomStatusHandler
from .websocket import V1KernelWebsocketHandler

SHARE = Path(__file__).resolve().parent / "share"  # holds voila/templates/classroom
# jupyter_server pings each kernel websocket every WS_PING_SECONDS and closes it after
# WS_PONG_TIMEOUT_SECONDS without an answer: a browser that vanished without closing
# (laptop shut, network gone) is noticed within about 20 s.
WS_PING_SECONDS, WS_PONG_TIMEOUT_SECONDS = 5, 15
MAX_MESSAGE_BYTES = 1024 * 1024  # a widget update is a few hundred bytes
PORT_IN_USE = 3  # exit code when the port is taken
EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
              "@voila-dashboards/widgets-manager7", "jupyterlab_pygments"]


class RoomVoila(Voila):
    """Voila for a classroom; see the module docstring."""

    name = "room"
    description = "The Backprop Lab classroom app: Voila, hardened and preheated for a room of students."
    aliases = {**Voila.aliases,
               "students": "RoomKernels.students", "max_kernels": "RoomKernels.max_kernels",
               "spares": "RoomKernels.spares", "heating_at_once": "RoomKernels.heating_at_once",
               "page_gone_after": "RoomKernels.page_gone_after", "idle_timeout": "RoomKernels.idle_timeout"}

    def initialize(self, argv=None):
        # the classroom template is found on the Jupyter data path
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE), os.environ.get("JUPYTER_PATH")]))
        defaults = self.config.VoilaConfiguration
        defaults.template = "classroom"
        defaults.theme = "light"
        defaults.strip_sources = True
        defaults.show_tracebacks = False
        defaults.extension_allowlist = EXTENSIONS
        super().initialize(argv)
        vc = self.voila_configuration  # not to be changed from the command line
        vc.preheat_kernel = True
        vc.progressive_rendering = False
        vc.allow_template_override = "NO"
        vc.allow_theme_override = "NO"
        self.port_retries = 0
        self.tornado_settings = {**self.tornado_settings, "ws_ping_interval": WS_PING_SECONDS * 1000,  # in ms
                                 "ws_ping_timeout": WS_PONG_TIMEOUT_SECONDS * 1000,
                                 "websocket_max_message_size": MAX_MESSAGE_BYTES}

    def init_settings(self):
        # Voila builds its kernel manager class inside this method, from this module global.
        original = voila.app.voila_kernel_manager_factory
        voila.app.voila_kernel_manager_factory = room_kernel_manager_factory
        try:
            return super().init_settings()
        finally:
            voila.app.voila_kernel_manager_factory = original

    def init_handlers(self):
        replace = {VoilaKernelWebsocketHandler: V1KernelWebsocketHandler, TornadoVoilaHandler: RoomPageHandler}
        handlers = [(h[0], replace.get(h[1], h[1]), *h[2:]) for h in super().init_handlers()]
        notebook = os.path.relpath(self.notebook_path, self.root_dir)
        status = (url_path_join(self.server_url, "/room/status"), RoomStatusHandler, {"notebook_path": notebook})
        return [status, *handlers]  # before Voila's catch-all page route

    def listen(self):
        """Listen on the port asked for, or exit with ``PORT_IN_USE``; then run."""
        try:
            self.app.listen(self.port, self.ip, max_body_size=MAX_MESSAGE_BYTES)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                self.log.critical("port %s is in use on %s: stop what uses it, or choose another port",
                                  self.port, self.ip or "all addresses")
                self.exit(PORT_IN_USE)
            raise
        self.log.info("Voila (classroom) is running at:\n%s", self.display_url)
        self.ioloop = tornado.ioloop.IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()


def main(argv=None):
    RoomVoila.launch_instance(argv if argv is not None else sys.argv[1:])
