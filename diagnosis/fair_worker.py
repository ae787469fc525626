"""A gunicorn threaded worker that holds no more than its share of the server's connections.

gunicorn's gthread workers keep HTTP connections alive, and a connection stays with the worker that
accepted it. Which worker accepts is a race, so clients that keep their connections (browsers served
directly, a load balancer with upstream keep-alive, the load benchmark) end up split unevenly: in
30 s runs of `bench/load.py` at 50 users the two workers of `make run` held 28/22, 11/39, 18/32 of
the connections, and a stage save's p95 went from 146 ms at an even split to 240 ms at 18/32,
since the busier worker's users queue behind each other while the other worker has time to spare.

Each worker of this class publishes how many connections it holds in a small table shared by the
workers of one gunicorn master (created in the master, before it forks them). A worker that holds
more than its share (the average over the live workers, rounded up, plus one) stops accepting and
answers its next requests with ``Connection: close``; the clients reconnect, and a worker under
its share accepts them. Since some worker always holds no more than the average, a new connection
always finds a worker that accepts it: nothing waits in the listen backlog behind idle kept-alive
connections, as it would with a fixed ``--worker-connections`` low enough to even the split
(README, load section).

The worker uses three attributes of gunicorn's ``ThreadWorker`` (``nr_conns``,
``worker_connections``, ``max_keepalived``, read by its loop before each accept and each response)
and its loop's call of ``notify``. If any is missing or the table could not be made, or if sharing
fails at run time, the worker logs it once and runs as a plain gthread worker.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import time
from dataclasses import dataclass

from gunicorn.workers.gthread import ThreadWorker

#: Workers one master can have in the table at once (gunicorn's default is 1; `make run` has 2).
SLOTS = 64
#: A worker's entry counts while it has been updated this recently (the worker's loop wakes at
#: least once a second); a dead worker's entry is then ignored and its slot reused.
STALE_SECONDS = 5.0
_USED_ATTRIBUTES = ("nr_conns", "worker_connections", "max_keepalived")


@dataclass(frozen=True)
class Limits:
    connections: int     # the worker accepts while it holds fewer connections than this
    keepalive: int       # it keeps a connection alive while fewer than this are kept alive


def limits(own: int, counts: list[int], connections: int, keepalive: int, threads: int) -> Limits:
    """The limits of a worker holding ``own`` connections, ``counts`` being the connections held by
    every live worker of the server (its own included); ``connections`` and ``keepalive`` are the
    configured limits, ``threads`` the worker's threads."""
    share = math.ceil(sum(counts) / max(len(counts), 1)) + 1
    return Limits(connections=min(connections, max(share, threads)),
                  keepalive=0 if own > share else keepalive)


class _Table:
    """Every worker's pid, connections and last update, in memory shared by the master's workers."""

    def __init__(self) -> None:
        self.pids = multiprocessing.RawArray("i", SLOTS)
        self.conns = multiprocessing.RawArray("i", SLOTS)
        self.seen = multiprocessing.RawArray("d", SLOTS)
        self.lock = multiprocessing.Lock()

    def claim(self, pid: int) -> int | None:
        now = time.monotonic()
        with self.lock:
            for slot in range(SLOTS):
                if self.pids[slot] == 0 or now - self.seen[slot] > STALE_SECONDS:
                    self.pids[slot], self.conns[slot], self.seen[slot] = pid, 0, now
                    return slot
        return None

    def publish(self, slot: int, conns: int) -> list[int]:
        """Record this worker's connections; the connections of every live worker."""
        now = time.monotonic()
        self.conns[slot], self.seen[slot] = conns, now
        return [self.conns[i] for i in range(SLOTS)
                if self.pids[i] and now - self.seen[i] <= STALE_SECONDS]

    def release(self, slot: int, pid: int) -> None:
        with self.lock:
            if self.pids[slot] == pid:
                self.pids[slot], self.conns[slot] = 0, 0


class FairThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, holding no more than its share of the connections."""

    table: _Table | None = None
    table_error: str | None = None
    _slot: int | None = None        # this worker's entry in the table; None: not sharing

    @classmethod
    def setup(cls) -> None:
        """Called by gunicorn in the master as it loads the worker class: the table is made there,
        so that every worker forked from the master shares it."""
        if cls.table is None and cls.table_error is None:
            try:
                cls.table = _Table()
            except Exception as error:  # noqa: BLE001 - no shared memory: plain gthread workers
                cls.table_error = f"{type(error).__name__}: {error}"

    def init_process(self) -> None:
        self.start_sharing()
        super().init_process()      # runs the worker's loop until it stops

    def start_sharing(self) -> None:
        self._slot = None
        missing = [name for name in _USED_ATTRIBUTES if not isinstance(getattr(self, name, None), int)]
        if missing:
            self._sharing_off(f"gunicorn's ThreadWorker has no {', '.join(missing)}")
        elif self.table is None:
            self._sharing_off(f"no shared table ({self.table_error or 'the class was not set up'})")
        else:
            self._configured = (self.worker_connections, self.max_keepalived)
            self._slot = self.table.claim(os.getpid())
            if self._slot is None:
                self._sharing_off(f"more than {SLOTS} workers")

    def notify(self) -> None:
        super().notify()
        if self._slot is None:
            return
        try:
            counts = self.table.publish(self._slot, self.nr_conns)
            connections, keepalive = self._configured
            now = limits(self.nr_conns, counts, connections, keepalive, self.cfg.threads)
            self.worker_connections, self.max_keepalived = now.connections, now.keepalive
        except Exception as error:  # noqa: BLE001 - never let the balancing take the worker down
            self.worker_connections, self.max_keepalived = self._configured
            self.table.release(self._slot, os.getpid())
            self._slot = None
            self._sharing_off(f"it failed ({type(error).__name__}: {error})")

    def _sharing_off(self, why: str) -> None:
        self.log.warning("worker %s: connections are not shared out between workers: %s; serving as "
                         "a plain gthread worker", os.getpid(), why)
