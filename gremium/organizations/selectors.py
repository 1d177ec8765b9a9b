"""Reads about organizations and people that the portal shows: who sits where, and in
which role and party. These are public facts (OParl publishes them too); what is private
about a person (e-mail, login, attendance) is never selected here."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from gremium.organizations.models import (
    Body,
    Membership,
    MembershipRole,
    Organization,
    OrganizationClassification,
    Person,
)

# Chair first, then vice chair, members and substitutes (the role values sort otherwise).
ROLE_RANK = Case(
    When(role=MembershipRole.CHAIR, then=Value(0)),
    When(role=MembershipRole.VICE_CHAIR, then=Value(1)),
    When(role=MembershipRole.MEMBER, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
# Organizations that meet: a party group has members but no public meetings here.
MEETING_KINDS = (
    OrganizationClassification.COUNCIL,
    OrganizationClassification.COMMITTEE,
    OrganizationClassification.OTHER,
)


def _existing_on(day: dt.date) -> Q:
    return (Q(start_date__isnull=True) | Q(start_date__lte=day)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def portal_bodies() -> QuerySet[Body]:
    """The bodies (municipalities) the deployment holds, by name."""
    return Body.objects.order_by("name")


def several_bodies() -> bool:
    """True when the deployment holds more than one body: the portal then lists them and
    lets every list be scoped to one."""
    return Body.objects.order_by().values("pk")[:2].count() > 1


def _of_body(organizations: QuerySet[Organization], body: Body | None) -> QuerySet[Organization]:
    return organizations if body is None else organizations.filter(body=body)


def current_committees(day: dt.date, body: Body | None = None) -> QuerySet[Organization]:
    """The council and the committees that exist on `day`, the council first; of one body
    when `body` is given."""
    council_first = Case(
        When(classification=OrganizationClassification.COUNCIL, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    meeting = Organization.objects.filter(classification__in=MEETING_KINDS)
    return _of_body(meeting, body).filter(_existing_on(day)).order_by(council_first, "name")


def archive_committees(body: Body | None = None) -> QuerySet[Organization]:
    """Every organization that meets, also those since closed down: the archive keeps them."""
    meeting = Organization.objects.filter(classification__in=MEETING_KINDS)
    return _of_body(meeting, body).order_by("name")


def current_members(organization: Organization, day: dt.date) -> QuerySet[Membership]:
    """The seats held on `day`, by role (chair first) and name."""
    seats = Membership.objects.filter(organization=organization).on(day)
    return seats.select_related("person").order_by(ROLE_RANK, "person__name", "pk")


def public_person(person_id: int) -> Person | None:
    """A person with at least one membership. Anyone else (a secretary's login, a person
    entered only as a name) has no public page."""
    return Person.objects.filter(pk=person_id, memberships__isnull=False).distinct().first()


def person_memberships(person: Person) -> QuerySet[Membership]:
    """All of a person's memberships, the newest period first (an open start last: the
    databases would otherwise disagree on where an empty date sorts)."""
    return (
        Membership.objects.filter(person=person)
        .select_related("organization")
        .order_by(F("start_date").desc(nulls_last=True), "organization__name", "pk")
    )
