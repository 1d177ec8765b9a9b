"""The object kinds of the API: what each one is in OParl, which rows are visible, how they
belong to a body, and how their `modified` is dated. Lists, single objects and tombstones
are built from this table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.expressions import Combinable

from gremium.oparl import stamps, visibility

SCHEMA = "https://schema.oparl.org/1.1/"


@dataclass(frozen=True)
class Kind:
    name: str  # URL name (oparl:<name>) and tombstone kind
    type_name: str  # OParl type: "Meeting"
    objects: Callable[[], QuerySet[Any]]  # the visible rows
    body: str  # lookup of the row's body id
    modified: Callable[[], Combinable]
    organization: str = ""  # lookup of the organization id, for an organization's lists

    @property
    def type(self) -> str:
        return f"{SCHEMA}{self.type_name}"

    def annotated(self) -> QuerySet[Any]:
        return self.objects().annotate(oparl_created=F("created"), oparl_modified=self.modified())


def _in_item(*own: str) -> Callable[[], Combinable]:
    return lambda: stamps.in_meeting("agenda_item__meeting", *own)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("body", "Body", visibility.bodies, "pk", stamps.body),
        Kind("organization", "Organization", visibility.organizations, "body_id", stamps.own),
        Kind("person", "Person", visibility.persons, "body_id", stamps.person),
        Kind(
            "membership",
            "Membership",
            visibility.memberships,
            "organization__body_id",
            stamps.own,
            organization="organization_id",
        ),
        Kind(
            "meeting",
            "Meeting",
            visibility.meetings,
            "organization__body_id",
            stamps.meeting,
            organization="organization_id",
        ),
        Kind(
            "agendaItem",
            "AgendaItem",
            visibility.agenda_items,
            "organization__body_id",
            lambda: stamps.in_meeting("meeting", "modified"),
            organization="organization_id",
        ),
        Kind("paper", "Paper", visibility.papers, "body_id", stamps.paper),
        Kind(
            "consultation",
            "Consultation",
            visibility.consultations,
            "organization__body_id",
            _in_item("modified", "agenda_item__modified"),
            organization="organization_id",
        ),
        Kind(
            "attachment",
            "File",
            visibility.attachments,
            "agenda_item__organization__body_id",
            _in_item("modified", "agenda_item__modified"),
        ),
        Kind(
            "document",
            "File",
            visibility.documents,
            "meeting__organization__body_id",
            stamps.created,
        ),
        Kind("location", "Location", visibility.locations, "body_id", stamps.own),
        Kind(
            "legislativeTerm",
            "LegislativeTerm",
            visibility.legislative_terms,
            "body_id",
            stamps.own,
        ),
    )
}

# A body's external lists (its properties in OParl 1.1) → the kinds each one holds, in the
# order they are listed. Files are two tables: attachments, then the kept PDFs.
BODY_LISTS: dict[str, tuple[str, ...]] = {
    "organization": ("organization",),
    "person": ("person",),
    "meeting": ("meeting",),
    "paper": ("paper",),
    "agendaItem": ("agendaItem",),
    "consultation": ("consultation",),
    "file": ("attachment", "document"),
    "locationList": ("location",),
    "legislativeTermList": ("legislativeTerm",),
    "membership": ("membership",),
}
