"""Tasks the job tests queue: one that fails a set number of times, and one that takes
its time (for killing its worker mid-job). Both leave traces in files, so that a worker
in another process can be watched."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

# In-process runs: how many more times `flaky` fails.
FAILURES = {"left": 0}


@task()
def flaky(*, meeting_id: int | None = None) -> str:
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise RuntimeError("the printer is on fire")
    return "done"


@task()
def slow(*, folder: str, seconds: float) -> None:
    """Says it started, works `seconds`, then says it finished (once per run)."""
    base = Path(folder)
    runs = len(list(base.glob("started-*")))
    (base / f"started-{runs}").write_text("")
    time.sleep(seconds)
    (base / f"finished-{runs}").write_text("")
