"""One model instance by primary key, read with SQL that is built once.

The published meeting page is served from storage, so reading the meeting to check the
reader's right and the page's state is most of its cost: `Meeting.objects.get(pk=...)`
compiles the same query anew each time, which took about half of the whole request's CPU
time (bench/serve.py, docs/operations.md "Serving the published pages"). Here the SELECT
of every concrete column and the database's value converters are worked out once per
database connection and model; each call runs the query and builds the instance the way
the ORM does (`Model.from_db`), so the instance is the same as `get` gives.

Only plain instances: no select_related, no annotations, the default manager's rows (a
model whose default manager filters must not use this).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class _Plan:
    sql: str
    attnames: list[str]
    # Per column: the expression and the converters the ORM would apply to its values.
    columns: list[tuple[Any, list[Converter]]]


# Per connection wrapper (one per thread and alias), per model. Weak: a wrapper that goes
# away takes its plans with it.
_plans: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[type[Model], _Plan]] = (
    weakref.WeakKeyDictionary()
)


def _plan(model: type[Model], connection: BaseDatabaseWrapper) -> _Plan:
    by_model = _plans.setdefault(connection, {})
    found = by_model.get(model)
    if found is None:
        by_model[model] = found = _make_plan(model, connection)
    return found


def _make_plan(model: type[Model], connection: BaseDatabaseWrapper) -> _Plan:
    opts = model._meta
    quote = connection.ops.quote_name
    fields = list(opts.concrete_fields)
    columns = []
    for field in fields:
        column = field.get_col(opts.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        columns.append((column, converters))
    table = quote(opts.db_table)
    select = ", ".join(f"{table}.{quote(str(field.column))}" for field in fields)
    # Names from the model's definition, quoted; the key is a parameter.
    sql = f"SELECT {select} FROM {table} WHERE {table}.{quote(str(opts.pk.column))} = %s"  # noqa: S608
    return _Plan(sql, [field.attname for field in fields], columns)


def row_by_pk(model: type[M], pk: int) -> M | None:
    """The instance of `model` with this primary key from the database the routers choose
    for reading it, or None."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    plan = _plan(model, connection)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (column, converters) in zip(row, plan.columns, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        values.append(value)
    return model.from_db(alias, plan.attnames, values)
