"""Tombstones: the API remembers every object that stops being public (spec 2.8).

Just before a save or delete of a model that decides what the API shows, the receivers
note which of the affected objects are visible now (the object itself, and what depends
on it: an item's files, consultation and case); just after, they check again, and write a
`Tombstone` for each one that is gone. So closing an item withdraws its files and its
case, deleting an item withdraws the item, and deleting a membership withdraws a person
who no longer has one. The rows are written in the transaction of the change itself.

Changes that bypass model signals (queryset updates) are not seen; none of the services'
updates changes what is public (docs/oparl.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from gremium.documents.models import StoredDocument
from gremium.meetings.models import AgendaItem, Meeting
from gremium.oparl.kinds import KINDS
from gremium.oparl.models import Tombstone
from gremium.organizations.models import LegislativeTerm, Location, Membership, Organization, Person
from gremium.papers.models import Attachment, Consultation, Paper

Ref = tuple[str, int]
_NOTED = "_oparl_visible_before"

# The object a kind is printed inside, which therefore changes when it goes.
PARENTS = {
    "agendaItem": ("meeting", "meeting_id"),
    "attachment": ("paper", "paper_id"),
    "consultation": ("paper", "paper_id"),
    "membership": ("person", "person_id"),
    "legislativeTerm": ("body", "body_id"),
}


def _stored(model: type[models.Model], pk: int, field: str) -> Any:
    return model.objects.filter(pk=pk).values_list(field, flat=True).first()  # type: ignore[attr-defined]


def _item_refs(item: AgendaItem) -> list[Ref]:
    refs: list[Ref] = [("agendaItem", item.pk)]
    refs += [("attachment", pk) for pk in item.attachments.values_list("pk", flat=True)]
    consultations = Consultation.objects.filter(agenda_item_id=item.pk)
    for pk, paper_id in consultations.values_list("pk", "paper_id"):
        refs += [("consultation", pk), ("paper", paper_id)]
    for paper in (item.paper_id, _stored(AgendaItem, item.pk, "paper_id")):
        if paper is not None:
            refs.append(("paper", paper))
    return refs


def _consultation_refs(consultation: Consultation) -> list[Ref]:
    old = _stored(Consultation, consultation.pk, "paper_id")
    papers = {p for p in (consultation.paper_id, old) if p is not None}
    return [("consultation", consultation.pk), *(("paper", p) for p in papers)]


def _membership_refs(membership: Membership) -> list[Ref]:
    old = _stored(Membership, membership.pk, "person_id")
    persons = {p for p in (membership.person_id, old) if p is not None}
    return [("membership", membership.pk), *(("person", p) for p in persons)]


AFFECTED: dict[type[models.Model], Callable[[Any], list[Ref]]] = {
    Meeting: lambda m: [("meeting", m.pk)],
    AgendaItem: _item_refs,
    Attachment: lambda a: [("attachment", a.pk)],
    Consultation: _consultation_refs,
    Paper: lambda p: [("paper", p.pk)],
    StoredDocument: lambda d: [("document", d.pk)],
    Person: lambda p: [("person", p.pk)],
    Membership: _membership_refs,
    Organization: lambda o: [("organization", o.pk)],
    Location: lambda p: [("location", p.pk)],
    LegislativeTerm: lambda t: [("legislativeTerm", t.pk)],
}


def _by_kind(refs: list[Ref]) -> dict[str, set[int]]:
    grouped: dict[str, set[int]] = defaultdict(set)
    for kind, pk in refs:
        grouped[kind].add(pk)
    return grouped


def _visible(refs: list[Ref]) -> set[Ref]:
    found: set[Ref] = set()
    for kind, ids in _by_kind(refs).items():
        rows = KINDS[kind].objects().filter(pk__in=ids).values_list("pk", flat=True)
        found |= {(kind, pk) for pk in rows}
    return found


def _describe(refs: set[Ref]) -> dict[Ref, Tombstone]:
    """What a tombstone keeps of each visible object, read while it still exists."""
    described: dict[Ref, Tombstone] = {}
    for kind, ids in _by_kind(list(refs)).items():
        spec = KINDS[kind]
        columns: dict[str, Any] = {"t_body": F(spec.body)}
        if spec.organization:
            columns["t_org"] = F(spec.organization)
        if kind in PARENTS:
            columns["t_parent"] = F(PARENTS[kind][1])
        for row in spec.objects().filter(pk__in=ids).values("pk", "created", **columns):
            described[(kind, row["pk"])] = Tombstone(
                kind=kind,
                object_id=row["pk"],
                body_id=row["t_body"],
                organization_id=row.get("t_org"),
                created=row["created"],
                parent_kind=PARENTS[kind][0] if row.get("t_parent") else "",
                parent_id=row.get("t_parent"),
                order=_position(row["pk"]) if kind == "agendaItem" else None,
            )
    return described


def _position(item_id: int) -> int:
    """The item's place in its meeting as the API numbers it (from 0)."""
    item = AgendaItem.objects.get(pk=item_id)
    earlier = AgendaItem.objects.filter(meeting_id=item.meeting_id).filter(
        models.Q(order__lt=item.order) | models.Q(order=item.order, pk__lt=item.pk)
    )
    return earlier.count()


def note_visible(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    setattr(instance, _NOTED, _describe(_visible(AFFECTED[sender](instance))))


def bury_gone(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    noted: dict[Ref, Tombstone] = instance.__dict__.pop(_NOTED, {})
    if not noted:
        return
    still = _visible(list(noted))
    now = timezone.now()
    gone = [tombstone for ref, tombstone in noted.items() if ref not in still]
    for tombstone in gone:
        tombstone.deleted_at = now
    # Written without model signals: the tombstones are bookkeeping of the API, not a
    # change of the record that the admin's audit receivers should log.
    Tombstone.objects.bulk_create(
        gone,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[
            "body_id",
            "organization_id",
            "created",
            "deleted_at",
            "parent_kind",
            "parent_id",
            "order",
        ],
    )


def connect() -> None:
    for model in AFFECTED:
        uid = f"oparl-{model._meta.label_lower}"
        pre_save.connect(note_visible, sender=model, dispatch_uid=f"{uid}-pre-save")
        pre_delete.connect(note_visible, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_save.connect(bury_gone, sender=model, dispatch_uid=f"{uid}-post-save")
        post_delete.connect(bury_gone, sender=model, dispatch_uid=f"{uid}-post-delete")
