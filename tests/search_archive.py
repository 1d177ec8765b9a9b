"""A small archive for the search tests, built through the services like the office does.

Two committees, four meetings across three years, open and closed items, public and
internal attachments, case numbers, and a planned (unpublished) meeting. Canaries stand in
what only insiders may find: a closed item's text, title and attachment, an internal
attachment of an open item, and the planned meeting's text.

Roles: `member` sits in Beskæftigelsesudvalget since 2022 (an insider of all its
meetings here), `former` left it in 2021, `other` sits in the other committee, `secretary`
prepares Beskæftigelsesudvalget's meetings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, DecisionOutcome, Meeting
from gremium.organizations.models import Organization
from gremium.search.indexing import rebuild
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)

CLOSED_TEXT = "Kanariefugl-lukket-7731"
CLOSED_TITLE = "Kanariefugl-titel-4410"
CLOSED_ATTACHMENT = "Kanariefugl-bilag-5512"
INTERNAL_ATTACHMENT = "Kanariefugl-internt-6620"
PLANNED_TEXT = "Kanariefugl-planlagt-1187"
CANARIES = (CLOSED_TEXT, CLOSED_TITLE, CLOSED_ATTACHMENT, INTERNAL_ATTACHMENT, PLANNED_TEXT)
ROLES = ("anonymous", "former", "other", "member", "secretary", "admin")
INSIDERS = {"member", "secretary", "admin"}


@dataclass
class Archive:
    bbu: Organization
    tmu: Organization
    users: dict[str, Any]
    meetings: dict[str, Meeting] = field(default_factory=dict)
    items: dict[str, AgendaItem] = field(default_factory=dict)


def _at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 16, 0))


def build_archive() -> Archive:
    actor = Actor.system("test")
    body = BodyFactory(name="Prøvekommune")
    bbu = OrganizationFactory(body=body, name="Beskæftigelsesudvalget")
    tmu = OrganizationFactory(body=body, name="Teknik- og Miljøudvalget")
    archive = Archive(bbu, tmu, _users(bbu, tmu))
    _minutes_2024(archive, actor)
    _agenda_2025(archive, actor)
    _planned_2026(archive, actor)
    _technical_2025(archive, actor)
    rebuild()
    return archive


def _users(bbu: Organization, tmu: Organization) -> dict[str, Any]:
    def seat(organization: Organization, username: str, name: str, **period: Any) -> User:
        user = UserFactory(username=username)
        person = PersonFactory(body=organization.body, name=name, user=user)
        MembershipFactory(organization=organization, person=person, **period)
        return user

    return {
        "anonymous": None,
        "former": seat(bbu, "tidligere", "Tove Tidligere", end_date=dt.date(2021, 12, 31)),
        "other": seat(tmu, "andet", "Anders Andetudvalg"),
        "member": seat(bbu, "medlem", "Mette Bødker", start_date=dt.date(2022, 1, 1)),
        "secretary": SecretaryAssignmentFactory(organization=bbu).user,
        "admin": User.objects.create_superuser("admin", password="x"),
    }


def _paper(archive: Archive, reference: str, name: str, actor: Actor) -> Any:
    return services.paper_get_or_create(
        body=archive.bbu.body, reference=reference, name=name, by=actor
    )


def _minutes_2024(archive: Archive, actor: Actor) -> None:
    """Minutes published: an open item on the nytteindsats, a closed item and an open item
    with one public and one internal attachment."""
    meeting = services.meeting_create(organization=archive.bbu, start=_at(2024, 3, 4), by=actor)
    nytte = services.agenda_item_add(
        meeting=meeting,
        title="Nytteindsatsen i 2024",
        paper=_paper(archive, "24/11111", "Nytteindsats", actor),
        sections=[
            (
                "Sagsfremstilling",
                "Nytteindsatsen holdes i **Job- og Aktivitetscenteret** på Bygade. "
                "Budgettet følges op i efteråret.",
            )
        ],
        by=actor,
    )
    closed = services.agenda_item_add(
        meeting=meeting,
        title=f"Personalesag {CLOSED_TITLE}",
        public=False,
        public_title="Personalesag",
        sections=[("Sagsfremstilling", f"Fortroligt: {CLOSED_TEXT} om en medarbejder.")],
        by=actor,
    )
    services.attachment_add(
        item=closed,
        filename="notat.txt",
        content=f"Notat om sagen {CLOSED_ATTACHMENT}".encode(),
        by=actor,
    )
    plan = services.agenda_item_add(
        meeting=meeting,
        title="Høring om lokalplan",
        sections=[("Sagsresume", "Udvalget afgiver høringssvar.")],
        by=actor,
    )
    services.attachment_add(
        item=plan,
        filename="høringssvar.txt",
        content="Høringssvaret om lokalplanen for Vestergade med cykelsti.".encode(),
        by=actor,
    )
    services.attachment_add(
        item=plan,
        filename="internt-notat.txt",
        content=f"Internt notat {INTERNAL_ATTACHMENT} om lokalplanen.".encode(),
        by=actor,
        public=False,
    )
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    for item in meeting.items.all():
        services.decision_record(
            item=item, outcome=DecisionOutcome.APPROVED, text="Indstillingen blev fulgt.", by=actor
        )
    archive.meetings["2024"] = services.meeting_publish_minutes(meeting=meeting, by=actor)
    archive.items.update(nytte=nytte, closed=closed, plan=plan)


def _agenda_2025(archive: Archive, actor: Actor) -> None:
    """Agenda published: the budget (case 25/30508) and a follow-up (EMN-2025-003383)."""
    meeting = services.meeting_create(organization=archive.bbu, start=_at(2025, 6, 2), by=actor)
    budget = services.agenda_item_add(
        meeting=meeting,
        title="Budget 2026",
        paper=_paper(archive, "25/30508", "Budget 2026", actor),
        sections=[("Sagsresume", "Forslag til budget for beskæftigelsesområdet.")],
        by=actor,
    )
    follow_up = services.agenda_item_add(
        meeting=meeting,
        title="Opfølgning på nytteindsats",
        paper=_paper(archive, "EMN-2025-003383", "Opfølgning", actor),
        sections=[("Sagsfremstilling", "Status for nytteindsatser og budget i 2025.")],
        by=actor,
    )
    archive.meetings["2025"] = services.meeting_publish_agenda(meeting=meeting, by=actor)
    archive.items.update(budget=budget, follow_up=follow_up)


def _planned_2026(archive: Archive, actor: Actor) -> None:
    meeting = services.meeting_create(organization=archive.bbu, start=_at(2026, 9, 7), by=actor)
    archive.items["planned"] = services.agenda_item_add(
        meeting=meeting,
        title="Budget 2027",
        sections=[("Sagsresume", f"Udkast {PLANNED_TEXT} til budget og nytteindsats.")],
        by=actor,
    )
    archive.meetings["planned"] = meeting


def _technical_2025(archive: Archive, actor: Actor) -> None:
    meeting = services.meeting_create(organization=archive.tmu, start=_at(2025, 2, 3), by=actor)
    archive.items["vestergade"] = services.agenda_item_add(
        meeting=meeting,
        title="Lokalplan 12 for Vestergade",
        sections=[("Sagsfremstilling", "Lokalplanen giver mulighed for boliger og en cykelsti.")],
        by=actor,
    )
    archive.meetings["tmu"] = services.meeting_publish_agenda(meeting=meeting, by=actor)
