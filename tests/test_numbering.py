"""Item numbers follow the organization's scheme: on through the year or from 1 at every
meeting; sub-items (4.1) in both, shown as 4.1 wherever an item number shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gremium.documents.build import build_document
from gremium.documents.html import render_html
from gremium.documents.markdown import render_markdown
from gremium.documents.pdf_data import document_data
from gremium.lib import document_structure as s
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.from_document import meeting_store_document
from gremium.meetings.models import AgendaItem
from gremium.organizations.models import ItemNumbering
from tests.factories import MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _at(day: int, month: int = 3, year: int = 2025) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 16, 0))


def test_per_meeting_numbering_takes_item_1_in_two_meetings(actor):
    organization = OrganizationFactory(numbering=ItemNumbering.PER_MEETING)
    first = MeetingFactory(organization=organization, start=_at(3))
    second = MeetingFactory(organization=organization, start=_at(10))
    services.agenda_item_add(meeting=first, title="Godkendelse", number=1, by=actor)
    services.agenda_item_add(meeting=second, title="Godkendelse", number=1, by=actor)
    # Without a number the next one of this meeting, not of the year.
    assert services.agenda_item_add(meeting=second, title="Budget", by=actor).number == 2
    with pytest.raises(DomainError, match="Punkt 1 findes allerede på dette møde"):
        services.agenda_item_add(meeting=second, title="Igen", number=1, by=actor)


def test_yearly_numbering_refuses_a_number_used_that_year_and_names_it(actor):
    organization = OrganizationFactory(name="Teknikudvalget")
    march = MeetingFactory(organization=organization, start=_at(3))
    april = MeetingFactory(organization=organization, start=_at(7, month=4))
    services.agenda_item_add(meeting=march, title="Budget", number=12, by=actor)
    message = r"Punkt 12 findes allerede i 2025 \(mødet .*03-03-2025\).*løbende gennem året"
    with pytest.raises(DomainError, match=message):
        services.agenda_item_add(meeting=april, title="Igen", number=12, by=actor)
    assert services.agenda_item_add(meeting=april, title="Næste", by=actor).number == 13
    next_year = MeetingFactory(organization=organization, start=_at(5, month=1, year=2026))
    assert services.agenda_item_add(meeting=next_year, title="Nyt år", by=actor).number == 1


def test_the_database_keeps_the_yearly_rule_past_the_services(actor):
    organization = OrganizationFactory()
    march = MeetingFactory(organization=organization, start=_at(3))
    april = MeetingFactory(organization=organization, start=_at(7, month=4))
    services.agenda_item_add(meeting=march, title="Budget", number=5, by=actor)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            meeting=april, organization=organization, year=2025, number=5, order=1, title="X"
        )


def test_back_to_yearly_is_refused_while_a_year_holds_a_number_twice(actor):
    organization = OrganizationFactory(name="Greve Byråd", numbering=ItemNumbering.PER_MEETING)
    for day in (3, 10):
        meeting = MeetingFactory(organization=organization, start=_at(day))
        services.agenda_item_add(meeting=meeting, title="Godkendelse", number=1, by=actor)
    with pytest.raises(DomainError, match="punkt 1 findes flere gange i 2025"):
        services.organization_set_numbering(
            organization=organization, numbering=ItemNumbering.YEARLY, by=actor
        )
    organization.refresh_from_db()
    assert organization.numbering == ItemNumbering.PER_MEETING


def _minutes(items: tuple[s.Item, ...], day: int = 3) -> s.Document:
    return s.Document(
        kind=s.DocumentKind.MINUTES,
        audience=s.Audience.INTERNAL,
        body_name="Greve Kommune",
        organization_name="Økonomiudvalget",
        start=dt.datetime(2025, 3, day, 16, 0),
        items=items,
    )


def _decided(number: int, title: str, sub_number: int | None = None) -> s.Item:
    decision = s.Decision("Økonomiudvalget", None, "Godkendt", "Godkendt.")
    return s.Item(number=number, sub_number=sub_number, title=title, decision=decision)


def test_sub_items_are_stored_and_shown_as_4_1(actor, client):
    document = _minutes(
        (_decided(4, "Anlæg"), _decided(4, "Anlæg: cykelsti", sub_number=1), _decided(5, "Drift"))
    )
    meeting = meeting_store_document(document=document, by=actor).meeting
    rows = list(meeting.items.order_by("order").values_list("number", "sub_number"))
    assert rows == [(4, None), (4, 1), (5, None)]
    built = build_document(meeting, kind=s.DocumentKind.MINUTES, audience=s.Audience.PUBLIC)
    assert "## Punkt 4.1: Anlæg: cykelsti" in render_markdown(built)
    assert "Punkt 4.1: " in render_html(built)
    assert document_data(built)["items"][1]["heading"] == "Punkt 4.1: Anlæg: cykelsti"
    sub = meeting.items.get(sub_number=1)
    page = client.get(f"/moeder/{meeting.pk}/punkt/punkt-4-1/")
    assert page.status_code == 200 and "Punkt 4.1" in page.content.decode()
    oparl = client.get(f"/oparl/v1.1/agendaItem/{sub.pk}").json()
    assert oparl["number"] == "4.1" and oparl["name"] == "Anlæg: cykelsti"
    # A second load of the same minutes finds them unchanged.
    assert not meeting_store_document(document=document, by=actor).changed


def test_an_archive_restarting_at_item_1_switches_the_organization_to_per_meeting(actor):
    first = meeting_store_document(
        document=_minutes((_decided(1, "Dagsorden"),)), by=actor, detect_numbering=True
    )
    second = meeting_store_document(
        document=_minutes((_decided(1, "Dagsorden"), _decided(2, "Budget")), day=10),
        by=actor,
        detect_numbering=True,
    )
    organization = second.meeting.organization
    organization.refresh_from_db()
    assert organization.numbering == ItemNumbering.PER_MEETING
    assert "forfra ved hvert møde" in second.notes[0]
    assert set(AgendaItem.objects.values_list("numbering", flat=True)) == {"per_meeting"}
    assert first.meeting.items.get().number == 1


def test_the_admin_changes_the_scheme_with_its_items_and_refuses_yearly_over_duplicates(actor):
    from django.forms.models import model_to_dict

    from gremium.organizations.admin import OrganizationForm

    organization = OrganizationFactory()
    for day in (3, 10):
        meeting = MeetingFactory(organization=organization, start=_at(day))
        services.agenda_item_add(meeting=meeting, title="Godkendelse", by=actor)
    organization.numbering = ItemNumbering.PER_MEETING
    organization.save()  # as the admin saves it, past the services
    assert set(AgendaItem.objects.values_list("numbering", flat=True)) == {"per_meeting"}
    services.agenda_item_add(meeting=meeting, title="Igen nr. 1", number=1, by=actor)
    data = {k: v for k, v in model_to_dict(organization).items() if v is not None}
    form = OrganizationForm(instance=organization, data={**data, "numbering": "yearly"})
    assert not form.is_valid()
    assert "Punkt 1 findes flere gange i 2025" in str(form.errors["numbering"])
