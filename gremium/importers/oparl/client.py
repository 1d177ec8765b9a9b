"""Fetching a source's JSON: timeouts, retries with backoff, and a problem for every
answer that is not a JSON object. Nothing here raises for a faulty server."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gremium.importers.oparl.problems import ProblemClass, Problems

USER_AGENT = "gremium-import-oparl (+https://oparl.org/)"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


# A transport: URL in, answer out; raises OSError (TimeoutError, URLError) when no answer
# came. The command uses HTTP; tests pass Django's test client or recorded answers.
Fetch = Callable[[str], Answer]

# Answers worth asking again for: the server is busy or briefly broken.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def http_fetch(timeout: float) -> Fetch:
    def fetch(url: str) -> Answer:
        request = urllib.request.Request(  # noqa: S310 (the URL's scheme is checked below)
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        if request.type not in ("http", "https"):
            raise urllib.error.URLError(f"not an http(s) URL: {url}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                return Answer(answer.status, answer.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read() if error.fp else b"")

    return fetch


class Client:
    def __init__(
        self,
        fetch: Fetch,
        problems: Problems,
        *,
        retries: int = 3,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.fetch = fetch
        self.problems = problems
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.requests = 0

    def answer(self, url: str) -> Answer | None:
        """The answer, after up to `retries` more tries with doubling waits for a network
        error or a busy server; None (and a problem) when there is none."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self.requests += 1
            try:
                answer = self.fetch(url)
            except (OSError, ValueError) as error:  # ValueError: a malformed URL
                if last or isinstance(error, ValueError):
                    self.problems.add(
                        ProblemClass.NETWORK,
                        url,
                        _("intet svar (%(error)s)") % {"error": f"{type(error).__name__}: {error}"},
                    )
                    return None
            else:
                if answer.status == 200:
                    return answer
                if last or answer.status not in RETRY_STATUS:
                    self.problems.add(
                        ProblemClass.HTTP,
                        url,
                        _("svar med HTTP-status %(status)s") % {"status": answer.status},
                    )
                    return None
            self.sleep(self.backoff * 2**attempt)
        return None  # pragma: no cover (the loop returns on its last attempt)

    def get_json(self, url: str) -> dict[str, Any] | None:
        answer = self.answer(url)
        if answer is None:
            return None
        try:
            data = json.loads(answer.body)
        except ValueError as error:  # also a UnicodeDecodeError
            self.problems.add(
                ProblemClass.JSON, url, (_("ikke gyldig JSON (%(error)s)") % {"error": error})[:300]
            )
            return None
        if not isinstance(data, dict):
            self.problems.add(ProblemClass.SHAPE, url, _("svaret er ikke et JSON-objekt"))
            return None
        return data
