"""Access follows the membership period (issue 8, defect 2).

A member reads the internal documents of the meetings held while they sat in the
organization, also after leaving; a meeting before their start or after their end is public
to them only. A substitute reads only the meetings they were called in to.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gremium.documents.build import build_document
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings import access, services
from gremium.meetings.models import Attendance, AttendanceStatus, DecisionOutcome
from gremium.meetings.selectors import meetings_to_approve
from gremium.organizations.models import MembershipRole, SignatureRule
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SECRET = "Lukket-indhold-5521"


def _on(day: dt.date, hour: int = 16):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _meeting(organization, day: dt.date, actor, *, minutes: bool = True):
    """A meeting with one closed item; with `minutes` its minutes are published."""
    meeting = MeetingFactory(organization=organization, start=_on(day))
    services.agenda_item_add(
        meeting=meeting,
        title="Personalesag",
        public=False,
        public_title="Lukket punkt",
        sections=[("Sagsfremstilling", SECRET)],
        by=actor,
    )
    if not minutes:
        return meeting
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    for item in meeting.items.all():
        services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text="", by=actor)
    return services.meeting_publish_minutes(meeting=meeting, by=actor)


def _member(organization, **period):
    user = UserFactory()
    MembershipFactory(organization=organization, person=PersonFactory(user=user), **period)
    return user


@pytest.fixture
def committee(actor):
    organization = OrganizationFactory()
    meetings = {
        "2021": _meeting(organization, dt.date(2021, 6, 1), actor),
        "2026": _meeting(organization, dt.date(2026, 3, 2), actor),
        "planned": _meeting(organization, dt.date(2026, 9, 7), actor, minutes=False),
    }
    return organization, meetings


def test_former_member_reads_only_the_meetings_of_their_period(committee):
    organization, meetings = committee
    former = _member(organization, start_date=dt.date(2018, 1, 1), end_date=dt.date(2021, 12, 31))
    assert access.is_insider(former, meetings["2021"])
    assert not access.is_insider(former, meetings["2026"])
    assert not access.is_insider(former, meetings["planned"])
    client = Client()
    client.force_login(former)
    assert SECRET in client.get(f"/moeder/{meetings['2021'].pk}/").content.decode()
    assert SECRET not in client.get(f"/moeder/{meetings['2026'].pk}/").content.decode()
    assert client.get(f"/moeder/{meetings['planned'].pk}/").status_code == 404


def test_the_period_bounds_are_inclusive_and_may_be_open(committee):
    organization, meetings = committee
    day = meetings["2026"].start.date()
    last_day = _member(organization, end_date=day)
    first_day = _member(organization, start_date=day)
    assert access.is_insider(last_day, meetings["2026"])
    assert not access.is_insider(last_day, meetings["planned"])
    assert access.is_insider(first_day, meetings["2026"])
    assert access.is_insider(first_day, meetings["planned"])
    assert not access.is_insider(first_day, meetings["2021"])


def test_the_meeting_day_is_the_local_day(actor):
    # 00:30 in Copenhagen is the evening before in UTC: the local day decides.
    organization = OrganizationFactory()
    meeting = MeetingFactory(
        organization=organization, start=timezone.make_aware(dt.datetime(2026, 3, 2, 0, 30))
    )
    starts_that_day = _member(organization, start_date=dt.date(2026, 3, 2))
    meeting.refresh_from_db()
    assert access.is_insider(starts_that_day, meeting)
    # The services count the same day: the new member's attendance is recorded.
    services.attendance_set(
        meeting=meeting,
        person=starts_that_day.person,
        status=AttendanceStatus.PRESENT,
        by=actor,
    )


def test_future_member_reads_nothing_before_their_start(committee):
    organization, meetings = committee
    future = _member(organization, start_date=dt.date(2027, 1, 1))
    assert not any(access.is_insider(future, m) for m in meetings.values())
    visible = set(access.meetings_visible_to(future))
    assert meetings["planned"] not in visible
    assert {meetings["2021"], meetings["2026"]} <= visible  # public, as for anyone


def test_lists_follow_the_period(committee):
    organization, meetings = committee
    left = _member(organization, end_date=dt.date(2026, 6, 30))
    assert meetings["planned"] not in set(access.meetings_visible_to(left))
    client = Client()
    client.force_login(left)
    home = client.get("/").content.decode()
    assert f"/moeder/{meetings['planned'].pk}/" not in home
    assert f"/moeder/{meetings['2026'].pk}/" in home


def test_approval_follows_the_period(committee):
    organization, meetings = committee
    former = _member(organization, end_date=dt.date(2021, 12, 31))
    assert access.can_approve(former, meetings["2021"])
    assert not access.can_approve(former, meetings["2026"])
    assert set(meetings_to_approve(former)) == {meetings["2021"]}
    client = Client()
    client.force_login(former)
    assert client.get(f"/kontor/moeder/{meetings['2026'].pk}/godkend/").status_code == 403
    dashboard = client.get("/kontor/").content.decode()
    assert f"/kontor/moeder/{meetings['2026'].pk}/godkend/" not in dashboard


def test_substitute_reads_only_the_meetings_they_were_called_in_to(committee, actor):
    organization, meetings = committee
    user = _member(organization, role=MembershipRole.SUBSTITUTE)
    assert not any(access.is_insider(user, m) for m in meetings.values())
    seat = MembershipFactory(organization=organization)
    planned = meetings["planned"]
    services.attendance_set(
        meeting=planned,
        person=user.person,
        status=AttendanceStatus.SUBSTITUTE,
        substitute_for=seat.person,
        by=actor,
    )
    assert access.is_insider(user, planned)
    assert not access.is_insider(user, meetings["2026"])
    assert set(access.meetings_visible_to(user)) == set(meetings.values())
    client = Client()
    client.force_login(user)
    assert SECRET in client.get(f"/moeder/{planned.pk}/").content.decode()
    assert SECRET not in client.get(f"/moeder/{meetings['2026'].pk}/").content.decode()


def test_a_substitute_called_in_reads_that_meeting_without_a_membership(committee):
    _organization, meetings = committee
    user = UserFactory()
    person = PersonFactory(user=user)
    # Written directly, as a data repair in the admin would: the services demand a seat.
    Attendance.objects.create(
        meeting=meetings["2026"], person=person, status=AttendanceStatus.SUBSTITUTE
    )
    assert access.is_insider(user, meetings["2026"])
    assert not access.is_insider(user, meetings["2021"])
    Attendance.objects.filter(person=person).update(status=AttendanceStatus.PRESENT)
    assert not access.is_insider(user, meetings["2026"])  # no seat, not a substitute: public


def test_membership_of_another_organization_grants_nothing(committee):
    _organization, meetings = committee
    other = _member(OrganizationFactory())
    assert not any(access.is_insider(other, m) for m in meetings.values())
    assert not access.can_approve(other, meetings["2026"])


def test_the_minutes_show_the_seat_held_on_the_meeting_day(actor):
    # Same fault in the document: the role came from any membership, not the one held then.
    organization = OrganizationFactory()
    person = PersonFactory()
    MembershipFactory(organization=organization, person=person, end_date=dt.date(2025, 12, 31))
    MembershipFactory(
        organization=organization,
        person=person,
        role=MembershipRole.CHAIR,
        start_date=dt.date(2026, 1, 1),
    )
    meeting = MeetingFactory(organization=organization, start=_on(dt.date(2024, 5, 6)))
    services.attendance_set(
        meeting=meeting, person=person, status=AttendanceStatus.PRESENT, by=actor
    )
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    assert [p.role for p in document.participants] == ["medlem"]


def test_a_signing_secretary_finds_the_minutes_on_the_dashboard(committee):
    # Under the chair-and-secretary rule the secretary signs: the list asks the same rule.
    organization, meetings = committee
    organization.signature_rule = SignatureRule.CHAIR_AND_SECRETARY
    organization.save()
    user = SecretaryAssignmentFactory(organization=organization).user
    PersonFactory(user=user)
    assert access.can_approve(user, meetings["2026"])
    assert set(meetings_to_approve(user)) == {meetings["2021"], meetings["2026"]}


def test_a_meeting_cancelled_before_its_agenda_went_out_never_becomes_public(actor):
    organization = OrganizationFactory()
    draft = MeetingFactory(organization=organization, start=_on(dt.date(2026, 3, 2)))
    services.agenda_item_add(meeting=draft, title="Kladde: Lukning af skole", by=actor)
    services.meeting_cancel(meeting=draft, by=actor)
    sent = _meeting(organization, dt.date(2026, 3, 9), actor, minutes=False)
    sent = services.meeting_publish_agenda(meeting=sent, by=actor)
    services.meeting_cancel(meeting=sent, by=actor)
    public = Client()
    assert public.get(f"/moeder/{draft.pk}/").status_code == 404
    assert public.get(f"/moeder/{draft.pk}/dagsorden.pdf").status_code == 404
    assert "Kladde" not in public.get("/").content.decode()
    assert public.get(f"/moeder/{sent.pk}/").status_code == 200
    assert set(access.meetings_visible_to(None)) == {sent}
