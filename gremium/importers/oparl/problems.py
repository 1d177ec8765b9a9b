"""What went wrong with a source, per object: reported and counted, never a reason to stop."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum


class ProblemClass(StrEnum):
    HTTP = "http"  # an answer other than 200 after the retries (a 404 for a linked id)
    NETWORK = "network"  # no answer: timeout, refused connection, after the retries
    JSON = "json"  # the answer is not valid JSON (a broken page)
    SHAPE = "shape"  # an object where an array belongs, a list without `data`, ...
    MISSING = "missing"  # a field the mirror needs is absent, or a linked object is gone
    DOWNLOAD = "download"  # a File without a usable downloadUrl, or bytes refused
    STORE = "store"  # gremium refused to store the object (the message says why)


@dataclass(frozen=True)
class Problem:
    problem_class: ProblemClass
    where: str  # the URL or source id concerned
    message: str

    def __str__(self) -> str:
        return f"[{self.problem_class}] {self.where}: {self.message}"


class Problems:
    """Problems of one run, collected from many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.items: list[Problem] = []

    def add(self, problem_class: ProblemClass, where: str, message: str) -> None:
        with self._lock:
            self.items.append(Problem(problem_class, where, message))

    def by_class(self) -> Counter[str]:
        return Counter(str(p.problem_class) for p in self.items)

    def about(self, where: str) -> list[Problem]:
        return [p for p in self.items if p.where == where]
