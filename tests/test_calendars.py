"""The public calendars (RFC 5545): read back with the `icalendar` package they must hold
every public meeting, and only those, with stable UIDs, a SEQUENCE that rises when a
meeting moves, STATUS:CANCELLED and Europe/Copenhagen times."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from gremium.meetings import services
from gremium.meetings.models import Meeting
from gremium.organizations.models import Location
from tests.factories import MeetingFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


def at(year: int, month: int, day: int, hour: int = 16) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0), COPENHAGEN)


def published(actor, organization, start, **fields) -> Meeting:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(organization=organization, start=start, **fields)
    services.agenda_item_add(meeting=meeting, title="Punkt", by=actor)
    return services.meeting_publish_agenda(meeting=meeting, by=actor, keep_pdf=False)


def events(client, url: str) -> dict[str, icalendar.Event]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@proevekommune.gremium"


def test_body_calendar_holds_every_public_meeting_and_no_other(client, actor):
    committee, other = OrganizationFactory(), OrganizationFactory()
    shown = [published(actor, committee, at(2026, 3, n)) for n in (2, 9)]
    shown.append(published(actor, other, at(2025, 11, 4)))
    planned = MeetingFactory(organization=committee, start=at(2026, 4, 6))
    never_public = MeetingFactory(organization=committee, start=at(2026, 4, 13))
    services.meeting_cancel(meeting=never_public, by=actor)
    found = events(client, "/kalender.ics")
    assert set(found) == {uid(m) for m in shown}
    assert uid(planned) not in found and uid(never_public) not in found


def test_an_event_carries_time_zone_place_page_and_status(client, actor):
    committee = OrganizationFactory(name="Økonomi, plan; og budget")
    place = Location.objects.create(body=committee.body, description="Byrådssalen, Rådhuset")
    meeting = published(actor, committee, at(2026, 3, 2), end=at(2026, 3, 2, 18), location=place)
    response = client.get("/kalender.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == uid(meeting)
    assert event.decoded("DTSTART") == at(2026, 3, 2)
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event.decoded("DTEND") == at(2026, 3, 2, 18)
    assert str(event["SUMMARY"]) == "Møde i Økonomi, plan; og budget"
    assert str(event["LOCATION"]) == "Byrådssalen, Rådhuset"
    assert str(event["URL"]) == f"http://testserver/moeder/{meeting.pk}/"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED")
    assert b"\r\n" in response.content and all(
        len(line) <= 75 for line in response.content.split(b"\r\n")
    )


def test_a_moved_meeting_keeps_its_uid_and_raises_sequence(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    before = events(client, "/kalender.ics")[uid(meeting)]
    assert before["SEQUENCE"] == 0
    services.meeting_update(
        meeting=meeting, by=actor, expected_version=meeting.version, start=at(2026, 3, 3)
    )
    after = events(client, "/kalender.ics")[uid(meeting)]
    assert after["SEQUENCE"] == 1
    assert after.decoded("DTSTART") == at(2026, 3, 3)
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")


def test_a_renamed_meeting_that_did_not_move_keeps_its_sequence(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    services.meeting_update(
        meeting=meeting, by=actor, expected_version=meeting.version, start=meeting.start, name="B"
    )
    assert events(client, "/kalender.ics")[uid(meeting)]["SEQUENCE"] == 0


def test_a_cancelled_meeting_is_cancelled_in_the_calendar(client, actor):
    meeting = published(actor, OrganizationFactory(name="Skoleudvalget"), at(2026, 3, 2))
    services.meeting_cancel(meeting=meeting, by=actor)
    event = events(client, "/kalender.ics")[uid(meeting)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]) == "Aflyst: møde i Skoleudvalget"


def test_committee_calendar_holds_its_own_meetings(client, actor):
    committee, other = OrganizationFactory(), OrganizationFactory()
    own = published(actor, committee, at(2026, 3, 2))
    published(actor, other, at(2026, 3, 2))
    assert set(events(client, f"/udvalg/{committee.slug}/kalender.ics")) == {uid(own)}
    assert client.get("/udvalg/findes-ikke/kalender.ics").status_code == 404


def test_person_calendar_follows_the_seats_on_each_meeting_day(client, actor):
    committee, other, third = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    seat = MembershipFactory(organization=committee, end_date=dt.date(2026, 3, 31))
    MembershipFactory(organization=other, person=seat.person, start_date=dt.date(2026, 4, 1))
    during = published(actor, committee, at(2026, 3, 31, 23))
    # 00:30 on 1 April is still 31 March in UTC: the local day counts.
    after_leaving = published(actor, committee, at(2026, 4, 1, 0) + dt.timedelta(minutes=30))
    before_joining = published(actor, other, at(2026, 3, 31))
    joined = published(actor, other, at(2026, 4, 1))
    published(actor, third, at(2026, 3, 2))
    found = events(client, f"/personer/{seat.person.pk}/kalender.ics")
    assert set(found) == {uid(during), uid(joined)}
    assert uid(after_leaving) not in found and uid(before_joining) not in found


def test_person_without_a_seat_has_no_calendar(client):
    from tests.factories import PersonFactory

    assert client.get(f"/personer/{PersonFactory().pk}/kalender.ics").status_code == 404
    assert client.get("/personer/999999/kalender.ics").status_code == 404


def test_uid_domain_setting_names_the_uids(client, actor, settings):
    settings.GREMIUM_UID_DOMAIN = "haderslev.dk"
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    assert set(events(client, "/kalender.ics")) == {f"meeting-{meeting.pk}@haderslev.dk"}


def test_an_empty_calendar_is_still_a_calendar(client):
    response = client.get("/kalender.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Møder"
