"""A local SMTP server (aiosmtpd) for the mail tests: Django's real SMTP backend talks to
it, and the test reads what arrived."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # Django folds a non-ASCII subject onto a continuation line; the parser keeps the
        # fold's space, which no mail client shows.
        return str(self.message["Subject"]).strip()

    def part(self, mime: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == mime:
                return str(part.get_content())
        return ""

    def everything(self) -> str:
        """Every decoded text part (text, HTML, calendar) and the headers."""
        parts = [str(self.message["Subject"])]
        for part in self.message.walk():
            if part.get_content_maintype() == "text":
                parts.append(str(part.get_content()))
        return "\n".join(parts)


@dataclass
class Inbox:
    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        message = email.message_from_bytes(
            envelope.content,  # type: ignore[attr-defined]
            policy=email.policy.default,
        )
        self.messages.append(Received(list(envelope.rcpt_tos), message))  # type: ignore[attr-defined,arg-type]
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server() -> tuple[Controller, Inbox, int]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox, port
