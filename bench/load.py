"""Load benchmark (issue 9): enterprises filling and saving stages as fast as the server answers.

gunicorn serves the app on PostgreSQL (its own database, emptied and migrated by this script) with
Redis configured. N enterprises (default 50), registered through the account services, each with a
draft of the combined diagnosis, log in through the login form and then, with no think time, each
send their next request as soon as the last is answered: post the stage page they are on ("保存并继续",
changing one answer every time), follow the redirect to the next page, and round again from the
first stage after the confirmation page. After the measured window every answer is read back from
the database and compared with what that enterprise's last successful save posted.

Printed: requests/s, p50/p95/max per request kind, the gunicorn workers' CPU time per request
(from /proc, before and after the window), errors (any status other than the expected one) and
answers lost; then the same for a trivial endpoint (a logged-in GET / answered with a redirect) on
the same server, the ceiling of what the stack can do per request. Nothing is asserted.

With --servers 2, two gunicorn masters on two ports share the database and Redis, and every request
of every user goes to the next server in turn, as behind a round-robin load balancer.

Log-in is not measured: it happens before the window, a few at a time, with the app's login rate
limits switched off by configuration (RATELIMIT_ENABLED=False), since 50 log-ins from one address
in a second are what those limits exist to stop.

gunicorn runs 4 sync workers by default, which close the connection after every request (each
request pays a TCP connect, accept and close on the two cores). ``--workers 2 --threads 4`` serves
as ``make run`` does (gthread, connections kept alive): less CPU per request for the server and the
client, but the 50 kept-alive connections are shared unevenly between the two workers, and on
2026-11-30 (busy machine, same code) p95 was 690 ms against 480 ms with 4 sync workers.

Usage: .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--servers 1] [--workers 4]
           [--threads 1] [--port 5111]
       LOAD_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/zhizao_load)
       LOAD_REDIS_URL (default redis://127.0.0.1:6379/1)
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONNAIRE = "zhizao-2024"
TICK = os.sysconf("SC_CLK_TCK")

# ----------------------------------------------------------------------------------------------
# Setup: database, accounts, drafts (through the same services the app uses)


def prepare_database(url: str, users: int, password: str, secret: str) -> list[tuple[str, int]]:
    """Empty and migrate the bench database; register the enterprises and start their drafts."""
    import psycopg
    from sqlalchemy.engine import make_url

    from diagnosis import create_app
    from diagnosis.accounts.credit_code import check_character
    from diagnosis.accounts.services import Registration, register_enterprise
    from diagnosis.assessments import services
    from diagnosis.extensions import db
    from diagnosis.reference.models import Area
    from diagnosis.reference.services import load_reference_data

    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{parsed.database}"')
    with psycopg.connect(parsed.render_as_string(hide_password=False).replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")

    from flask_migrate import upgrade
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None, "SECRET_KEY": secret})
    out = []
    with app.app_context():
        upgrade()
        load_reference_data(app.extensions["questionnaires"])
        areas = db.session.query(Area).order_by(Area.id).all()
        for n in range(users):
            first17 = f"914110{n:06d}MA4B"[:17].ljust(17, "0")
            user = register_enterprise(Registration(
                enterprise_name=f"许昌压测制造企业{n:03d}有限公司", credit_code=first17 + check_character(first17),
                area_id=areas[n % len(areas)].id, industry_code="34", above_scale=True, contact_name="压测",
                contact_phone="13800000000", email=f"load{n:03d}@bench.zhizao.cn", password=password))
            diagnosis = services.start_diagnosis(user, QUESTIONNAIRE)
            out.append((user.email, diagnosis.id))
        db.session.remove()
    return out


def expected_form_values() -> dict[str, Any]:
    """The demo answers as a browser posts them, by field name."""
    from diagnosis import catalog  # noqa: F401
    from diagnosis.demo import demo_payload
    from diagnosis.instruments import load_library
    payload = demo_payload(load_library(), QUESTIONNAIRE)
    return {field_name(k): as_form(v) for source in (payload["profile"], payload["answers"]) for k, v in source.items()}


def field_name(key: str) -> str:
    return "f_" + key.replace(".", "_").replace("-", "_")


def as_form(value: Any) -> Any:
    """A stored value as the form posts it (numbers in full, maturity scores as 1/0.8/0.5/0/na)."""
    if value is None:
        return "na"
    if isinstance(value, list):
        return sorted(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def stored_answers(url: str) -> dict[int, dict[str, Any]]:
    """Every draft's stored values, by diagnosis id and field name, as the form would post them."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    out: dict[int, dict[str, Any]] = {}
    with engine.connect() as conn:
        for did, profile, answers in conn.execute(text("SELECT id, profile, answers FROM diagnosis")):
            out[did] = {field_name(k): as_form(v) for source in (profile, answers) for k, v in source.items()}
    engine.dispose()
    return out


# ----------------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def workers(self) -> list[int]:
        kids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    kids.append(int(entry))
        return kids

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its workers so far."""
        total = 0
        for pid in [self.process.pid, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / TICK


def start_server(port: int, url: str, redis_url: str, workers: int, threads: int, secret: str,
                 worker_class: str | None = None) -> Server:
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=redis_url, SECRET_KEY=secret)
    app = "diagnosis:create_app({'RATELIMIT_ENABLED': False})"
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
           "--backlog", "2048", "--log-level", "warning"]
    if threads > 1:
        cmd += ["--threads", str(threads)]
        if worker_class:
            cmd += ["--worker-class", worker_class]
    else:       # gunicorn.conf.py names a threaded worker class
        cmd += ["--worker-class", "sync"]
    process = subprocess.Popen([*cmd, app], cwd=ROOT, env=env, start_new_session=True)
    return Server(port, process)


async def wait_until_up(server: Server) -> None:
    for _ in range(600):
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn on port {server.port} exited with {server.process.returncode}")
        try:
            conn = Connection("127.0.0.1", server.port)
            status, _, _ = await conn.request("GET", "/login", {})
            await conn.close()
            if status == 200 and len(server.workers()) > 0:
                return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit(f"gunicorn on port {server.port} did not answer")


def stop_server(server: Server) -> None:
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


# ----------------------------------------------------------------------------------------------
# A small HTTP/1.1 client (keep-alive, cookies): cheap, since it shares the two cores


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, cookies: dict[str, str],
                      data: dict | None = None) -> tuple[int, dict[str, str], str]:
        body = urlencode(data, doseq=True).encode() if data is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        if data is not None:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                self.writer.write(raw)
                return await self._response(cookies)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if fresh or attempt == 2:       # only a kept-alive connection the server closed is retried
                    raise
        raise AssertionError("unreachable")

    async def _response(self, cookies: dict[str, str]) -> tuple[int, dict[str, str], str]:
        status_line = await self.reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = (await self.reader.readuntil(b"\r\n")).decode("latin-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            name, value = name.lower(), value.strip()
            if name == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, val = cookie.partition("=")
                cookies[key] = val
            headers[name] = value
        if headers.get("transfer-encoding") == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            body = b"".join(chunks)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body.decode()


# ----------------------------------------------------------------------------------------------
# Simulated enterprises

INPUT = re.compile(r"<input\b([^>]*)>")
ATTR = re.compile(r'([a-zA-Z_:-]+)(?:="([^"]*)")?')
# Fields changed by the saves: options any of which is valid whatever else is answered.
MUTABLE = re.compile(r"f_(revenue|Q0[2358]|S\d\d|[A-Z]{2}\d_\d+)$")


def inputs(html: str) -> tuple[dict[str, str], dict[str, tuple[str, list[str]]]]:
    """Hidden values (csrf_token, version) and the answer fields: name -> (type, option values)."""
    hidden: dict[str, str] = {}
    fields: dict[str, tuple[str, list[str]]] = {}
    for match in INPUT.finditer(html):
        attrs = {k: (v or "") for k, v in ATTR.findall(match.group(1))}
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name:
            continue
        if kind == "hidden":
            hidden[name] = attrs.get("value", "")
        elif name.startswith("f_"):
            fields.setdefault(name, (kind, []))[1].append(attrs.get("value", ""))
    return hidden, fields


@dataclass
class Figures:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    started: float = 0.0
    ended: float = 0.0

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        now = time.monotonic()
        if not (self.started <= now <= self.ended):
            return
        self.latencies.setdefault(kind, []).append(seconds)
        if not ok:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())


class Enterprise:
    def __init__(self, n: int, email: str, diagnosis_id: int, ports: list[int], values: dict[str, Any]):
        self.n, self.email, self.diagnosis_id = n, email, diagnosis_id
        self.connections = [Connection("127.0.0.1", port) for port in ports]
        self.turn = n                                  # round-robin over the servers, per request
        self.cookies: dict[str, str] = {}
        self.values = dict(values)                     # what this enterprise answers now, by field name
        self.saved: dict[str, Any] = {}                # what its last successful saves posted
        self.changes = 0

    async def request(self, method: str, path: str, data: dict | None = None):
        self.turn += 1
        conn = self.connections[self.turn % len(self.connections)]
        return await conn.request(method, path, self.cookies, data)

    async def log_in(self, password: str) -> None:
        _, _, page = await self.request("GET", "/login")
        hidden, _ = inputs(page)
        status, _, _ = await self.request("POST", "/login", {"email": self.email, "password": password,
                                                             "csrf_token": hidden.get("csrf_token", "")})
        if status != 302:
            raise SystemExit(f"log-in of {self.email} answered {status}")

    def first_page(self) -> str:
        return f"/diagnoses/{self.diagnosis_id}/stages/profile"

    def fill(self, page: str) -> dict[str, Any]:
        hidden, fields = inputs(page)
        mutable = [name for name in fields if MUTABLE.match(name)]
        if mutable:
            name = mutable[self.changes % len(mutable)]
            kind, options = fields[name]
            self.changes += 1
            if kind == "radio":
                current = self.values.get(name)
                choices = [o for o in options if o != current]
                self.values[name] = choices[self.changes % len(choices)]
            else:
                self.values[name] = str(int(self.values.get(name) or 0) + 1)
        data: dict[str, Any] = dict(hidden)
        for name, (kind, options) in fields.items():
            if name not in self.values and kind == "radio":
                # A maturity level the demo answers never reach: "不满足", which keeps it not achieved.
                self.values[name] = "0" if "0" in options else options[-1]
            data[name] = self.values.get(name, [] if kind == "checkbox" else "")
            if kind == "checkbox":
                data[name] = ["", *data[name]]      # a browser posts the group's hidden empty value too
        data["action"] = "next"
        return data

    async def run(self, figures: Figures, deadline: float) -> None:
        path = self.first_page()
        started = time.monotonic()
        status, _, page = await self.request("GET", path)
        figures.add("stage page (GET)", time.monotonic() - started, status == 200)
        while time.monotonic() < deadline:
            data = self.fill(page)
            started = time.monotonic()
            status, headers, _ = await self.request("POST", path, data)
            figures.add("stage save (POST)", time.monotonic() - started, status == 302)
            if status == 302:
                self.saved.update({k: [x for x in v if x] if isinstance(v, list) else v
                                   for k, v in data.items() if k.startswith("f_")})
                location = urlsplit(headers["location"])
                path = location.path + (f"?{location.query}" if location.query else "")
            if path.endswith("/submit"):
                started = time.monotonic()
                status, _, _ = await self.request("GET", path)
                figures.add("confirm page (GET)", time.monotonic() - started, status == 200)
                path = self.first_page()
            started = time.monotonic()
            status, _, page = await self.request("GET", path)
            figures.add("stage page (GET)", time.monotonic() - started, status == 200)

    async def ping(self, figures: Figures, deadline: float) -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            status, _, _ = await self.request("GET", "/")
            figures.add("trivial: GET / (redirect)", time.monotonic() - started, status == 302)


# ----------------------------------------------------------------------------------------------
# Measuring


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def python_speed() -> float:
    """Milliseconds for a fixed pure-Python loop: tells a slow or busy machine from a slow server."""
    started = time.process_time()
    n = 0
    for i in range(2_000_000):
        n += i
    return (time.process_time() - started) * 1000


def postgres_cpu() -> float:
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if stat.split(" ", 2)[1] == "(postgres)":
                fields = stat.rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
    return total / TICK


async def measure(title: str, users: list[Enterprise], servers: list[Server], seconds: float,
                  warmup: float, work) -> None:
    figures = Figures()
    now = time.monotonic()
    figures.started, figures.ended = now + warmup, now + warmup + seconds
    tasks = [asyncio.create_task(work(u, figures, figures.ended)) for u in users]
    await asyncio.sleep(max(0.0, figures.started - time.monotonic()))
    cpu0, pg0, client0 = sum(s.cpu_seconds() for s in servers), postgres_cpu(), time.process_time()
    await asyncio.sleep(max(0.0, figures.ended - time.monotonic()))
    cpu1, pg1, client1 = sum(s.cpu_seconds() for s in servers), postgres_cpu(), time.process_time()
    await asyncio.gather(*tasks)
    total = figures.count()
    print(f"\n{title}: {len(users)} users, {seconds:.0f} s measured, {total / seconds:.0f} requests/s")
    print(f"  {'request kind':28} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7}")
    for kind, values in sorted(figures.latencies.items()):
        print(f"  {kind:28} {len(values):7d} {percentile(values, 50) * 1000:8.1f} "
              f"{percentile(values, 95) * 1000:8.1f} {max(values) * 1000:8.1f} {figures.errors.get(kind, 0):7d}")
    if total:
        print(f"  server CPU (gunicorn workers): {(cpu1 - cpu0) / total * 1000:.2f} ms per request "
              f"({cpu1 - cpu0:.1f} s in {seconds:.0f} s); PostgreSQL, all databases: "
              f"{(pg1 - pg0) / total * 1000:.2f} ms per request; "
              f"this client: {(client1 - client0) / total * 1000:.2f} ms")


async def main_async(args) -> None:
    url = os.environ.get("LOAD_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/zhizao_load")
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/1")
    password = "Bench-" + secrets.token_urlsafe(12)
    print(f"setting up {args.users} enterprises on {url.rsplit('@', 1)[-1]} ...", flush=True)
    secret = secrets.token_hex(32)
    accounts = prepare_database(url, args.users, password, secret)
    ports = [args.port + i for i in range(args.servers)]
    servers = [start_server(p, url, redis_url, args.workers, args.threads, secret, args.worker_class)
               for p in ports]
    try:
        for s in servers:
            await wait_until_up(s)
        kind = (f"{args.worker_class or 'fair gthread'}, {args.threads} threads" if args.threads > 1
                else "sync")
        print(f"{args.servers} gunicorn server(s) on port(s) {', '.join(map(str, ports))}, "
              f"{args.workers} {kind} workers each; load average {os.getloadavg()[0]:.2f}; "
              f"CPU check (2M-step Python loop) {python_speed():.0f} ms", flush=True)
        values = expected_form_values()
        users = [Enterprise(n, email, did, ports, values) for n, (email, did) in enumerate(accounts)]
        for i in range(0, len(users), 5):
            await asyncio.gather(*(u.log_in(password) for u in users[i:i + 5]))
        await measure("stage filling", users, servers, args.seconds, args.warmup,
                      lambda u, f, d: u.run(f, d))
        await measure("ceiling", users, servers, args.ceiling_seconds, 2.0,
                      lambda u, f, d: u.ping(f, d))
        print(f"  load average after: {os.getloadavg()[0]:.2f}; CPU check {python_speed():.0f} ms")
    finally:
        for u in users if "users" in locals() else []:
            for c in u.connections:
                await c.close()
        for s in servers:
            stop_server(s)
    stored = stored_answers(url)
    lost = checked = 0
    examples = []
    for u in users:
        have = stored.get(u.diagnosis_id, {})
        for name, posted in u.saved.items():
            checked += 1
            want = sorted(posted) if isinstance(posted, list) else posted
            got = have.get(name, [] if isinstance(posted, list) else "")
            if isinstance(want, list) and got == "":
                got = []
            if got != want:
                lost += 1
                if len(examples) < 5:
                    examples.append(f"{u.email} {name}: saved {want!r}, stored {got!r}")
    saves = sum(u.changes for u in users)
    print(f"\nanswers read back: {checked} fields last saved by {len(users)} enterprises "
          f"({saves} saves in all), {lost} lost or changed")
    for line in examples:
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--ceiling-seconds", type=float, default=15)
    parser.add_argument("--servers", type=int, default=1, choices=[1, 2])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (>1: the threaded worker of gunicorn.conf.py; 1: sync)")
    parser.add_argument("--worker-class", default=None,
                        help="with --threads > 1, another worker class (gthread: gunicorn's own, for comparison)")
    parser.add_argument("--port", type=int, default=5111)
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
