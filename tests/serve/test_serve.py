"""`gremium serve` as an operator starts it: a subprocess in production mode (DEBUG off,
HTTPS enforced) on a free port, on a fresh SQLite site with the demo meeting, reached over
real sockets on 127.0.0.0/8 only.

127.0.0.2 plays the trusted proxy (GREMIUM_TRUSTED_PROXIES) and 127.0.0.1 a client that
sends the same headers without being trusted. The stage runs on its own
(`pytest -m serve`, a stage of scripts/test): starting the site and the server takes
some seconds. The server is stopped with SIGTERM by the last test, during a request.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.serve

ROOT = Path(__file__).resolve().parents[2]
GREMIUM = Path(sys.executable).parent / "gremium"
PROXY, CLIENT = "127.0.0.2", "127.0.0.1"
TOKEN = "serve-stage-metrics-token-" + "m" * 20


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    meeting: int

    def log_lines(self) -> list[dict[str, object]]:
        lines = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env(data: Path) -> dict[str, str]:
    drop = {"PYTEST_VERSION", "DEBUG", "DATABASE_URL", "SECRET_KEY", "PROMETHEUS_MULTIPROC_DIR"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "gremium.settings",
            "SECRET_KEY": "serve-stage-" + "s" * 50,
            "GREMIUM_DATA_DIR": str(data),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GREMIUM_TRUSTED_PROXIES": PROXY,
            "GREMIUM_LOG_FORMAT": "json",
            "GREMIUM_METRICS_TOKEN": TOKEN,
            "LOG_LEVEL": "INFO",
        }
    )
    return env


def gremium(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(GREMIUM), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def request(
    port: int, path: str, *, source: str = PROXY, headers: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def wait_ready(server: Server, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log.read_text()
        try:
            response, _ = request(server.port, "/health/ready")
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("gremium serve did not become ready:\n" + server.log.read_text())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("serve")
    env = production_env(data)
    gremium(env, "migrate", "--noinput")
    gremium(env, "collectstatic", "--noinput")
    meeting = int(re.findall(r"\(id (\d+)\)", gremium(env, "demo"))[0])
    port = free_port()
    log = data / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(GREMIUM), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Server(process, port, log, meeting)
    try:
        wait_ready(running)
        yield running
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serves_the_meeting_page_and_says_it_is_ready(server):
    response, body = request(
        server.port, f"/moeder/{server.meeting}/", headers={"X-Forwarded-Proto": "https"}
    )
    assert response.status == 200
    assert "Beskæftigelses- og Borgerserviceudvalget" in body.decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', body.decode())
    assert stylesheet, "the page links its stylesheet"
    css, _ = request(server.port, stylesheet[1], headers={"X-Forwarded-Proto": "https"})
    assert css.status == 200, "static files are served"
    ready, answer = request(server.port, "/health/ready", source=CLIENT)
    assert ready.status == 200
    assert json.loads(answer) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok", "queue": "ok"},
    }


def test_forwarded_headers_count_from_the_trusted_proxy_only(server):
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.20"}
    untrusted, _ = request(server.port, "/moeder/", source=CLIENT, headers=forged)
    assert untrusted.status == 301
    assert untrusted.getheader("Location") == f"https://127.0.0.1:{server.port}/moeder/"
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    trusted, _ = request(server.port, "/moeder/", headers=proxied)
    assert trusted.status == 200
    clients = {line["client"] for line in server.log_lines() if line.get("path") == "/moeder/"}
    assert clients == {"127.0.0.1", "203.0.113.9"}


def test_access_log_line_with_the_request_id(server):
    headers = {"X-Forwarded-Proto": "https", "X-Request-ID": "serve-stage-1"}
    response, body = request(server.port, "/moeder/", headers=headers)
    assert response.getheader("X-Request-ID") == "serve-stage-1"
    time.sleep(0.2)
    [line] = [line for line in server.log_lines() if line["request_id"] == "serve-stage-1"]
    assert line["logger"] == "gremium.access"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["bytes"] == len(body)
    assert line["protocol"] == "HTTP/1.1"
    made, _ = request(server.port, "/health/live")
    assert re.fullmatch(r"[0-9a-f]{32}", made.getheader("X-Request-ID") or "")


def test_metrics_add_up_every_worker_for_the_token_only(server):
    for _ in range(6):
        request(server.port, "/kalender.ics", headers={"X-Forwarded-Proto": "https"})
    denied, _ = request(server.port, "/metrics")
    assert denied.status == 404
    allowed, text = request(server.port, "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert allowed.status == 200
    found = re.search(
        rb'gremium_http_requests_total\{method="GET",route="portal:body-ics",status="2xx"\} (\S+)',
        text,
    )
    assert found and float(found[1]) == 6.0, text.decode()


def test_sigterm_lets_a_running_request_finish(server):
    """The request is still arriving (headers half sent) when SIGTERM comes: the server
    answers it in full, then exits cleanly."""
    slow = socket.create_connection(("127.0.0.1", server.port), source_address=(PROXY, 0))
    slow.settimeout(60)
    slow.sendall(
        f"GET /moeder/{server.meeting}/referat.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
    )
    time.sleep(1)  # a worker has taken the connection
    server.process.send_signal(signal.SIGTERM)
    time.sleep(1)
    slow.sendall(b"X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n")
    answer = b""
    while chunk := slow.recv(65536):
        answer += chunk
    slow.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    length = int(re.search(rb"(?i)content-length: (\d+)", head)[1])  # type: ignore[index]
    assert len(body) == length
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert server.process.wait(timeout=40) == 0
    messages = [str(line["message"]) for line in server.log_lines()]
    [signalled] = [i for i, text in enumerate(messages) if text.startswith("Shutting down")]
    [answered] = [i for i, text in enumerate(messages) if "/referat.pdf" in text]
    assert signalled < answered, "the answer was written after SIGTERM arrived"
    assert "shutdown completed" in messages[-1]
