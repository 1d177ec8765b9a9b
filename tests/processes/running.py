"""Start gremium's processes (gunicorn app servers, `gremium worker`) against the test
database, and stop them again."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "run with -m processes: a file database"
        return f"sqlite:///{db['NAME']}"
    quote = urllib.parse.quote
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'])}"


def environment(data: Path, **extra: str) -> dict[str, str]:
    """A deployment's environment: the shared database, files and queue. PYTEST_VERSION
    is dropped so that the process takes the production defaults (database cache and
    queue); DEBUG only spares it the TLS redirect and the secret key."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=database_url(),
        DEBUG="1",
        GREMIUM_DATA_DIR=str(data),
        MEDIA_ROOT=str(data / "media"),
        GREMIUM_TASKS="database",
        **extra,
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def started(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def app_server(port: int, env: dict[str, str], log: Path) -> contextlib.AbstractContextManager:
    """gunicorn (the development dependency) with one worker, as in production."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "gremium.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--timeout", "120"]
    return started(command, env, log)


def worker(env: dict[str, str], log: Path, *args: str) -> contextlib.AbstractContextManager:
    command = [sys.executable, "manage.py", "worker", "--interval", "0.2", *args]
    return started(command, env, log)


def wait_for(condition: Callable[[], bool], what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s. Log:\n{log.read_text()[-3000:]}")


def answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False
