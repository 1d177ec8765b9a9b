"""Serving an approved meeting page: the production server alone, behind a caching reverse
proxy configured from gremium's cache headers, and beside it the proxy serving the same
bytes from a file, all measured in the same run.

    apt-get install wrk nginx-light      # Debian's packages: the load generator, the proxy
    .venv/bin/python bench/serve.py [--seconds 5] [--workers N] [--threads N] [--gunicorn]

The demo meeting is loaded into a throwaway site and approved, then:
  (a) `gremium serve` as it starts in production (DEBUG off, its default workers and
      threads unless --workers/--threads are given),
  (b) nginx with proxy_cache in front of (a), caching by gremium's Cache-Control and
      revalidating with its ETag, and
  (c) nginx serving the page's bytes from a file: the baseline.
With --gunicorn, gunicorn's gthread and sync workers (a dev dependency) are measured
beside (a) for comparison. wrk loads each at 10 and 50 concurrent connections against
127.0.0.1 only, for a bounded time, and the script prints requests/s with p50 and p99
latency, and for the app servers the CPU time their processes spent per request (a figure
that other load on the machine changes far less than the rate). The load average is
printed before and after. Without nginx it says so and measures the app servers alone;
without wrk it stops with the command to install it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway_site import ROOT, production_environment, setup

CONNECTIONS = (10, 50)


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: str
    requests: int = 0
    cpu_ms: float | None = None  # the server's CPU time per request, when measured


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def approved_demo_meeting() -> int:
    """The demo meeting, approved by every member present: its page no longer changes."""
    from gremium.audit.services import Actor
    from gremium.demo.seed import seed_document
    from gremium.meetings import services
    from gremium.meetings.from_document import meeting_store_document
    from gremium.meetings.models import AttendanceStatus, MeetingState

    actor = Actor.system("bench")
    meeting = meeting_store_document(document=seed_document(), by=actor).meeting
    for attendance in meeting.attendances.exclude(status=AttendanceStatus.ABSENT):
        services.minutes_approve(meeting=meeting, person=attendance.person, by=actor)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED, meeting.state
    return meeting.pk


def wait_for(url: str, seconds: float = 20) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1)
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def headers_of(url: str) -> Message:
    """The response's headers, looked up by any case (granian sends them in lower case)."""
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1)
        return response.headers  # type: ignore[no-any-return]


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path):  # type: ignore[no-untyped-def]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


BIN = Path(sys.executable).parent


def gremium_serve(port: int, workers: int | None, threads: int | None) -> list[str]:
    """`gremium serve` as production starts it; its own defaults unless told otherwise."""
    command = [str(BIN / "gremium"), "serve", "--bind", f"127.0.0.1:{port}"]
    if workers is not None:
        command += ["--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    return command


def gunicorn(port: int, workers: int, threads: int) -> list[str]:
    """gunicorn for comparison: gthread workers, or sync workers when threads is 1."""
    command = [
        str(BIN / "gunicorn"), "gremium.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--keep-alive", "5", "--log-level", "warning",
        "--chdir", str(ROOT),
    ]  # fmt: skip
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    return command


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and all its descendants so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if descends_from(int(entry.name), pid):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def descends_from(candidate: int, ancestor: int) -> bool:
    while candidate > 1:
        if candidate == ancestor:
            return True
        try:
            stat = (Path("/proc") / str(candidate) / "stat").read_text()
        except OSError:
            return False
        candidate = int(stat.rsplit(")", 1)[1].split()[1])
    return False


def load_average() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


NGINX_CONF = """
worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy-temp;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    default_type text/html;
    upstream gremium {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    # Kept as long as anyone asks for them; fresh for as long as gremium's max-age says.
    proxy_cache_path {folder}/cache keys_zone=gremium:10m inactive=7d;
    server {{
        listen 127.0.0.1:{proxy_port};
        location / {{
            proxy_pass http://gremium;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_cache gremium;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            proxy_cache_bypass $cookie_sessionid;
            proxy_no_cache $cookie_sessionid;
            add_header X-Cache-Status $upstream_cache_status;
        }}
    }}
    server {{
        listen 127.0.0.1:{file_port};
        root {folder}/files;
        index index.html;
    }}
}}
"""


def nginx(folder: Path, app_port: int, proxy_port: int, file_port: int, workers: int):  # type: ignore[no-untyped-def]
    config = folder / "nginx.conf"
    config.write_text(
        NGINX_CONF.format(
            folder=folder,
            app_port=app_port,
            proxy_port=proxy_port,
            file_port=file_port,
            workers=workers,
        )
    )
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    return running(
        [binary, "-c", str(config), "-p", str(folder)], dict(os.environ), folder / "nginx.out"
    )


def wrk(url: str, connections: int, seconds: int) -> Result:
    # Two wrk threads on a 2-core machine that also runs the servers: the figures are
    # what this machine gives with the load generator competing for the same cores.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    count = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"(Socket errors:.*|Non-2xx or 3xx responses:.*)", output)
    return Result(
        rate,
        _latency(output, "50%"),
        _latency(output, "99%"),
        errors.group(1) if errors else "",
        count,
    )


def _latency(output: str, percentile: str) -> float:
    found = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    if found is None:
        return float("nan")
    value, unit = float(found.group(1)), found.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def measure(name: str, url: str, seconds: int, server: int | None = None) -> dict[int, Result]:
    """wrk at each connection count; with `server` (a pid) also that process tree's CPU
    time per request."""
    results = {}
    for connections in CONNECTIONS:
        wrk(url, connections, 1)  # warm-up: caches filled, connections open
        before = cpu_seconds(server) if server else 0.0
        found = wrk(url, connections, seconds)
        if server and found.requests:
            found.cpu_ms = (cpu_seconds(server) - before) * 1000 / found.requests
        results[connections] = found
        cpu = f"CPU {found.cpu_ms:5.2f} ms/req" if found.cpu_ms is not None else " " * 17
        print(
            f"{name:<34} c={connections:<3} {found.requests_per_second:9.0f} req/s   "
            f"p50 {found.p50_ms:7.2f} ms   p99 {found.p99_ms:7.2f} ms   {cpu}   {found.errors}",
            flush=True,
        )
    return results


def missing_tools(args: argparse.Namespace) -> list[str]:
    needs = []
    if shutil.which("wrk") is None:
        needs.append("wrk is missing: apt-get install wrk")
    if args.gunicorn and not (BIN / "gunicorn").exists():
        needs.append("gunicorn is missing: uv sync --all-groups (it is a dev dependency)")
    return needs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5, help="per measurement (bounded)")
    parser.add_argument("--workers", type=int, help="worker processes (default: gremium serve's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: gremium serve's)")
    parser.add_argument(
        "--gunicorn", action="store_true", help="also gunicorn gthread and sync, for comparison"
    )
    parser.add_argument("--app-only", action="store_true", help="(a) alone, no nginx")
    args = parser.parse_args()
    needs = missing_tools(args)
    if needs:
        sys.exit("\n".join(needs))
    folder = Path(tempfile.mkdtemp(prefix="gremium-serve-"))
    folder.chmod(0o755)  # nginx's workers run as another user and read the file below
    try:
        run(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, args: argparse.Namespace) -> None:
    data_dir = setup(folder / "data")
    env = production_environment(data_dir)
    path = f"/moeder/{approved_demo_meeting()}/"
    app_port = free_port()
    print(f"approved demo meeting at {path}; {os.cpu_count()} cores; wrk -t2, {args.seconds} s")
    print(f"before: {load_average()}")
    serve = gremium_serve(app_port, args.workers, args.threads)
    print(f"(a) {' '.join(['gremium', *serve[1:]])}, DEBUG off")
    with running(serve, env, folder / "serve.log") as process:
        app_url = f"http://127.0.0.1:{app_port}{path}"
        page = wait_for(app_url, seconds=60)
        sent = headers_of(app_url)
        names = ("Cache-Control", "ETag", "Vary")
        print("    gremium sends: " + "; ".join(f"{k}: {sent.get(k, '-')}" for k in names))
        print(f"    page: {len(page)} bytes; {(folder / 'serve.log').read_text().strip()}")
        app = measure("(a) gremium serve alone", app_url, args.seconds, process.pid)
        if args.app_only:
            return
        if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
            print(
                "nginx is missing: (b) and (c) are skipped. Install Debian's nginx "
                "(apt-get install nginx-light) to measure the proxy and the file baseline."
            )
            return
        proxied, files = behind_nginx(folder, app_port, path, page, args)
    if args.gunicorn:
        compare_gunicorn(folder, env, path, args)
    print(f"after: {load_average()}")
    for connections in CONNECTIONS:
        base = files[connections].requests_per_second
        print(
            f"c={connections}: (a) {app[connections].requests_per_second / base:6.1%} of (c)   "
            f"(b) {proxied[connections].requests_per_second / base:6.1%} of (c)"
        )


def compare_gunicorn(folder: Path, env: dict[str, str], path: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The same page from gunicorn, gthread (4 threads) and sync, one process per core."""
    workers = args.workers or os.cpu_count() or 1
    for threads, kind in ((4, "gthread"), (1, "sync")):
        port = free_port()
        with running(gunicorn(port, workers, threads), env, folder / "gunicorn.log") as process:
            url = f"http://127.0.0.1:{port}{path}"
            wait_for(url, seconds=60)
            label = f"gunicorn {kind} x{workers}" + (f"x{threads}" if threads > 1 else "")
            measure(label, url, args.seconds, process.pid)


def behind_nginx(
    folder: Path, app_port: int, path: str, page: bytes, args: argparse.Namespace
) -> tuple[dict[int, Result], dict[int, Result]]:
    """(b) the proxy cache in front of the app server and (c) the same bytes as a file."""
    target = folder / "files" / path.strip("/") / "index.html"
    target.parent.mkdir(parents=True)
    target.write_bytes(page)
    for part in target.parents:
        if folder in part.parents:
            part.chmod(0o755)
    target.chmod(0o644)
    proxy_port, file_port = free_port(), free_port()
    with nginx(folder, app_port, proxy_port, file_port, os.cpu_count() or 1):
        proxy_url = f"http://127.0.0.1:{proxy_port}{path}"
        file_url = f"http://127.0.0.1:{file_port}{path}"
        wait_for(file_url)
        wait_for(proxy_url)
        status = headers_of(proxy_url).get("X-Cache-Status")
        print(f"(b) nginx proxy_cache in front of (a); second request: X-Cache-Status {status}")
        proxied = measure("(b) nginx proxy_cache + gremium", proxy_url, args.seconds)
        print("(c) nginx serving the same bytes from a file (baseline)")
        files = measure("(c) nginx file", file_url, args.seconds)
    return proxied, files


if __name__ == "__main__":
    main()
