"""When each object the API shows was last changed (OParl's `modified`).

An object changes when anything it prints changes, also what it embeds: a meeting prints
its items, an item its decision and files, a paper its consultations. `Meeting.modified`
moves with every change of what a meeting shows: every service that changes it, the
admin's repairs and a newly kept PDF (`services.lifecycle.meetings_changed`); it dates
the meeting and everything printed from it. The objects' own `modified` covers writes
outside a meeting, and tombstones with a parent date the removal of something embedded.
A date that moves too often only makes a mirror fetch an object again; one that moves too
little would make it miss a change.
"""

from __future__ import annotations

from django.db.models import DateTimeField, F, OuterRef, Q, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest

from gremium.meetings.models import AgendaItem
from gremium.oparl.models import Tombstone
from gremium.organizations.models import LegislativeTerm, Membership

_DATETIME = DateTimeField()


def _newest(own: str, *others: Combinable) -> Combinable:
    """The latest of `own` and the others, where a missing other counts as `own`."""
    parts = [Coalesce(other, F(own), output_field=_DATETIME) for other in others]
    return Greatest(F(own), *parts, output_field=_DATETIME)


def _removed_from(kind: str) -> Subquery:
    rows = Tombstone.objects.filter(parent_kind=kind, parent_id=OuterRef("pk"))
    return Subquery(rows.order_by("-deleted_at").values("deleted_at")[:1], output_field=_DATETIME)


def _latest(rows_field: str, queryset: object) -> Subquery:
    latest = queryset.order_by(f"-{rows_field}")  # type: ignore[attr-defined]
    return Subquery(latest.values(rows_field)[:1], output_field=_DATETIME)


def meeting() -> Combinable:
    return _newest("modified", F("location__modified"))


def in_meeting(meeting: str, *own: str) -> Combinable:
    """An object printed from a meeting (`meeting` is the path to it): an item, its
    consultation, an attachment."""
    others = [F(name) for name in own[1:]]
    return _newest(own[0], *others, F(f"{meeting}__modified"))


def paper() -> Combinable:
    items = AgendaItem.objects.filter(
        Q(paper_id=OuterRef("pk")) | Q(consultation__paper_id=OuterRef("pk"))
    ).annotate(stamp=in_meeting("meeting", "modified"))
    return _newest("modified", _latest("stamp", items), _removed_from("paper"))


def person() -> Combinable:
    seats = Membership.objects.filter(person_id=OuterRef("pk"))
    return _newest("modified", _latest("modified", seats), _removed_from("person"))


def body() -> Combinable:
    terms = LegislativeTerm.objects.filter(body_id=OuterRef("pk"))
    return _newest("modified", _latest("modified", terms), _removed_from("body"))


def own() -> Combinable:
    return F("modified")


def created() -> Combinable:
    return F("created")
