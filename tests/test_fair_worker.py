"""The gunicorn worker of `make run` holds no more than its share of kept-alive connections."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from gunicorn.config import Config

from diagnosis.fair_worker import FairThreadWorker, limits

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKER_CLASS = "diagnosis.fair_worker.FairThreadWorker"

PID_APP = '''
import os

def app(environ, start_response):
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


# ---------------------------------------------------------------------------------- the share

def test_a_worker_over_its_share_stops_accepting_and_closes_kept_alive_connections():
    now = limits(own=32, counts=[32, 18], connections=1000, keepalive=996, threads=4)
    assert now.connections == 26            # the average of 25, rounded up, plus one
    assert now.keepalive == 0               # every response says Connection: close


def test_a_worker_within_its_share_accepts_and_keeps_connections_alive():
    now = limits(own=18, counts=[32, 18], connections=1000, keepalive=996, threads=4)
    assert now == type(now)(connections=26, keepalive=996)
    assert limits(own=26, counts=[26, 24], connections=1000, keepalive=996, threads=4).keepalive == 996


def test_a_worker_may_always_take_as_many_connections_as_it_has_threads():
    assert limits(own=0, counts=[0, 1], connections=1000, keepalive=996, threads=4).connections == 4


def test_the_configured_worker_connections_stay_the_ceiling():
    assert limits(own=10, counts=[40, 40], connections=30, keepalive=26, threads=4).connections == 30


@pytest.mark.parametrize("counts", [[0, 0], [50, 0], [11, 39], [7, 7, 30], [1, 2, 3, 40], [100]])
def test_some_worker_always_accepts_a_new_connection(counts):
    """Nothing waits in the listen backlog while the server holds connections of its own."""
    accepting = [own < limits(own, counts, 1000, 996, 4).connections for own in counts]
    assert any(accepting)


def test_make_run_and_the_load_bench_serve_with_the_fair_worker():
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    assert namespace["worker_class"] == WORKER_CLASS
    config = Config()
    config.set("worker_class", namespace["worker_class"])
    config.set("threads", 4)
    assert config.worker_class is FairThreadWorker


# ------------------------------------------------------------------------- a real gunicorn

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _worker_pids(master: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True)
    return {int(pid) for pid in out.stdout.split()}


def _serve(tmp_path, workers: int, worker_class: str) -> tuple[subprocess.Popen, int]:
    (tmp_path / "pid_app.py").write_text(PID_APP)
    port = _free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", str(workers), "--threads", "2", "--worker-class", worker_class,
         "--keep-alive", "60", "--bind", f"127.0.0.1:{port}", "--pythonpath", str(tmp_path),
         "--log-level", "warning", "pid_app:app"],
        cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                if len(_worker_pids(server.pid)) == workers:
                    return server, port
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def _rounds(connections: list[http.client.HTTPConnection], rounds: int) -> Counter:
    """Requests on every connection, ``rounds`` times; how many connections each worker served last."""
    last = {}
    for _ in range(rounds):
        for index, conn in enumerate(connections):
            conn.request("GET", "/")        # reopens the connection if the worker closed it
            response = conn.getresponse()
            last[index] = int(response.read())
    return Counter(last.values())


def _added_worker_takes_its_share(tmp_path, worker_class: str) -> tuple[Counter, Counter]:
    server, port = _serve(tmp_path, 1, worker_class)
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(20)]
    try:
        before = _rounds(connections, 2)                 # all 20 on the only worker
        os.kill(server.pid, signal.SIGTTIN)              # the master adds a second worker
        deadline = time.monotonic() + 30
        while len(_worker_pids(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)                                 # its first loop publishes its count
        return before, _rounds(connections, 10)
    finally:
        for conn in connections:
            conn.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_worker_added_to_a_busy_server_takes_its_share_of_the_kept_alive_connections(tmp_path):
    before, after = _added_worker_takes_its_share(tmp_path, WORKER_CLASS)
    assert list(before.values()) == [20]
    assert len(after) == 2 and max(after.values()) <= 11, after


def test_plain_gthread_workers_leave_kept_alive_connections_where_they_are(tmp_path):
    """What the fair worker changes: gunicorn's own gthread worker never moves a connection."""
    before, after = _added_worker_takes_its_share(tmp_path, "gthread")
    assert list(before.values()) == [20]
    assert list(after.values()) == [20]


# ------------------------------------------------------------------------------- fallbacks

class _Log:
    def __init__(self):
        self.warnings: list[str] = []

    def warning(self, message, *args):
        self.warnings.append(message % args)


def _worker(table) -> FairThreadWorker:
    config = Config()
    config.set("threads", 4)
    worker = FairThreadWorker(1, os.getpid(), [], None, 30, config, _Log())
    worker.table = table
    return worker


def test_without_the_shared_table_a_worker_serves_as_a_plain_gthread_worker_and_says_why():
    worker = _worker(None)
    worker.start_sharing()
    worker.notify()
    assert (worker.worker_connections, worker.max_keepalived) == (1000, 996)
    assert "not shared out" in worker.log.warnings[0] and "no shared table" in worker.log.warnings[0]


def test_a_gunicorn_without_the_attributes_used_leaves_the_worker_plain():
    worker = _worker(FairThreadWorker.table)
    del worker.max_keepalived
    worker.start_sharing()
    assert worker._slot is None
    assert "no max_keepalived" in worker.log.warnings[0]


def test_balancing_that_fails_restores_the_configured_limits_and_stops():
    FairThreadWorker.setup()
    worker = _worker(FairThreadWorker.table)
    worker.start_sharing()
    worker.nr_conns = 40
    worker.notify()                              # the only live worker: its share is all of them
    assert worker.max_keepalived == 996

    class Broken:
        def publish(self, slot, conns):
            raise OSError("shared memory gone")

        def release(self, slot, pid):
            pass

    worker.table, worker.worker_connections, worker.max_keepalived = Broken(), 7, 0
    worker.notify()
    assert (worker.worker_connections, worker.max_keepalived) == (1000, 996)
    assert worker._slot is None and "shared memory gone" in worker.log.warnings[-1]
    worker.notify()                              # and stays a plain worker
