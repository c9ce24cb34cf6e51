"""Kernels for a room: warm before anyone arrives, a fixed maximum, none left behind.

Voila's preheated pool (``voila.voila_kernel_manager``) starts kernels and runs the
notebook in them before any page is asked for.  :class:`RoomKernels` is put in front of it
and changes four things:

* **How many.** The pool holds a warm kernel for every student not yet here (``students``
  minus the kernels in use), never fewer than ``spares`` for reloads (a tenth of the
  class), nor than the visitors waiting; and there are never more than ``max_kernels``
  kernels in all.
* **How fast.** At most ``heating_at_once`` kernels start and run the notebook at the same
  time (one per core): on two cores, thirty kernels at once take longer for everyone,
  and the server itself stops answering.
* **Who gets one.** :meth:`admit` lets a visitor in only when a warm kernel is ready for
  them, first come first served; otherwise they wait (``"wait"``) or, with every kernel
  taken, are told the class is full (``"full"``).  A page never starts a kernel itself.
* **When it ends.** A kernel handed to a page is shut down ``page_gone_after`` seconds
  after its page's last connection closed (tab closed, browser killed, laptop gone: the
  websocket pings stop), and after ``idle_timeout`` seconds without any use.
"""
from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from datetime import timedelta

from jupyter_server._tz import utcnow
from traitlets import Float, Integer
from traitlets.config import LoggingConfigurable
from voila.request_info_handler import RequestInfoSocketHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory


@dataclass
class Admission:
    """What :meth:`RoomKernels.admit` decided for one visitor.

    verdict : "enter" (a warm kernel is theirs), "wait" or "full"
    ticket : their place in the queue while they wait ("" otherwise)
    ahead : visitors waiting before them
    ready, heating, in_use, max_kernels : the pool and the room, for the page shown
    """

    verdict: str
    ticket: str = ""
    ahead: int = 0
    ready: int = 0
    heating: int = 0
    in_use: int = 0
    max_kernels: int = 0


@dataclass
class Seat:
    """A kernel handed to a page: when, and when its page was last seen connected."""

    since: object  # datetime (UTC) it was handed out
    seen: float  # time.monotonic() its page last had a connection


class RoomKernels(LoggingConfigurable):
    """Placed before Voila's ``VoilaKernelManager`` (see :func:`room_kernel_manager_factory`)."""

    students = Integer(30, config=True, help="Students expected: the pool keeps a warm kernel for each.")
    max_kernels = Integer(60, config=True, help="Kernels at most, in use and warm together.")
    spares = Integer(None, allow_none=True, config=True,
                     help="Warm kernels kept for reloads once the class is in (default: a tenth of the class).")
    heating_at_once = Integer(os.cpu_count() or 2, config=True,
                              help="Kernels starting and running the notebook at the same time.")
    heat_timeout = Float(180.0, config=True, help="Seconds a kernel may take to start and run the notebook.")
    page_gone_after = Float(20.0, config=True,
                            help="Seconds after its page's last connection closed that a kernel is shut down.")
    idle_timeout = Float(1800.0, config=True, help="Seconds without any use after which a kernel is shut down.")
    check_every = Float(5.0, config=True, help="Seconds between two checks of the kernels in use.")
    waiting_for = Float(12.0, config=True,
                        help="A waiting visitor keeps their place while their page reloads at least this often.")

    def __init__(self, **kwargs):
        self._in_use: dict[str, Seat] = {}
        self._waiting: dict[int, float] = {}  # ticket -> time.monotonic() last seen
        self._next_ticket = 1
        # Voila's __init__ fills the pool (fill_if_needed below); the kernels start once the
        # event loop runs, and by then the semaphore exists.
        super().__init__(**kwargs)
        self._heating = asyncio.Semaphore(max(1, self.heating_at_once))
        self._watcher = asyncio.get_event_loop().create_task(self._watch())

    # ----- the pool ----------------------------------------------------------------------
    def pool(self, notebook) -> list:
        """The pool entries (asyncio tasks) of ``notebook``."""
        return self._pools.setdefault(notebook, [])

    @staticmethod
    def _ready(task):
        """The kernel id of a pool entry whose kernel has run the notebook, else None."""
        if not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result().get("kernel_id")

    def counts(self, notebook) -> dict:
        """Kernels ready, heating (or queued to), in use, and visitors waiting."""
        pool = self.pool(notebook)
        ready = sum(self._ready(task) is not None for task in pool)
        return dict(ready=ready, heating=sum(not task.done() for task in pool), in_use=len(self._in_use),
                    waiting=len(self._waiting), students=self.students, max_kernels=self.max_kernels)

    def kernel_count(self) -> int:
        """Kernels in use and in the pools (the maximum applies to this)."""
        return len(self._in_use) + sum(len(pool) for pool in self._pools.values())

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        """Top the pool up to what the room needs now (Voila starts the kernels)."""
        pool = self.pool(notebook_name)
        spares = self.spares if self.spares is not None else max(1, -(-self.students // 10))
        # the students not here yet (those waiting among them), or everyone waiting if more came
        wanted = max(self.students - len(self._in_use), spares, len(self._waiting))
        room = self.max_kernels - self.kernel_count()
        target = len(pool) + max(0, min(wanted - len(pool), room))
        self.kernel_pools_config.setdefault("default", {})["pool_size"] = target  # read by Voila's method
        return super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)

    async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
        """Start a kernel and run the notebook in it, at most ``heating_at_once`` at a time.

        Never raises for a pool entry: a kernel that fails (or takes longer than
        ``heat_timeout``) is shut down and its entry holds ``kernel_id=None``.
        """
        if kernel_id is not None:  # a restart, not a pool entry
            return await super()._initialize(notebook_path, kernel_id, **kwargs)
        started = {}

        async def heat():
            content = await super(RoomKernels, self)._initialize(notebook_path, None, **kwargs)
            started.update(content)
            await asyncio.wait({content["task"]})  # the notebook runs in the kernel
            if content["task"].exception() is not None:
                raise content["task"].exception()
            return content

        async with self._heating:
            try:
                return await asyncio.wait_for(heat(), self.heat_timeout)
            except Exception as exc:  # noqa: BLE001 - any failure: the entry is dropped, not served
                self.log.error("a kernel for %s failed to start or to run the notebook: %r", notebook_path, exc)
                if started.get("kernel_id") in self:
                    await self._shut(started["kernel_id"])
                return {"kernel_id": None, "error": repr(exc)}

    async def get_rendered_notebook(self, notebook_name, *args, **kwargs):
        """Hand out a warm kernel (a ready one first; Voila takes the pool's first entry)."""
        pool = self.pool(notebook_name)
        ready = [i for i, task in enumerate(pool) if self._ready(task) is not None]
        if not ready:
            raise RuntimeError("no warm kernel is ready: admit() should have said so")
        pool.insert(0, pool.pop(ready[0]))
        kernel_id = self._ready(pool[0])
        self._in_use[kernel_id] = Seat(since=utcnow(), seen=time.monotonic())  # before Voila refills
        return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    # ----- visitors ------------------------------------------------------------------------
    def admit(self, notebook, ticket=None) -> Admission:
        """May a visitor (holding ``ticket`` if they have waited) have a kernel now?

        First come, first served: a visitor enters when more kernels are ready than
        visitors waiting before them.  A visitor who waits gets a ticket, to show again.
        """
        now = time.monotonic()
        self._waiting = {t: seen for t, seen in self._waiting.items() if now - seen < self.waiting_for}
        try:
            mine = int(ticket)
        except (TypeError, ValueError):
            mine = None
        if mine is not None and not 0 < mine < self._next_ticket:
            mine = None  # not a ticket this server gave
        ahead = sum(1 for t in self._waiting if mine is None or t < mine)
        c = self.counts(notebook)
        if c["ready"] > ahead:
            self._waiting.pop(mine, None)
            return Admission("enter", ready=c["ready"], in_use=c["in_use"], max_kernels=self.max_kernels)
        if len(self._in_use) + ahead >= self.max_kernels:  # every kernel taken or promised
            self._waiting.pop(mine, None)
            return Admission("full", in_use=len(self._in_use) + ahead, max_kernels=self.max_kernels)
        if mine is None:
            mine, self._next_ticket = self._next_ticket, self._next_ticket + 1
        self._waiting[mine] = now
        self.fill_if_needed(delay=0, notebook_name=notebook)
        c = self.counts(notebook)
        return Admission("wait", str(mine), ahead, c["ready"], c["heating"], c["in_use"], self.max_kernels)

    # ----- the end of a kernel -------------------------------------------------------------
    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        self._in_use.pop(kernel_id, None)
        RequestInfoSocketHandler._cache.pop(kernel_id, None)  # Voila keeps one per page otherwise
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    async def _shut(self, kernel_id):
        """Shut a kernel down at once (nobody is using it), logging rather than raising."""
        try:
            await self.shutdown_kernel(kernel_id, now=True)
        except Exception as exc:  # noqa: BLE001 - already gone, or dying: nothing to do
            self.log.warning("shutting down kernel %s: %r", kernel_id, exc)
            self._in_use.pop(kernel_id, None)

    async def check_kernels(self) -> list:
        """Shut down the kernels whose page is gone or that were idle too long; refill.

        Returns the ids shut down.
        """
        now, now_utc = time.monotonic(), utcnow()
        done = []
        for kernel_id, seat in list(self._in_use.items()):
            if kernel_id not in self:
                self._in_use.pop(kernel_id, None)
                continue
            if self._kernel_connections.get(kernel_id, 0) > 0:
                seat.seen = now
            last_use = max(seat.since, self._kernels[kernel_id].last_activity)
            if now - seat.seen > self.page_gone_after:
                self.log.info("kernel %s: its page is gone (no connection for %.0f s)", kernel_id, now - seat.seen)
                done.append(kernel_id)
            elif now_utc - last_use > timedelta(seconds=self.idle_timeout):
                self.log.info("kernel %s: idle since %s", kernel_id, last_use)
                done.append(kernel_id)
        for pool in self._pools.values():  # entries whose kernel failed or died while warm
            pool[:] = [t for t in pool if not t.done() or (self._ready(t) is not None and self._ready(t) in self)]
        await asyncio.gather(*(self._shut(kernel_id) for kernel_id in done))
        for notebook in list(self._pools):
            self.fill_if_needed(delay=0, notebook_name=notebook)
        return done

    async def _watch(self):
        while True:
            await asyncio.sleep(self.check_every)
            try:
                await self.check_kernels()
            except Exception:  # noqa: BLE001 - the watch must go on
                self.log.exception("checking the kernels")

    async def shutdown_all(self, *args, **kwargs):
        """Stop: no more heating, then every kernel.  Voila's own method would wait for
        each queued kernel to start and run the notebook first (and Voila calls this from a
        new event loop, where the pool's tasks cannot be awaited)."""
        self._watcher.cancel()
        self._in_use.clear()
        for pool in self._pools.values():
            for task in pool:
                task.cancel()
            pool[:] = [task for task in pool if task.done() and not task.cancelled()]
        return await super().shutdown_all(*args, **kwargs)


def room_kernel_manager_factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
    """Voila's kernel manager with the pool (always), and :class:`RoomKernels` in front of it.

    Same signature as ``voila.voila_kernel_manager.voila_kernel_manager_factory``, which
    :class:`room.app.RoomVoila` replaces with this.
    """
    voila_class = voila_kernel_manager_factory(base_class, True, default_pool_size, page_config_hook)
    return type("RoomKernelManager", (RoomKernels, voila_class), {})
