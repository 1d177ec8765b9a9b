"""Approving the minutes: signature rules, withdrawal, stale texts, dissent and addenda."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from gremium.accounts.models import SecretaryAssignment
from gremium.audit.models import AuditRecord
from gremium.documents.build import build_document
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.minutes import current_minutes_sha256
from gremium.meetings.models import AttendanceStatus, DecisionOutcome, MeetingState
from gremium.organizations.models import MembershipRole, SignatureRule
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _minutes(actor, *, members=3, rule=SignatureRule.ALL_PARTICIPANTS, required=2):
    """Published minutes of a meeting with one decided item; the first member chairs."""
    meeting = MeetingFactory()
    organization = meeting.organization
    organization.signature_rule = rule
    organization.signature_members_required = required
    organization.save()
    item = services.agenda_item_add(meeting=meeting, title="Budget", by=actor)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    people = []
    for n in range(members):
        role = MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER
        person = MembershipFactory(organization=organization, role=role).person
        services.attendance_set(
            meeting=meeting, person=person, status=AttendanceStatus.PRESENT, by=actor
        )
        people.append(person)
    services.decision_record(
        item=item, outcome=DecisionOutcome.APPROVED, text="Godkendt.", by=actor
    )
    meeting = services.meeting_publish_minutes(meeting=meeting, by=actor)
    return meeting, item, people


def _state(meeting):
    meeting.refresh_from_db()
    return meeting.state


def test_every_participating_member_must_approve_by_default(actor):
    meeting, _item, people = _minutes(actor)
    for person in people[:-1]:
        services.minutes_approve(meeting=meeting, person=person, by=actor)
        assert _state(meeting) == MeetingState.MINUTES_PUBLISHED
    approval = services.minutes_approve(meeting=meeting, person=people[-1], by=actor)
    assert approval.minutes_sha256 == current_minutes_sha256(meeting)
    assert _state(meeting) == MeetingState.APPROVED
    assert meeting.content_locked and meeting.approved_at is not None
    assert AuditRecord.objects.filter(action="meeting.approve", meeting_id=meeting.pk).exists()
    with pytest.raises(services.MeetingLocked):
        services.agenda_item_add(meeting=meeting, title="Sent", by=actor)


def test_absent_members_are_not_needed(actor):
    meeting, _item, people = _minutes(actor)
    absent = people[2]
    meeting.state = MeetingState.HELD
    meeting.save()
    services.attendance_set(
        meeting=meeting, person=absent, status=AttendanceStatus.ABSENT, by=actor
    )
    meeting = services.meeting_publish_minutes(meeting=meeting, by=actor)
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    services.minutes_approve(meeting=meeting, person=people[1], by=actor)
    assert _state(meeting) == MeetingState.APPROVED


def test_chair_and_n_members(actor):
    meeting, _item, people = _minutes(
        actor, members=4, rule=SignatureRule.CHAIR_AND_MEMBERS, required=2
    )
    services.minutes_approve(meeting=meeting, person=people[1], by=actor)
    services.minutes_approve(meeting=meeting, person=people[2], by=actor)
    assert _state(meeting) == MeetingState.MINUTES_PUBLISHED  # the chair is missing
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    assert _state(meeting) == MeetingState.APPROVED


def test_chair_and_secretary(actor):
    meeting, _item, people = _minutes(actor, rule=SignatureRule.CHAIR_AND_SECRETARY)
    user = User.objects.create_user("sekr")
    secretary = PersonFactory(user=user)
    SecretaryAssignment.objects.create(user=user, organization=meeting.organization)
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    services.minutes_approve(meeting=meeting, person=people[1], by=actor)
    assert _state(meeting) == MeetingState.MINUTES_PUBLISHED
    services.minutes_approve(meeting=meeting, person=secretary, by=actor)
    assert _state(meeting) == MeetingState.APPROVED


def test_withdraw_own_approval_until_final(actor):
    meeting, _item, people = _minutes(actor, members=2)
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    services.approval_withdraw(meeting=meeting, person=people[0], by=actor)
    assert not services.valid_approvals(meeting).exists()
    with pytest.raises(DomainError, match="ingen godkendelse"):
        services.approval_withdraw(meeting=meeting, person=people[0], by=actor)
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    services.minutes_approve(meeting=meeting, person=people[1], by=actor)
    assert _state(meeting) == MeetingState.APPROVED
    with pytest.raises(DomainError, match="endeligt godkendt"):
        services.approval_withdraw(meeting=meeting, person=people[0], by=actor)


def test_approval_of_an_older_text_does_not_count(actor):
    meeting, item, people = _minutes(actor, members=2)
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    services.decision_record(
        item=item, outcome=DecisionOutcome.APPROVED, text="Godkendt med ændring.", by=actor
    )
    assert not services.valid_approvals(meeting).exists()
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    assert all(sig.signed_at is None for sig in document.signatures)
    services.minutes_approve(meeting=meeting, person=people[1], by=actor)
    assert _state(meeting) == MeetingState.MINUTES_PUBLISHED  # people[0] approved old text
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    assert _state(meeting) == MeetingState.APPROVED


def test_reservation_on_a_named_item_is_shown_with_the_signature(actor):
    meeting, item, people = _minutes(actor, members=2)
    with pytest.raises(DomainError, match="Skriv forbeholdet"):
        services.minutes_approve(meeting=meeting, person=people[0], reservation_item=item, by=actor)
    services.minutes_approve(
        meeting=meeting,
        person=people[0],
        reservation="Ikke enig i beløbet",
        reservation_item=item,
        by=actor,
    )
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    signed = [sig for sig in document.signatures if sig.signed_at]
    assert signed[0].reservation == f"Punkt {item.number}: Ikke enig i beløbet"


def test_dissent_is_shown_under_the_decision(actor):
    meeting, item, people = _minutes(actor, members=2)
    services.dissent_add(item=item, person=people[1], text="Jeg stemte imod.", by=actor)
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    assert document.items[0].dissents[0].text == "Jeg stemte imod."
    assert document.items[0].dissents[0].name == people[1].name
    with pytest.raises(DomainError, match="ikke medlem"):
        services.dissent_add(item=item, person=PersonFactory(), text="x", by=actor)


def test_addendum_keeps_the_text_and_asks_for_new_approvals(actor):
    meeting, item, people = _minutes(actor, members=2)
    for person in people:
        services.minutes_approve(meeting=meeting, person=person, by=actor)
    assert _state(meeting) == MeetingState.APPROVED
    with pytest.raises(DomainError, match="Begrundelse"):
        services.meeting_add_addendum(item=item, text="Beløbet er 2 mio.", reason="", by=actor)
    services.meeting_add_addendum(item=item, text="Beløbet er 2 mio.", reason="Tastefejl", by=actor)
    assert _state(meeting) == MeetingState.MINUTES_PUBLISHED
    assert not services.valid_approvals(meeting).exists()
    assert meeting.approvals.filter(superseded_at__isnull=False).count() == 2
    item.decision.refresh_from_db()
    assert item.decision.text == "Godkendt."
    with pytest.raises(services.MeetingLocked):
        services.decision_record(item=item, outcome=DecisionOutcome.REJECTED, text="", by=actor)
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    assert "Beløbet er 2 mio." in document.items[0].addenda[0].text
    assert "Tastefejl" in document.items[0].addenda[0].text
    for person in people:
        services.minutes_approve(meeting=meeting, person=person, by=actor)
    assert _state(meeting) == MeetingState.APPROVED


def test_addendum_only_after_approval(actor):
    _meeting, item, _people = _minutes(actor)
    with pytest.raises(DomainError, match="ikke godkendt endnu"):
        services.meeting_add_addendum(item=item, text="x", reason="y", by=actor)


def test_a_withdrawal_and_a_reservation_appear_in_the_minutes(actor):
    import io

    import pypdf

    from gremium.documents.markdown import render_markdown
    from gremium.documents.pdf import render_pdf

    meeting, item, people = _minutes(actor, members=3)
    services.minutes_approve(
        meeting=meeting,
        person=people[0],
        by=actor,
        reservation="Uenig i tidsplanen",
        reservation_item=item,
    )
    services.minutes_approve(meeting=meeting, person=people[1], by=actor)
    services.approval_withdraw(meeting=meeting, person=people[1], by=actor)
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    markdown = render_markdown(document)
    assert f"{people[0].name}: Godkendt" in markdown
    assert "med forbehold: Punkt" in markdown and "Uenig i tidsplanen" in markdown
    assert f"{people[1].name}: Godkendelse trukket tilbage" in markdown
    pdf = render_pdf(document)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Godkendelse trukket tilbage" in text
    assert "Uenig i tidsplanen" in text
