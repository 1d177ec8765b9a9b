"""The database as a portable dump: one JSON object a line, readable by either backend.

Django's serializers would cut timestamps to milliseconds (DjangoJSONEncoder), and the
audit chain hashes the exact microsecond: this serializer keeps every timestamp as stored.
Content types and permissions are made by `migrate` in each deployment with their own ids,
so they are not dumped and are referred to by natural keys. Caches (renderings, the search
index, sessions) are left out; the search index is rebuilt after a restore.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.serializers import jsonl
from django.db import models

# Not part of the record: made again by migrate, by rendering, by indexing or by logging in.
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "documents.rendering",
}
LEFT_OUT_APPS = {"search"}


class ExactSerializer(jsonl.Serializer):
    """JSON lines with timestamps to the microsecond."""

    def _value_from_field(self, obj: models.Model, field: models.Field[Any, Any]) -> Any:
        value = field.value_from_object(obj)
        if isinstance(value, dt.datetime | dt.time):
            return value.isoformat()
        return super()._value_from_field(obj, field)  # type: ignore[misc]


def dumped_models() -> list[type[models.Model]]:
    """The models whose rows are the deployment's data, in an order that loads (natural
    keys before their users)."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in LEFT_OUT
        and model._meta.app_label not in LEFT_OUT_APPS
    ]
    configs = dict.fromkeys(model._meta.app_config for model in chosen)
    ordered = serializers.sort_dependencies(
        [(config, [m for m in chosen if m._meta.app_config is config]) for config in configs],
        allow_cycles=True,
    )
    return list(ordered)


def write_dump(stream: IO[str], using: str) -> int:
    """Write every row of the database `using`; returns the number of rows."""
    count = 0
    for model in dumped_models():
        rows = model._base_manager.using(using).order_by(model._meta.pk.name)
        ExactSerializer().serialize(
            rows.iterator(chunk_size=2000), stream=stream, use_natural_foreign_keys=True
        )
        count += rows.count()
    return count


def file_names(using: str) -> set[str]:
    """The storage names of every file the dumped rows refer to."""
    names: set[str] = set()
    for model in dumped_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.using(using).exclude(**{field.attname: ""})
                names.update(rows.values_list(field.attname, flat=True))
    return names
