"""The model's invariants, exercised through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    DecisionOutcome,
    ItemParticipationKind,
    MeetingState,
)
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _held_meeting(actor, *, items=1):
    meeting = MeetingFactory()
    for n in range(items):
        services.agenda_item_add(meeting=meeting, title=f"Sag {n}", by=actor)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor)
    return services.meeting_mark_held(meeting=meeting, by=actor)


def test_item_numbers_run_on_through_the_year_per_organization(actor):
    january = MeetingFactory(start=timezone.make_aware(dt.datetime(2026, 1, 5, 16)))
    for title in ("A", "B", "C"):
        services.agenda_item_add(meeting=january, title=title, by=actor)
    february = MeetingFactory(
        organization=january.organization, start=timezone.make_aware(dt.datetime(2026, 2, 2, 16))
    )
    item = services.agenda_item_add(meeting=february, title="D", by=actor)
    assert item.number == 4


def test_numbering_starts_again_in_a_new_year_and_per_organization(actor):
    december = MeetingFactory(start=timezone.make_aware(dt.datetime(2025, 12, 1, 16)))
    services.agenda_item_add(meeting=december, title="A", by=actor)
    january = MeetingFactory(
        organization=december.organization, start=timezone.make_aware(dt.datetime(2026, 1, 5))
    )
    other_committee = MeetingFactory(start=timezone.make_aware(dt.datetime(2025, 12, 1, 16)))
    assert services.agenda_item_add(meeting=january, title="B", by=actor).number == 1
    assert services.agenda_item_add(meeting=other_committee, title="C", by=actor).number == 1


def test_a_number_used_that_year_is_refused_and_nothing_is_written(actor):
    first = MeetingFactory()
    services.agenda_item_add(meeting=first, title="A", number=12, by=actor)
    second = MeetingFactory(organization=first.organization)
    with pytest.raises(DomainError, match="Punkt 12 findes allerede i 2026"):
        services.agenda_item_add(meeting=second, title="B", number=12, by=actor)
    assert AgendaItem.objects.count() == 1


def test_absence_only_for_members_of_the_meetings_organization(actor):
    meeting = _held_meeting(actor)
    outsider = PersonFactory()
    with pytest.raises(DomainError, match="ikke medlem"):
        services.attendance_set(
            meeting=meeting, person=outsider, status=AttendanceStatus.ABSENT, by=actor
        )
    with pytest.raises(DomainError, match="ikke medlem"):
        services.item_participation_add(
            item=meeting.items.get(),
            person=outsider,
            kind=ItemParticipationKind.ABSENT,
            by=actor,
        )
    assert not meeting.attendances.exists()


def test_membership_that_ended_before_the_meeting_does_not_count(actor):
    meeting = _held_meeting(actor)
    former = MembershipFactory(
        organization=meeting.organization, end_date=dt.date(2025, 12, 31)
    ).person
    with pytest.raises(DomainError, match="ikke medlem"):
        services.attendance_set(
            meeting=meeting, person=former, status=AttendanceStatus.ABSENT, by=actor
        )


def _published_minutes(actor):
    meeting = _held_meeting(actor)
    member = MembershipFactory(organization=meeting.organization).person
    services.attendance_set(
        meeting=meeting, person=member, status=AttendanceStatus.PRESENT, by=actor
    )
    services.decision_record(
        item=meeting.items.get(), outcome=DecisionOutcome.APPROVED, text="Godkendt.", by=actor
    )
    return services.meeting_publish_minutes(meeting=meeting, by=actor), member


def test_approval_only_by_members_who_attended(actor):
    meeting, member = _published_minutes(actor)
    absent = MembershipFactory(organization=meeting.organization).person
    services.attendance_set(
        meeting=meeting, person=absent, status=AttendanceStatus.ABSENT, by=actor
    )
    with pytest.raises(DomainError, match="ikke medlem"):
        services.minutes_approve(meeting=meeting, person=PersonFactory(), by=actor)
    with pytest.raises(DomainError, match="deltog ikke"):
        services.minutes_approve(meeting=meeting, person=absent, by=actor)
    approval = services.minutes_approve(meeting=meeting, person=member, by=actor)
    assert list(meeting.approvals.all()) == [approval]


def test_an_approved_meeting_refuses_every_edit(actor):
    meeting, member = _published_minutes(actor)
    meeting.state = MeetingState.APPROVED  # the approval rule itself belongs to the office
    meeting.save()
    item = meeting.items.get()
    edits = [
        lambda: services.agenda_item_add(meeting=meeting, title="Ny", by=actor),
        lambda: services.agenda_item_update(item=item, title="Ny", expected_version=None, by=actor),
        lambda: services.section_add(item=item, heading="Ny", body="x", by=actor),
        lambda: services.decision_record(
            item=item, outcome=DecisionOutcome.REJECTED, text="", by=actor
        ),
        lambda: services.attendance_set(
            meeting=meeting, person=member, status=AttendanceStatus.ABSENT, by=actor
        ),
        lambda: services.item_participation_add(
            item=item, person=member, kind=ItemParticipationKind.CONFLICT, by=actor
        ),
        lambda: services.agenda_item_delete(item=item, by=actor),
    ]
    for edit in edits:
        with pytest.raises(services.MeetingLocked, match="godkendt og låst"):
            edit()
    item.refresh_from_db()
    assert item.title == "Sag 0"
    assert item.decision.outcome == DecisionOutcome.APPROVED


def test_deleting_a_meeting_with_published_minutes_is_refused(actor):
    meeting, _member = _published_minutes(actor)
    with pytest.raises(DomainError, match="offentliggjort referat"):
        services.meeting_delete(meeting=meeting, by=actor)
    assert type(meeting).objects.filter(pk=meeting.pk).exists()


def test_a_planned_meeting_can_be_deleted(actor):
    meeting = MeetingFactory()
    services.meeting_delete(meeting=meeting, by=actor)
    assert not type(meeting).objects.filter(pk=meeting.pk).exists()


def test_minutes_are_not_published_while_an_item_lacks_a_decision(actor):
    meeting = _held_meeting(actor, items=2)
    first = meeting.items.order_by("order").first()
    services.decision_record(item=first, outcome=DecisionOutcome.APPROVED, text="", by=actor)
    with pytest.raises(DomainError, match="mangler en beslutning"):
        services.meeting_publish_minutes(meeting=meeting, by=actor)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_a_stale_item_edit_is_refused_and_the_first_edit_stays(actor):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Original", by=actor)
    loaded_version = item.version
    services.agenda_item_update(
        item=item, title="Første", expected_version=loaded_version, by=actor
    )
    with pytest.raises(services.StaleEdit):
        services.agenda_item_update(
            item=item, title="Anden", expected_version=loaded_version, by=actor
        )
    item.refresh_from_db()
    assert item.title == "Første"


def test_a_vote_needs_a_voting_right(actor):
    meeting = _held_meeting(actor)
    observer = MembershipFactory(organization=meeting.organization, voting_right=False).person
    from gremium.meetings.models import VoteChoice

    with pytest.raises(DomainError, match="stemmeret"):
        services.vote_record(
            item=meeting.items.get(), person=observer, choice=VoteChoice.FOR, by=actor
        )


def test_one_paper_is_treated_in_many_items_and_organizations(actor):
    from gremium.papers.models import Paper

    committee = MeetingFactory()
    council = MeetingFactory(organization__body=committee.organization.body)
    paper = Paper.objects.create(body=committee.organization.body, reference="25/30508")
    services.agenda_item_add(meeting=committee, title="Budget", paper=paper, by=actor)
    services.agenda_item_add(meeting=council, title="Budget", paper=paper, by=actor)
    treated_by = {c.organization for c in paper.consultations.all()}
    assert treated_by == {committee.organization, council.organization}
    assert paper.agenda_items.count() == 2
