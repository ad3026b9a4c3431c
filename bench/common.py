"""What the benchmarks share: the production-stack environment, gunicorn, a keep-alive HTTP client."""

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def production_env() -> dict:
    """PostgreSQL and Redis from the environment, or the machine's local servers, DEBUG off, a demo server."""
    return {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-use"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        "DEMO": "1",  # demo data and the demo bank
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "hub.settings",
    }


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *arguments: str, **options) -> subprocess.CompletedProcess:
    """``manage.py`` with ``arguments`` in the project folder, in ``env``; a failure stops the benchmark."""
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, **options)


def migrated_env() -> dict:
    """The production environment, its database created if need be and migrated."""
    env = production_env()
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "-v0")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dockerfile_gunicorn_options() -> list[str]:
    """gunicorn's options in the Docker image's CMD (what docker-compose.yml runs), but ``--bind``."""
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    command = json.loads(line.removeprefix("CMD "))
    bind = command.index("--bind")
    return command[2:bind] + command[bind + 2 :]


def start_gunicorn(
    env: dict, *, workers: int = 2, threads: int = 2, options: list[str] | None = None
) -> tuple[subprocess.Popen, int]:
    """The production web server on a free local port, once it answers /healthz/live: ``options`` (e.g.
    :func:`dockerfile_gunicorn_options`), else ``workers`` gthread workers of ``threads`` threads."""
    port = free_port()
    if options is None:
        options = ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "hub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            *options,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live", timeout=1)  # noqa: S310
            return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start: " + server.stderr.read()[-2000:])


class Client:
    """One keep-alive HTTP/1.1 connection on loopback (asyncio): the load generator of the benchmarks."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port = port
        self.headers = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.reader = self.writer = None

    async def connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def encode(self, method: str, path: str, body: dict | None = None) -> bytes:
        data = json.dumps(body).encode() if body is not None else b""
        content = (
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n" if body is not None else ""
        )
        return f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{self.headers}{content}\r\n".encode() + data

    async def send(self, data: bytes):
        if self.writer is None:
            await self.connect()
        self.writer.write(data)
        await self.writer.drain()

    async def receive(self) -> tuple[int, bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.reader = self.writer = None
        return status, body

    async def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        await self.send(self.encode(method, path, body))
        return await self.receive()


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def latency_report(latencies: list[float], elapsed: float) -> dict:
    """Throughput and latency percentiles (milliseconds) of a closed-loop phase."""
    ms = [x * 1000 for x in latencies]
    return {
        "requests": len(ms),
        "seconds": round(elapsed, 3),
        "per_second": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


RECONNECT_EVERY = 50


async def closed_loop(port: int, path: str, seconds: float, concurrency: int) -> dict:
    latencies, statuses, size = [], {}, 0
    deadline = time.perf_counter() + seconds

    async def worker():
        nonlocal size
        client, calls = None, 0
        while time.perf_counter() < deadline:
            if calls % RECONNECT_EVERY == 0:  # new connections keep spreading over both gunicorn workers
                if client and client.writer:
                    client.writer.close()
                client = Client(port, {"Accept-Encoding": "gzip, deflate, br"})  # as browsers send
            calls += 1
            started = time.perf_counter()
            status, body = await client.call("GET", path)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            size = len(body)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {
        "path": path,
        **latency_report(latencies, time.perf_counter() - started),
        "statuses": statuses,
        "body_bytes": size,
    }


async def read_paths(port: int, paths: dict[str, str], seconds: float, concurrency: int) -> dict[str, dict]:
    """Each of ``paths`` (name: path) read by :func:`closed_loop` after a warm-up, in two interleaved
    rounds of ``seconds / 2``; each path's better round, by name."""
    for path in paths.values():  # warm every worker
        await closed_loop(port, path, 1, concurrency)
    phases = {}
    for _round in range(2):  # interleaved, best of two: the machine's noise hits every path alike
        for name, path in paths.items():
            phase = await closed_loop(port, path, seconds / 2, concurrency)
            if name not in phases or phase["per_second"] > phases[name]["per_second"]:
                phases[name] = phase
    return phases


def start_celery_worker(env: dict, *, processes: int = 2) -> subprocess.Popen:
    """A real Celery worker (prefork, ``processes`` children) on the environment's broker."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hub",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={processes}",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_worker(celery_app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while celery_app.control.ping(timeout=0.5) == []:
        if time.monotonic() > deadline:
            raise RuntimeError("the Celery worker did not start")
        time.sleep(0.5)


def mail_bench_setup():
    """A local SMTP sink (real aiosmtpd) and the production-stack environment sending to it; Django set up
    and the database migrated. Returns (sink, env); start the sink when ready."""
    from tests.servers import SmtpSink

    sink = SmtpSink(free_port(), keep_messages=False)
    env = {**production_env(), "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
    os.environ.update(env)
    ensure_database(env["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return sink, env


def wait_for_delivery(
    sink, expected: int, *, since: float, timeout: float, recipient_suffix: str = ""
) -> float:
    """Seconds from ``since`` (perf_counter) to the last message received, once ``expected`` messages have
    arrived or the timeout passed; then waits 3 s more so that anything sent twice arrives too."""
    last_count, last_change = 0, since
    while time.perf_counter() - since < timeout:
        count = len(sink.message_ids(recipient_suffix))
        if count != last_count:
            last_count, last_change = count, time.perf_counter()
        if count >= expected:
            break
        time.sleep(0.05)
    time.sleep(3)
    return last_change - since
