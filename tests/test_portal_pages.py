"""The committee, item, case and person pages as a reader uses them: who sits in the
committee today, an item with the committee's meetings around it, a case's history across
committees with the decision at each step, and a person's memberships without anything
private."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, DecisionOutcome, Meeting
from gremium.organizations.models import MembershipRole, Organization, Person
from gremium.papers.models import Paper
from tests.factories import (
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BY = Actor.system("test")
TODAY = timezone.localdate()


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))


def _held(organization: Organization, day: dt.date, items: list[dict]) -> Meeting:
    """A meeting with published minutes; each item dict gives add-arguments and the
    decision ("outcome", "decision") and files ("files": [(name, public)])."""
    meeting = MeetingFactory(organization=organization, start=_at(day))
    added = []
    for spec in items:
        spec = dict(spec)
        outcome = spec.pop("outcome", DecisionOutcome.APPROVED)
        decision = spec.pop("decision", "")
        files = spec.pop("files", [])
        item = services.agenda_item_add(meeting=meeting, by=BY, **spec)
        for name, public in files:
            services.attachment_add(
                item=item, filename=name, content=name.encode(), public=public, by=BY
            )
        added.append((item, outcome, decision))
    meeting = services.meeting_publish_agenda(meeting=meeting, by=BY, keep_pdf=False)
    meeting = services.meeting_mark_held(meeting=meeting, by=BY)
    for item, outcome, decision in added:
        services.decision_record(item=item, outcome=outcome, text=decision, by=BY)
    return services.meeting_publish_minutes(meeting=meeting, by=BY)


@dataclass
class Case:
    paper: Paper
    school: Organization
    finance: Organization
    first: Meeting  # school, March: recommends
    second: Meeting  # finance, April: approves (and treats the case in a closed item too)
    planned: Meeting  # finance, later: the case again, agenda not published


@pytest.fixture
def case() -> Case:
    body = BodyFactory()
    school = OrganizationFactory(body=body, name="Børne- og Skoleudvalget")
    finance = OrganizationFactory(body=body, name="Økonomiudvalget")
    paper = services.paper_get_or_create(
        body=body, reference="25/30508", name="Sagens titel fra kontoret", by=BY
    )
    first = _held(
        school,
        dt.date(2026, 3, 2),
        [
            {
                "title": "Ny skolestruktur",
                "paper": paper,
                "sections": [("Sagsfremstilling", "Tre skoler lægges sammen.")],
                "outcome": DecisionOutcome.RECOMMENDED,
                "decision": "Udvalget anbefaler forslaget.",
                "files": [("skolekort.txt", True), ("internt-notat.txt", False)],
            }
        ],
    )
    second = _held(
        finance,
        dt.date(2026, 4, 13),
        [
            {"title": "Budgetopfølgning"},
            {
                "title": "Ny skolestruktur",
                "paper": paper,
                "decision": "Økonomiudvalget godkender.",
            },
            {
                "title": "Skolestruktur: køb af grund",
                "paper": paper,
                "public": False,
                "public_title": "Køb af ejendom",
                "decision": "Hemmelig-pris-9931",
            },
        ],
    )
    planned = MeetingFactory(organization=finance, start=_at(dt.date(2026, 12, 7)))
    services.agenda_item_add(meeting=planned, title="Plan-kanariefugl", paper=paper, by=BY)
    return Case(paper, school, finance, first, second, planned)


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_case_page_lists_each_treatment_in_date_order_with_its_decision(client, case):
    page = _page(client, f"/sager/{case.paper.pk}/")
    assert "<h1>Sag 25/30508</h1>" in page
    school = page.index("02-03-2026</time>: Børne- og Skoleudvalget")
    recommended = page.index("Udvalget anbefaler forslaget.")
    finance = page.index("13-04-2026</time>: Økonomiudvalget")
    approved = page.index("Økonomiudvalget godkender.")
    assert school < recommended < finance < approved
    assert page.count('class="outcome"') == 2 and "Anbefales" in page
    assert f'href="/moeder/{case.first.pk}/punkt/punkt-1/"' in page
    assert f'href="/moeder/{case.second.pk}/punkt/punkt-2/"' in page


def test_the_case_page_leaves_out_closed_and_unpublished_treatments_for_the_public(client, case):
    page = _page(client, f"/sager/{case.paper.pk}/")
    for hidden in ("Hemmelig-pris-9931", "køb af grund", "Køb af ejendom", "Plan-kanariefugl"):
        assert hidden not in page
    assert "punkt-3" not in page and f"/moeder/{case.planned.pk}/" not in page
    # The case's own title comes from the office and may be a closed item's: never shown.
    assert "Sagens titel fra kontoret" not in page


def test_the_case_page_shows_insiders_the_closed_and_planned_treatments(client, case):
    user = UserFactory()
    MembershipFactory(organization=case.finance, person=PersonFactory(user=user))
    client.force_login(user)
    page = _page(client, f"/sager/{case.paper.pk}/")
    assert "Hemmelig-pris-9931" in page and "Plan-kanariefugl" in page
    assert "Referatet er ikke offentliggjort endnu" in page
    assert page.index("Økonomiudvalget godkender.") < page.index("Plan-kanariefugl")


def test_the_case_page_links_only_the_files_the_reader_may_open(client, case):
    page = _page(client, f"/sager/{case.paper.pk}/")
    public = case.first.items.get().attachments.get(public=True)
    assert f'<a href="/bilag/{public.pk}/">skolekort</a>' in page
    assert "internt-notat" not in page
    secretary = UserFactory()
    from gremium.accounts.models import SecretaryAssignment

    SecretaryAssignment.objects.create(user=secretary, organization=case.school)
    client.force_login(secretary)
    assert "internt-notat" in _page(client, f"/sager/{case.paper.pk}/")


def test_a_case_the_reader_sees_no_treatment_of_does_not_exist_for_them(client, case):
    hidden = services.paper_get_or_create(
        body=case.school.body, reference="26/0001", name="Personalesag", by=BY
    )
    AgendaItem.objects.filter(title__startswith="Skolestruktur: køb").update(paper=hidden)
    assert _page(client, f"/sager/{hidden.pk}/", status=404)
    assert "26/0001" not in _page(client, f"/sager/{hidden.pk}/", status=404)
    assert _page(client, "/sager/999999/", status=404)


def test_the_item_page_shows_the_item_and_the_committees_meetings_around_it(client, case):
    earlier = _held(case.finance, dt.date(2026, 1, 12), [{"title": "Årsplan"}])
    later = _held(case.finance, dt.date(2026, 6, 1), [{"title": "Regnskab"}])
    page = _page(client, f"/moeder/{case.second.pk}/punkt/punkt-2/")
    assert re.search(r"<h1 id=\"punkt-2-h\">Punkt 2: Ny skolestruktur</h1>", page)
    assert "Økonomiudvalget godkender." in page
    assert f'href="/moeder/{earlier.pk}/">Udvalgets forrige møde' in page
    assert f'href="/moeder/{later.pk}/">Udvalgets næste møde' in page
    assert f'href="/sager/{case.paper.pk}/"' in page
    previous_item = f'href="/moeder/{case.second.pk}/punkt/punkt-1/">Forrige punkt: Punkt 1: '
    assert previous_item + "Budgetopfølgning" in page
    # The next item is closed: the public sees its number and public title only.
    assert "Næste punkt: Punkt 3: Lukket punkt: Køb af ejendom" in page


def test_the_item_page_of_a_closed_item_shows_the_public_its_number_and_title(client, case):
    page = _page(client, f"/moeder/{case.second.pk}/punkt/punkt-3/")
    assert "Punkt 3: Lukket punkt: Køb af ejendom" in page
    assert "Hemmelig-pris-9931" not in page and "køb af grund" not in page
    assert "/sager/" not in page  # a closed item names no case to the public
    # The planned meeting after it is not a neighbour the public may see.
    assert f"/moeder/{case.planned.pk}/" not in page
    _page(client, f"/moeder/{case.second.pk}/punkt/punkt-99/", status=404)
    _page(client, f"/moeder/{case.planned.pk}/punkt/punkt-1/", status=404)


def test_the_meeting_page_links_each_item_to_its_own_page_and_the_committee(client, case):
    page = _page(client, f"/moeder/{case.second.pk}/")
    for key in ("punkt-1", "punkt-2", "punkt-3"):
        assert f'href="/moeder/{case.second.pk}/punkt/{key}/"' in page
    assert f'href="/udvalg/{case.finance.slug}/"' in page


def test_the_committee_page_lists_todays_members_by_role_and_its_meetings(client, case):
    day = dt.timedelta(days=1)
    seats = [
        ("Carla Medlem", MembershipRole.MEMBER, "F", {}),
        ("Anne Formand", MembershipRole.CHAIR, "A", {"start_date": TODAY - 400 * day}),
        ("Bo Næstformand", MembershipRole.VICE_CHAIR, "V", {"end_date": TODAY}),
        ("Dorte Udtrådt", MembershipRole.MEMBER, "C", {"end_date": TODAY - day}),
        ("Erik Kommende", MembershipRole.MEMBER, "O", {"start_date": TODAY + day}),
    ]
    for name, role, party, period in seats:
        person = PersonFactory(name=name, body=case.school.body)
        MembershipFactory(organization=case.school, person=person, role=role, party=party, **period)
    page = _page(client, f"/udvalg/{case.school.slug}/")
    rows = re.findall(
        r'<tr><th scope="row"><a href="/personer/\d+/">([^<]+)</a></th>'
        r"<td>([^<]+)</td><td>([^<]+)</td></tr>",
        page,
    )
    assert rows == [
        ("Anne Formand", "Formand", "A"),
        ("Bo Næstformand", "Næstformand", "V"),
        ("Carla Medlem", "Medlem", "F"),
    ]
    assert f'href="/moeder/{case.first.pk}/"' in page
    _page(client, "/udvalg/findes-ikke/", status=404)


def test_the_committee_page_shows_one_year_at_a_time(client, case):
    older = _held(case.school, dt.date(2024, 5, 6), [{"title": "Gammel sag"}])
    page = _page(client, f"/udvalg/{case.school.slug}/")
    assert f"/moeder/{case.first.pk}/" in page and f"/moeder/{older.pk}/" not in page
    assert '<a href="?aar=2024">2024</a>' in page
    assert f'rel="next" href="/udvalg/{case.school.slug}/?aar=2024&amp;side=1"' in page
    page = _page(client, f"/udvalg/{case.school.slug}/?aar=2024")
    assert f"/moeder/{older.pk}/" in page and f"/moeder/{case.first.pk}/" not in page


def test_the_person_page_shows_memberships_and_nothing_private(client, case):
    user = UserFactory(username="anne-login", email="anne@privat.example")
    anne = PersonFactory(
        name="Anne Formand", body=case.school.body, email="anne@privat.example", user=user
    )
    MembershipFactory(
        organization=case.school,
        person=anne,
        role=MembershipRole.CHAIR,
        party="A",
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    MembershipFactory(
        organization=case.finance, person=anne, party="A", start_date=dt.date(2026, 1, 1)
    )
    page = _page(client, f"/personer/{anne.pk}/")
    assert "<h1>Anne Formand</h1>" in page
    finance = page.index(f'href="/udvalg/{case.finance.slug}/"')
    school = page.index(f'href="/udvalg/{case.school.slug}/"')
    assert finance < school  # the newest period first
    assert "fra 01-01-2026" in page and "01-01-2022 til 31-12-2025" in page
    assert "<td>Formand</td>" in page
    for private in ("privat.example", "anne-login", "@"):
        assert private not in page[page.index("<main") : page.index("</main>")]


def test_a_person_without_memberships_has_no_page(client):
    nobody = Person.objects.create(body=BodyFactory(), name="Sekretær Uden Plads")
    assert "Sekretær Uden Plads" not in _page(client, f"/personer/{nobody.pk}/", status=404)
    _page(client, "/personer/999999/", status=404)
