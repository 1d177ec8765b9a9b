"""`gremium demo` loads the seed minutes completely, once."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gremium.audit.models import AuditRecord
from gremium.meetings.models import AgendaItem, Meeting, MeetingState

pytestmark = pytest.mark.django_db

ORG = "Beskæftigelses- og Borgerserviceudvalget"
# (number, title, case number, decision text or None, attachment names) as in the seed
SEED_ITEMS = [
    (12, "Godkendelse af dagsorden.", "25/30508", "Godkendt.", []),
    (
        13,
        "Introduktion til beskæftigelses- og integrationsområdet",
        "26/1220",
        "Godkendt.",
        [
            "Data - beskæftigelses- og integrationsindsatsen BBU 02-02-2026",
            "Underskrevet hensigtserklæring - Job7",
            "Underskrevet Samarbejdsaftale - JobSønderjylland",
        ],
    ),
    (
        14,
        "Præsentation af udkast til introduktionsprogram",
        "25/30508",
        "Drøftet. Udkastet blev godkendt.",
        [],
    ),
    (
        15,
        "Resultat af KL borgerundersøgelse efterår 2025",
        "26/1663",
        "Godkendt.",
        ["KL borgerundersøgelse - efteråret 2025"],
    ),
    (
        16,
        "Resultat af KL tilfredshedsmåling af jobcenterets virksomhedsservice 2025",
        "26/1743",
        "Godkendt.",
        ["Tilfredshedsmåling af Jobcentrets virksomhedsservice 2025"],
    ),
    (
        17,
        "Gensidig orientering",
        "25/30508",
        "Godkendt.",
        [
            "Bilag 1 - Ungeløftet - Invitation til partnerskabsdag i Kolding",
            "Bilag 2 - Brev til kommuner",
            "Bilag 3 - Opgørelsesmetode og dataindhold",
            "Bilag 4 - Data til deling med kommuner Haderslev",
        ],
    ),
    (18, "Eventuelt", "25/30508", None, []),
    (19, "Underskriftsside", "25/30508", None, []),
]
MEMBERS = [
    "Jon Krongaard",
    "Alex Bødiker",
    "Klara Steenholdt",
    "Keld Valentin",
    "Inga Lykke",
    "Hanne Pedersen",
    "Finn Lykkeskov",
]


def _meeting() -> Meeting:
    call_command("demo")
    return Meeting.objects.get()


def test_demo_loads_the_meeting_header():
    meeting = _meeting()
    assert meeting.organization.name == ORG
    assert meeting.organization.body.name == "Haderslev Kommune"
    assert meeting.location.description == "Servicefunktionen"
    local = meeting.start.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Copenhagen"))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2026, 2, 2, 16, 0)
    assert meeting.state == MeetingState.MINUTES_PUBLISHED
    attendance = {a.person.name: a.status for a in meeting.attendances.all()}
    assert sorted(attendance) == sorted(MEMBERS)
    assert [n for n, s in attendance.items() if s == "absent"] == ["Jon Krongaard"]
    assert meeting.organization.memberships.count() == 7


def test_demo_loads_every_item_with_number_title_case_and_decision():
    meeting = _meeting()
    items = list(meeting.items.select_related("paper").order_by("order"))
    assert [(i.number, i.title, i.paper.reference) for i in items] == [
        (n, t, r) for n, t, r, _d, _a in SEED_ITEMS
    ]
    decisions = [getattr(i, "decision", None) for i in items]
    assert [d.text if d else None for d in decisions] == [d for *_x, d, _a in SEED_ITEMS]
    assert [list(i.attachments.values_list("name", flat=True)) for i in items] == [
        a for *_x, a in SEED_ITEMS
    ]
    assert decisions[2].outcome == "droftet"


def test_jon_krongaard_is_absent_on_every_item():
    meeting = _meeting()
    for item in meeting.items.all():
        assert [p.person.name for p in item.participations.filter(kind="absent")] == [
            "Jon Krongaard"
        ]


def test_every_section_is_kept_in_order():
    meeting = _meeting()
    headings = {
        i.number: list(i.sections.values_list("heading", flat=True)) for i in meeting.items.all()
    }
    full = ["Sagsresume", "Indstilling", "Sagsfremstilling", "Procedure"]
    assert headings == {
        12: ["Indstilling", "Procedure"],
        13: full,
        14: full,
        15: full,
        16: full,
        17: ["Sagsresume", "Indstilling", "Procedure"],
        18: ["Procedure"],
        19: ["Sagsresume", "Procedure"],
    }
    item14 = AgendaItem.objects.get(number=14)
    body = item14.sections.get(heading="Sagsfremstilling").body
    assert "Mødet afholdes i Ungehuset, Gåskærgade." in body
    assert "døgnsseminar med kommunalbestyrelsen fra 19.-20. marts 2026" in body


def test_the_survey_table_has_its_six_rows():
    _meeting()
    body = AgendaItem.objects.get(number=15).sections.get(heading="Sagsfremstilling").body
    rows = [line for line in body.splitlines() if line.startswith("|")]
    header, rule, *data = rows
    assert header == "| Emne | Haderslev Kommune | Kommunegennemsnit |"
    assert set(rule) <= set("|-: ")
    assert [r.split("|")[1].strip() for r in data] == [
        "Overordnet tilfredshed",
        "Mødet med jobcentret",
        "Mål og aktiviteter",
        "Samarbejde på tværs",
        "Samtalen",
        "Progression",
    ]
    assert data[-1] == "| Progression | 3,15 | 2,85 |"


def test_running_demo_twice_changes_nothing():
    _meeting()
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), AuditRecord.objects.count())
    call_command("demo")
    assert (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        AuditRecord.objects.count(),
    ) == counts


def test_demo_refuses_a_conflicting_meeting_and_writes_nothing():
    meeting = _meeting()
    from gremium.audit.services import Actor
    from gremium.meetings import services

    item = meeting.items.get(number=14)
    # A different meeting at the same time and place.
    services.agenda_item_update(
        item=item, by=Actor.system("test"), expected_version=None, title="Et andet punkt"
    )
    audit_before = AuditRecord.objects.count()
    with pytest.raises(CommandError, match=f"Der findes allerede et andet møde i {ORG}"):
        call_command("demo")
    assert Meeting.objects.count() == 1
    assert AuditRecord.objects.count() == audit_before


def test_demo_refuses_when_the_item_numbers_are_taken_and_writes_nothing(actor):
    from gremium.meetings import services
    from tests.factories import MeetingFactory, OrganizationFactory

    organization = OrganizationFactory(name=ORG, body__name="Haderslev Kommune")
    other = MeetingFactory(organization=organization)
    services.agenda_item_add(meeting=other, title="Optaget", number=15, by=actor)
    with pytest.raises(CommandError, match="Punkt 15 findes allerede i 2026"):
        call_command("demo")
    assert Meeting.objects.count() == 1
    assert AgendaItem.objects.count() == 1


def test_demo_accounts_log_in_as_secretary_and_member(client, capsys):
    call_command("demo", "--accounts")
    out = capsys.readouterr().out
    logins = dict(
        line.split(": ", 1)[1].split(" / ") for line in out.splitlines() if line.startswith("Login")
    )
    assert "sekretaer" in logins and "alex.boediker" in logins
    assert len(logins) == 8  # the secretary and the seven members
    assert client.login(username="sekretaer", password=logins["sekretaer"])
    meeting = Meeting.objects.get()
    assert client.get(f"/kontor/moeder/{meeting.pk}/").status_code == 200
    call_command("demo", "--accounts")
    assert "Login" not in capsys.readouterr().out  # existing logins are left alone
