"""JSON form of a `Document`: the demo's seed data and golden files are stored this way."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from gremium.lib import document_structure as structure

T = TypeVar("T")


def document_to_dict(document: structure.Document) -> dict[str, Any]:
    return typing.cast(dict[str, Any], _plain(document))


def document_from_dict(data: dict[str, Any]) -> structure.Document:
    return _build(structure.Document, data)


def load_document(path: Path) -> structure.Document:
    return document_from_dict(json.loads(path.read_text(encoding="utf-8")))


def dump_document(document: structure.Document, path: Path) -> None:
    text = json.dumps(document_to_dict(document), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _build(cls: type[T], data: dict[str, Any]) -> T:
    hints, known = _fields(cls)
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}")
    kwargs = {name: _convert(hints[name], value) for name, value in data.items()}
    return cls(**kwargs)


def _fields(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """A dataclass's resolved type hints and field names. Resolving the (string) hints
    compiles each one: done once per class, not once per object read."""
    if cls not in _FIELDS:
        hints = typing.get_type_hints(cls, vars(structure))
        _FIELDS[cls] = hints, frozenset(f.name for f in dataclasses.fields(cls))
    return _FIELDS[cls]


_FIELDS: dict[type, tuple[dict[str, Any], frozenset[str]]] = {}


def _convert(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(inner[0], value)
    if origin is tuple:
        return tuple(_convert(typing.get_args(hint)[0], v) for v in value)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value)  # type: ignore[arg-type]
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, enum.StrEnum):
        return hint(value)
    return value
