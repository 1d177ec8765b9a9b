"""The production server behind `gremium serve`: gunicorn with threaded (gthread) workers,
run in this process, with the application loaded once before the workers fork.

Why gunicorn gthread (bench/servers.py, docs/operations.md "Choosing the server"): on the
meeting page it served as many requests as granian and twice as many as sync workers, on
the stored PDF more than either, in the least memory. Sync workers lose because they close
every connection after one answer; threads keep connections open and overlap the waits for
the database and the disk. One process per core: the pages are CPU-bound, so more
processes only add memory (about 100 MB each) and contention.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from gunicorn import glogging
from gunicorn.app.base import BaseApplication

THREADS = 4
KEEPALIVE_SECONDS = 5


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_timeout() -> int:
    """Seconds a worker may stay silent before it is restarted: above the three tries of
    a change that waits GREMIUM_DB_LOCK_TIMEOUT each (lib/busy.py), and at least a minute
    for the largest PDF."""
    return max(60, 4 * settings.GREMIUM_DB_LOCK_TIMEOUT)


@dataclass(frozen=True)
class ServeOptions:
    bind: str
    workers: int
    threads: int = THREADS
    graceful_timeout: int = 30


def gunicorn_settings(options: ServeOptions) -> dict[str, Any]:
    shm = Path("/dev/shm")  # noqa: S108 (a RAM folder, gunicorn's advice for heartbeats)
    return {
        "bind": [options.bind],
        "workers": options.workers,
        "worker_class": "gthread",
        "threads": options.threads,
        "keepalive": KEEPALIVE_SECONDS,
        "timeout": worker_timeout(),
        # SIGTERM: stop accepting, let running requests finish for this long, then stop.
        "graceful_timeout": options.graceful_timeout,
        "preload_app": True,
        # gremium writes the access log itself (lib/request_log.py), after the proxy check.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": str(settings.LOGGING["root"]["level"]).lower(),  # type: ignore[index]
        "logger_class": ServerLog,
        # The workers' heartbeat files: on a container's overlay /tmp they can stall.
        "worker_tmp_dir": str(shm) if shm.is_dir() else None,
        "proc_name": "gremium",
        # Forwarded headers are judged by gremium's own middleware (lib/proxy.py).
        "forwarded_allow_ips": "",
        "control_socket_disable": True,
    }


class ServerLog(glogging.Logger):
    """gunicorn's own messages (start, workers, errors) through gremium's logging, so they
    come out in the same format, JSON lines too."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in list(self.error_log.handlers):
            self.error_log.removeHandler(handler)
        self.error_log.propagate = True


class GremiumServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, application: WSGIHandler, options: ServeOptions) -> None:
        self.application = application
        self.options = gunicorn_settings(options)
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> WSGIHandler:
        return self.application


def metrics_folder() -> Path:
    """A fresh folder for the workers' Prometheus figures (operations/metrics.py): set
    before prometheus_client is first imported, since it reads the variable then."""
    folder = Path(tempfile.mkdtemp(prefix="gremium-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder
