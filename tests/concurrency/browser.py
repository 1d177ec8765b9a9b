"""A few members' browsers in plain HTTP: a session cookie each, forms read from the page
as the office renders them, and requests fired at the same instant from several threads."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.test import Client


@dataclass
class Response:
    status: int
    body: str
    location: str = ""


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the names of its file inputs

    def set(self, name: str, value: str) -> None:
        """Set a field by its name, with or without the form's prefix (`text-title`)."""
        matches = [i for i, (n, _) in enumerate(self.fields) if n.split("-")[-1] == name]
        assert matches, f"no field {name} in {self.fields}"
        for i in matches:
            self.fields[i] = (self.fields[i][0], value)

    def get(self, name: str) -> str:
        values = [v for n, v in self.fields if n.split("-")[-1] == name]
        assert len(values) == 1, f"{len(values)} fields named {name}"
        return values[0]

    def submission(self, button: str = "") -> list[tuple[str, str]]:
        """The fields a browser sends when `button` (or an unnamed button) is pressed."""
        if not button:
            return list(self.fields)
        pressed = [(n, v) for n, v in self.buttons if n == button]
        assert pressed, f"no button {button} in {self.buttons}"
        return self.fields + pressed[:1]


class _FormParser(HTMLParser):
    """Every form on a page with the values a browser would send (text, hidden, checked
    boxes, selected options, textareas) and its named buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", "")))
        elif not self.forms or "name" not in a:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button":
            self.forms[-1].buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].fields.append((self._select, a.get("value", "")))

    def _input(self, a: dict[str, str]) -> None:
        kind = a.get("type", "text")
        if kind in ("checkbox", "radio") and "checked" not in a:
            return
        if kind in ("submit", "button"):
            self.forms[-1].buttons.append((a["name"], a.get("value", "")))
        elif kind == "file":
            self.forms[-1].files.append(a["name"])
        else:
            default = "on" if kind in ("checkbox", "radio") else ""
            self.forms[-1].fields.append((a["name"], a.get("value", default)))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>.
            text = "".join(self._text).removeprefix("\n")
            self.forms[-1].fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "select":
            self._select = None


def find_form(html: str, *, button: str = "", action: str = "") -> Form:
    """The one form on the page with a submit button named `button`, or whose action ends
    with `action`."""
    parser = _FormParser()
    parser.feed(html)
    forms = [
        f
        for f in parser.forms
        if (not button or any(n == button for n, _ in f.buttons))
        and (not action or f.action.endswith(action))
    ]
    assert len(forms) == 1, f"{len(forms)} forms match button={button!r} action={action!r}"
    return forms[0]


class Browser:
    """One logged-in user talking HTTP to the live server, one request at a time."""

    def __init__(self, base_url: str, user: object) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "localhost", parts.port or 80
        client = Client()
        client.force_login(user)
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }

    def get(self, path: str) -> Response:
        return self._request("GET", path)

    def post(self, path: str, data: list[tuple[str, str]]) -> Response:
        body = urllib.parse.urlencode(data).encode()
        return self._request("POST", path, body, "application/x-www-form-urlencoded")

    def post_file(
        self, path: str, data: list[tuple[str, str]], field: str, name: str, content: bytes
    ) -> Response:
        boundary = uuid.uuid4().hex
        head = f"--{boundary}\r\nContent-Disposition: form-data; name="
        parts = [f'{head}"{key}"\r\n\r\n{value}\r\n'.encode() for key, value in data]
        parts.append(
            f'{head}"{field}"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._request("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def _request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            text = reply.read().decode("utf-8", errors="replace")
            for header in reply.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Response(reply.status, text, reply.headers.get("Location", ""))
        finally:
            connection.close()


def at_once(actions: list[Callable[[], Response]]) -> list[Response]:
    """Run the actions in threads released together by a barrier; their responses in order."""
    barrier = threading.Barrier(len(actions))
    results: list[Response | BaseException | None] = [None] * len(actions)

    def worker(index: int) -> None:
        barrier.wait(timeout=60)
        try:
            results[index] = actions[index]()
        except BaseException as error:  # reported below, in the test's thread
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    for result in results:
        if isinstance(result, BaseException):
            raise result
        assert result is not None, "a request did not finish"
    return results  # type: ignore[return-value]
