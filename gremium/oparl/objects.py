"""The API's objects as OParl 1.1 JSON: one builder per kind, each taking a page of rows
at once so what they embed is loaded in a few queries. Meetings and what prints from them
are in `meeting_objects.py`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from gremium.oparl import meeting_objects as mo
from gremium.oparl.context import Context, compact, dates, head, iso
from gremium.oparl.kinds import BODY_LISTS, KINDS, SCHEMA
from gremium.oparl.models import Tombstone
from gremium.organizations.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationClassification,
    Person,
)

# OParl's suggested organization types for gremium's classifications.
ORGANIZATION_TYPES = {
    OrganizationClassification.COUNCIL: "Gremium",
    OrganizationClassification.COMMITTEE: "Gremium",
    OrganizationClassification.PARTY_GROUP: "Fraktion",
    OrganizationClassification.OTHER: "Sonstiges",
}

Builder = Callable[[Context, Sequence[Any]], list[dict[str, Any]]]


def system(ctx: Context) -> dict[str, Any]:
    return {
        "id": ctx.url("system"),
        "type": f"{SCHEMA}System",
        "oparlVersion": SCHEMA,
        "name": "gremium",
        "body": ctx.url("bodies"),
        "website": ctx.site("portal:home"),
    }


def stub(ctx: Context, tombstone: Tombstone) -> dict[str, Any]:
    """A deleted or depublished object: id, type, created, the time of removal, and what
    the schema requires (an agenda item's position, a file's access URL)."""
    kind = KINDS[tombstone.kind]
    data: dict[str, Any] = {
        "id": ctx.url(kind.name, tombstone.object_id),
        "type": kind.type,
        "created": iso(tombstone.created),
        "modified": iso(tombstone.deleted_at),
        "deleted": True,
    }
    if kind.name == "agendaItem":
        data["order"] = tombstone.order or 0
    elif kind.name == "attachment":
        # The schema requires a File's accessUrl; the file no longer answers there.
        data["accessUrl"] = ctx.site("portal:attachment", tombstone.object_id)
    elif kind.name == "document":
        data["accessUrl"] = ctx.url("document-access", tombstone.object_id)
    return data


def bodies(ctx: Context, rows: Sequence[Body]) -> list[dict[str, Any]]:
    terms: dict[int, list[LegislativeTerm]] = {}
    for term in LegislativeTerm.objects.filter(body__in=rows).order_by("start_date", "pk"):
        terms.setdefault(term.body_id, []).append(term)
    return [_body(ctx, body, terms.get(body.pk, [])) for body in rows]


def _body(ctx: Context, body: Body, terms: list[LegislativeTerm]) -> dict[str, Any]:
    lists = {name: ctx.url("body-list", body.pk, name) for name in BODY_LISTS}
    data = {
        **head(ctx, "body", body),
        "system": ctx.url("system"),
        "name": body.name,
        "shortName": body.short_name,
        "website": body.website,
        "classification": "Kommune",
        **lists,
        # Required in OParl 1.1, so printed also when embedded objects are left out.
        "legislativeTerm": [_term(ctx, term) for term in terms],
        "web": ctx.site("portal:home"),
    }
    return {**compact(data), "legislativeTerm": data["legislativeTerm"], **dates(body)}


def organizations(ctx: Context, rows: Sequence[Organization]) -> list[dict[str, Any]]:
    return [
        compact(
            {
                **head(ctx, "organization", org),
                "body": ctx.url("body", org.body_id),
                "name": org.name,
                "shortName": org.short_name,
                "organizationType": ORGANIZATION_TYPES[
                    OrganizationClassification(org.classification)
                ],
                "classification": org.get_classification_display(),
                "startDate": iso(org.start_date),
                "endDate": iso(org.end_date),
                "meeting": ctx.url("organization-meetings", org.pk),
                **dates(org),
            }
        )
        for org in rows
    ]


def persons(ctx: Context, rows: Sequence[Person]) -> list[dict[str, Any]]:
    seats: dict[int, list[Membership]] = {}
    if not ctx.omit_internal:
        for membership in Membership.objects.filter(person__in=rows).order_by("pk"):
            seats.setdefault(membership.person_id, []).append(membership)
    return [
        compact(
            {
                **head(ctx, "person", person),
                "body": ctx.url("body", person.body_id),
                "name": person.name,
                "familyName": person.family_name,
                "givenName": person.given_name,
                "membership": [_membership(ctx, m) for m in seats.get(person.pk, [])],
                **dates(person),
            }
        )
        for person in rows
    ]


def memberships(ctx: Context, rows: Sequence[Membership]) -> list[dict[str, Any]]:
    return [_membership(ctx, m) for m in rows]


def _membership(ctx: Context, membership: Membership) -> dict[str, Any]:
    data = {
        **head(ctx, "membership", membership),
        "person": ctx.url("person", membership.person_id),
        "organization": ctx.url("organization", membership.organization_id),
        "role": membership.get_role_display(),
        "votingRight": membership.voting_right,
        "startDate": iso(membership.start_date),
        "endDate": iso(membership.end_date),
        # The party letter the minutes print beside the member's name.
        "gremium:party": membership.party,
        "created": iso(membership.created),
        "modified": iso(membership.modified),
    }
    return compact(data)


def locations(ctx: Context, rows: Sequence[Location]) -> list[dict[str, Any]]:
    return [mo.location(ctx, place) for place in rows]


def legislative_terms(ctx: Context, rows: Sequence[LegislativeTerm]) -> list[dict[str, Any]]:
    return [_term(ctx, term) for term in rows]


def _term(ctx: Context, term: LegislativeTerm) -> dict[str, Any]:
    data = {
        **head(ctx, "legislativeTerm", term),
        "body": ctx.url("body", term.body_id),
        "name": term.name,
        "startDate": iso(term.start_date),
        "endDate": iso(term.end_date),
        "created": iso(term.created),
        "modified": iso(term.modified),
    }
    return compact(data)


BUILDERS: dict[str, Builder] = {
    "body": bodies,
    "organization": organizations,
    "person": persons,
    "membership": memberships,
    "meeting": mo.meetings,
    "agendaItem": mo.agenda_items,
    "paper": mo.papers,
    "consultation": mo.consultations,
    "attachment": mo.attachment_files,
    "document": mo.document_files,
    "location": locations,
    "legislativeTerm": legislative_terms,
}

# What each kind's builder reads from related rows, loaded with the page.
_RELATED: dict[str, tuple[str, ...]] = {
    "meeting": ("organization", "location"),
    "agendaItem": ("meeting",),
    "consultation": ("agenda_item",),
    "attachment": ("agenda_item",),
    "document": ("meeting",),
}


def rows_for_output(kind: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.select_related(*_RELATED.get(kind, ()))


def build(ctx: Context, kind: str, rows: Sequence[Any]) -> list[dict[str, Any]]:
    return BUILDERS[kind](ctx, rows)
