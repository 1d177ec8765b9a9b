"""Assert that expected pieces of text occur in a document in the given order."""

from __future__ import annotations


def assert_in_order(text: str, expected: list[str]) -> None:
    """Each piece must occur after the previous one: a missing or moved piece fails."""
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found >= 0, f"not found after offset {position}: {piece!r}"
        position = found + len(piece)
