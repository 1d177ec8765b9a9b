"""Deterministic mutations of real files for the fuzz tests: truncations, flipped and
inserted bytes, moved and deleted slices, deep nesting, other line ends, NUL bytes, and
splices of two files. The same seed gives the same files on every machine, so a failure
found once is found again."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Mutation = Callable[[random.Random, bytes, bytes], bytes]


def _truncate(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _flip(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _insert_garbage(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def _move_slice(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 2000)]
    at = rng.randrange(len(data))
    return data[:at] + piece + data[at:]


def _delete_slice(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 2000) :]


def _deep_nesting(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    # After the first tag (or at the start of a text): far deeper than any parser's stack.
    at = data.find(b">") + 1
    tag = rng.choice([b"Item", b"FullText", b"div", b"ul", b"li", b"table", b"b"])
    depth = rng.choice([500, 5_000, 100_000])
    closing = (b"</" + tag + b">") * depth if rng.random() < 0.5 else b""
    return data[:at] + (b"<" + tag + b">") * depth + closing + data[at:]


def _line_ends(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r", b"\r\n", b"\x0c", b"\n\n\n", b""]))


def _nul_bytes(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"\x00" * rng.randint(1, 8) + data[at:]


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data))] + other[rng.randrange(len(other)) :]


def _as_web_page(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    lines = data[:200_000].decode("utf-8", "replace").splitlines()
    tags = rng.choice([("<p>", "</p>"), ("<li>", ""), ("<td>", "</td>"), ("<h2>", "")])
    body = "".join(f"{tags[0]}{line}{tags[1]}" for line in lines)
    return f"<!DOCTYPE html><html><body><ul><table>{body}".encode()


MUTATIONS: dict[str, Mutation] = {
    "truncate": _truncate,
    "flip": _flip,
    "insert": _insert_garbage,
    "move": _move_slice,
    "delete": _delete_slice,
    "nest": _deep_nesting,
    "line-ends": _line_ends,
    "nul": _nul_bytes,
    "splice": _splice,
    "web-page": _as_web_page,
}


@dataclass(frozen=True)
class Case:
    name: str  # e.g. "1552814.PDF#7 flip+truncate": enough to make it again
    data: bytes


def mutated(name: str, data: bytes, others: list[bytes], count: int, seed: int) -> Iterator[Case]:
    """`count` mutations of `data`, each one or two steps, from a generator seeded with
    `seed` and the file's name."""
    rng = random.Random(f"{seed}:{name}")
    for number in range(count):
        steps = rng.sample(sorted(MUTATIONS), rng.choice([1, 1, 2]))
        out = data
        for step in steps:
            out = MUTATIONS[step](rng, out, rng.choice(others)) or b"x"
        yield Case(f"{name}#{number} {'+'.join(steps)}", out)
