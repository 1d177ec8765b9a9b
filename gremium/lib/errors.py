"""The one base class for refusals a user can understand and act on."""

from __future__ import annotations


class DomainError(Exception):
    """A service refused a change; the message says what and why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
