"""The mirror's HTTP side on its own: retries with backoff, timeouts, and a problem (never
an exception) for each answer that is not a JSON object; embedded objects taken apart."""

from __future__ import annotations

import io
import socket

from gremium.importers.oparl.client import Answer, Client, http_fetch
from gremium.importers.oparl.crawl import Crawl
from gremium.importers.oparl.problems import ProblemClass, Problems

URL = "https://oparl.example.org/meeting/1"


def _client(answers, sleeps=None, retries=3):  # type: ignore[no-untyped-def]
    pending = list(answers)

    def fetch(url: str) -> Answer:
        answer = pending.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    sleeps = sleeps if sleeps is not None else []
    return Client(fetch, Problems(), retries=retries, backoff=0.5, sleep=sleeps.append)


def test_a_timeout_and_a_busy_server_are_tried_again_with_doubling_waits():
    sleeps: list[float] = []
    client = _client(
        [TimeoutError("timed out"), Answer(503, b""), Answer(200, b'{"id": 1}')], sleeps
    )
    assert client.get_json(URL) == {"id": 1}
    assert sleeps == [0.5, 1.0]
    assert client.problems.items == []


def test_after_the_last_retry_the_failure_is_a_problem_of_that_url():
    client = _client([Answer(503, b"")] * 3, retries=2)
    assert client.get_json(URL) is None
    (problem,) = client.problems.items
    assert (problem.problem_class, problem.where, problem.message) == (
        ProblemClass.HTTP,
        URL,
        "svar med HTTP-status 503",
    )


def test_a_404_is_not_tried_again_and_broken_json_is_reported():
    client = _client([Answer(404, b""), Answer(200, b'{"name": "a\x01\n'), Answer(200, b"[1]")])
    assert client.get_json(URL) is None
    assert client.get_json(URL) is None
    assert client.get_json(URL) is None
    classes = [p.problem_class for p in client.problems.items]
    assert classes == [ProblemClass.HTTP, ProblemClass.JSON, ProblemClass.SHAPE]


def test_a_server_that_never_answers_times_out():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/oparl"
        client = Client(http_fetch(timeout=0.2), Problems(), retries=1, sleep=lambda s: None)
        assert client.get_json(url) is None
    (problem,) = client.problems.items
    assert problem.problem_class is ProblemClass.NETWORK


def test_only_http_urls_are_fetched():
    client = Client(http_fetch(timeout=1), Problems(), retries=0)
    assert client.get_json("file:///etc/passwd") is None
    assert client.problems.items[0].problem_class is ProblemClass.NETWORK


def test_embedded_objects_are_kept_once_and_a_lone_object_is_wrapped():
    crawl = Crawl(_client([]))
    file = {"id": "https://x/file/1", "name": "Bilag"}
    meeting = {
        "id": "https://x/meeting/1",
        "type": "https://schema.oparl.org/1.0/Meeting",
        "auxiliaryFile": file,  # an object where an array belongs (Bonn)
        "agendaItem": [{"id": "https://x/item/1", "name": "Punkt"}],
    }
    crawl.absorb(meeting, "https://x/body/1")
    kept = crawl.objects["https://x/meeting/1"]
    assert kept["auxiliaryFile"] == ["https://x/file/1"]
    assert kept["agendaItem"] == ["https://x/item/1"]
    assert crawl.objects["https://x/item/1"]["meeting"] == "https://x/meeting/1"
    assert crawl.objects["https://x/file/1"]["type"] == "File"
    (problem,) = crawl.client.problems.items
    assert problem.problem_class is ProblemClass.SHAPE and "auxiliaryFile" in problem.message


def test_the_progress_bar_is_drawn_only_on_a_terminal():
    from importlib import import_module

    bar_class = import_module("gremium.importers.oparl.management.commands.import-oparl").Bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    log, terminal = io.StringIO(), Terminal()
    for out in (log, terminal):
        bar = bar_class(out)
        bar.read(40)
        bar.stored()
        bar.done()
    assert log.getvalue() == ""
    assert "40" in terminal.getvalue() and terminal.getvalue().startswith("\r")
