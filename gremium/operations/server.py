"""The production server behind `gremium serve`: granian (its HTTP side in Rust) running
the WSGI application in worker processes, each with a few Python threads.

Why granian (bench/servers.py, docs/operations.md "Choosing the server"): on the meeting
page and the stored minutes PDF it served more requests than gunicorn's gthread workers in
five of six figures over three runs, and more than gunicorn's sync workers in all six;
the pages are CPU-bound, and granian spends less of the CPU on HTTP itself. One process per
core: more processes only add memory and contention.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels

THREADS = 4
APPLICATION = "gremium.wsgi:application"


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServeOptions:
    bind: str
    workers: int
    threads: int = THREADS
    graceful_timeout: int = 30


def listen_on(bind: str) -> dict[str, Any]:
    """granian's arguments for HOST:PORT, [IPv6]:PORT or unix:PATH."""
    if bind.startswith("unix:"):
        return {"uds": Path(bind.removeprefix("unix:"))}
    host, _, port = bind.rpartition(":")
    return {"address": host.strip("[]"), "port": int(port)}


def logging_for_server() -> dict[str, Any]:
    """gremium's logging (text or JSON lines), with granian's own messages passed to it
    rather than printed in granian's format."""
    config = dict(settings.LOGGING)
    config["loggers"] = {"_granian": {"handlers": [], "propagate": True}}
    return config


def run_server(options: ServeOptions) -> None:
    """Serve until SIGTERM or SIGINT, then return once the workers have stopped."""
    level = str(settings.LOGGING["root"]["level"]).lower()  # type: ignore[index]
    Granian(
        APPLICATION,
        **listen_on(options.bind),
        interface=Interfaces.WSGI,
        workers=options.workers,
        blocking_threads=options.threads,
        websockets=False,
        log_level=LogLevels(level if level in LogLevels._value2member_map_ else "info"),
        log_dictconfig=logging_for_server(),
        # gremium writes the access log itself (lib/request_log.py), after the proxy check.
        log_access=False,
        # SIGTERM: stop accepting, let running requests finish, kill after this long.
        workers_kill_timeout=options.graceful_timeout,
        # A worker that dies (out of memory on a huge PDF) is replaced.
        respawn_failed_workers=True,
        working_dir=Path(settings.BASE_DIR),
    ).serve()


def metrics_folder() -> Path:
    """A fresh folder for the workers' Prometheus figures (operations/metrics.py), set in
    the environment that the workers inherit, before prometheus_client is first imported."""
    folder = Path(tempfile.mkdtemp(prefix="gremium-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder
