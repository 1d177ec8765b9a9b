"""Transports for `import-oparl` in tests: gremium's own API through Django's test
client, and answers recorded from it, replayed into a fresh database."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.test import Client

from gremium.importers.oparl.client import Answer, Client as MirrorClient, Fetch
from gremium.importers.oparl.crawl import Crawl
from gremium.importers.oparl.problems import Problems

HOST = "testserver"
SYSTEM = f"http://{HOST}/oparl/v1.1/"


def django_fetch(client: Client) -> Fetch:
    def fetch(url: str) -> Answer:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path, HTTP_HOST=parts.netloc or HOST)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        return Answer(response.status_code, body)

    return fetch


def record(fetch: Fetch, url: str = SYSTEM) -> dict[str, Answer]:
    """Every answer a full mirror run asks for, kept: read the whole source once."""
    answers: dict[str, Answer] = {}

    def keep(address: str) -> Answer:
        answer = fetch(address)
        answers[address] = answer
        return answer

    crawl = Crawl(MirrorClient(keep, Problems(), retries=0))
    assert crawl.start(url)
    crawl.read_lists(lambda _url: None)
    crawl.follow_links(lambda _id: False)
    return answers


def replay(answers: dict[str, Answer]) -> Fetch:
    def fetch(url: str) -> Answer:
        return answers.get(url, Answer(404, b"{}"))

    return fetch
