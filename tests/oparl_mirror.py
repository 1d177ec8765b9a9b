"""Transports for `import-oparl` in tests: gremium's own API through Django's test
client, and answers recorded from it, replayed into a fresh database."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.test import Client

from gremium.importers.oparl.client import Answer, Fetch
from gremium.importers.oparl.client import Client as MirrorClient
from gremium.importers.oparl.crawl import Crawl, kind_of
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


def record(
    fetch: Fetch, url: str = SYSTEM, since: str | None = None, files: bool = False
) -> dict[str, Answer]:
    """Every answer a mirror run asks for, kept: the whole source, or with `since` each
    list's changes (by the URL without modified_since, which the replay cannot know); with
    `files` also each File's bytes."""
    answers: dict[str, Answer] = {}

    def keep(address: str) -> Answer:
        answer = fetch(address)
        answers[_without_since(address)] = answer
        return answer

    crawl = Crawl(MirrorClient(keep, Problems(), retries=0))
    assert crawl.start(url)
    crawl.read_lists(lambda _url: since)
    crawl.follow_links(lambda _id: False)
    for data in list(crawl.objects.values()) if files else []:
        if kind_of(data) == "File" and data.get("downloadUrl"):
            keep(data["downloadUrl"])
    return answers


def replay(full: dict[str, Answer], changes: dict[str, Answer] | None = None) -> Fetch:
    """The recorded source; a list asked for its changes gets the `changes` answers."""

    def fetch(url: str) -> Answer:
        key = _without_since(url)
        answers = changes if changes is not None and key != url else full
        return answers.get(key) or full.get(key) or Answer(404, b"{}")

    return fetch


def _without_since(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "modified_since"]
    return urlunsplit(parts._replace(query=urlencode(query)))
