"""A progress bar with the estimated time left, drawn on a terminal only."""

from __future__ import annotations

import time
from typing import TextIO

from django.utils.translation import gettext as _

_WIDTH = 30
_EVERY = 0.2  # seconds between redraws


class Progress:
    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.enabled = enabled
        self.started = time.monotonic()
        self.drawn = 0.0

    def show(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.drawn < _EVERY):
            return
        self.drawn = now
        self.stream.write("\r" + self.line(done, now - self.started))
        self.stream.flush()

    def line(self, done: int, elapsed: float) -> str:
        share = min(done / self.total, 1.0)
        bar = "#" * int(share * _WIDTH)
        left = (self.total - done) * elapsed / done if done else 0.0
        rate = done / elapsed if elapsed > 0 else 0.0
        return _(
            "%(bar)s %(share)3d%% %(done)s/%(total)s filer, %(rate).1f/s, ca. %(left)s tilbage"
        ) % {
            "bar": f"[{bar:<{_WIDTH}}]",
            "share": int(share * 100),
            "done": done,
            "total": self.total,
            "rate": rate,
            "left": _clock(left),
        }

    def clear(self) -> None:
        """Make room for a line of text (a warning) under the bar's line."""
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
