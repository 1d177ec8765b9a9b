"""Simultaneous clicks through the real HTTP stack: a live server with a thread per request,
against a database file (SQLite) or server (PostgreSQL) that the threads share.

Members press "Godkend" at the same instant, two secretaries save one item at the same
instant, three add items at once. No request may fail with a server error, nothing may be
recorded twice or lost, and the audit chain must stay one unbroken chain.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.db import connection

from gremium.audit.models import AuditRecord
from gremium.audit.selectors import audit_chain_verify
from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AttendanceStatus, DecisionOutcome, Meeting, MeetingState
from gremium.organizations.models import MembershipRole
from tests.concurrency.browser import Browser, at_once, find_form
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]
ROUNDS = 4  # 4 rounds of 3 approvals: the 12 requests of the original report
ACTOR = Actor.system("test")


@pytest.fixture(autouse=True)
def _shared_database():
    # In memory, every server thread would share the test's connection and never conflict:
    # the test would pass whatever the code does. Refuse to run like that.
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), (
            "run the concurrency tests on their own (pytest -m concurrency): they need the "
            "file database of tests/concurrency/conftest.py"
        )


def _no_server_errors(responses) -> None:
    failed = [r for r in responses if r.status >= 500]
    assert not failed, f"{len(failed)} of {len(responses)} requests failed: {failed[0].body[:2000]}"


def _published_minutes(members: int) -> tuple[Meeting, list]:
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Budget", by=ACTOR)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=ACTOR, keep_pdf=False)
    meeting = services.meeting_mark_held(meeting=meeting, by=ACTOR)
    users = []
    for n in range(members):
        user = UserFactory()
        person = MembershipFactory(
            organization=meeting.organization,
            person=PersonFactory(user=user),
            role=MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER,
        ).person
        services.attendance_set(
            meeting=meeting, person=person, status=AttendanceStatus.PRESENT, by=ACTOR
        )
        users.append(user)
    services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text="Ja.", by=ACTOR)
    return services.meeting_publish_minutes(meeting=meeting, by=ACTOR), users


def test_members_approving_at_the_same_instant_are_all_recorded_once(live_server):
    for _round in range(ROUNDS):
        meeting, users = _published_minutes(members=3)
        url = f"/kontor/moeder/{meeting.pk}/godkend/"
        browsers = [Browser(live_server.url, user) for user in users]
        forms = [find_form(b.get(url).body, button="approve") for b in browsers]
        responses = at_once(
            [
                partial(b.post, url, f.submission("approve"))
                for b, f in zip(browsers, forms, strict=True)
            ]
        )
        _no_server_errors(responses)
        assert [r.status for r in responses] == [302, 302, 302]
        meeting.refresh_from_db()
        assert meeting.state == MeetingState.APPROVED
        approvals = list(meeting.approvals.values_list("person__user_id", flat=True))
        assert sorted(approvals) == sorted(u.pk for u in users)
        assert services.valid_approvals(meeting).count() == 3
        actions = AuditRecord.objects.filter(meeting_id=meeting.pk)
        assert actions.filter(action="approval.add").count() == 3
        assert actions.filter(action="meeting.approve").count() == 1
    assert audit_chain_verify() is None


def _secretaries(live_server, organization, count: int) -> list[Browser]:
    """Browsers of `count` secretaries of the organization, logged in."""
    return [
        Browser(live_server.url, SecretaryAssignmentFactory(organization=organization).user)
        for _ in range(count)
    ]


def _item_with_text(organization) -> tuple[Meeting, object]:
    meeting = MeetingFactory(organization=organization)
    item = services.agenda_item_add(
        meeting=meeting,
        title="Skolestruktur",
        sections=[("Indstilling", "Første udkast")],
        by=ACTOR,
    )
    return meeting, item


def test_two_simultaneous_saves_of_one_item_keep_one_and_show_the_other_its_text(live_server):
    organization = OrganizationFactory()
    browsers = _secretaries(live_server, organization, 2)
    for round_ in range(ROUNDS):
        _meeting, item = _item_with_text(organization)
        url = f"/kontor/punkter/{item.pk}/"
        texts = [f"Runde {round_}: tekst fra sekretær {n}" for n in range(2)]
        submissions = []
        for browser, text in zip(browsers, texts, strict=True):
            form = find_form(browser.get(url).body, button="save")
            form.set("body_0", text)
            submissions.append(form.submission("save"))
        responses = at_once(
            [partial(b.post, url, s) for b, s in zip(browsers, submissions, strict=True)]
        )
        _no_server_errors(responses)
        assert sorted(r.status for r in responses) == [302, 409]
        winner = next(n for n, r in enumerate(responses) if r.status == 302)
        loser = responses[1 - winner]
        # The loser sees what was saved next to its own text, still in the form.
        assert "ændret af en anden" in loser.body
        assert texts[winner] in loser.body
        assert find_form(loser.body, button="save").get("body_0") == texts[1 - winner]
        item.refresh_from_db()
        bodies = [s.body for s in item.sections.all()]
        assert texts[winner] in bodies and texts[1 - winner] not in bodies
        updates = AuditRecord.objects.filter(action="agenda_item.update", object_id=str(item.pk))
        assert updates.count() == 1
    assert audit_chain_verify() is None


def test_items_added_at_the_same_instant_get_their_own_numbers(live_server):
    organization = OrganizationFactory()
    browsers = _secretaries(live_server, organization, 3)
    for round_ in range(ROUNDS):
        meeting = services.meeting_create_with_standing_items(
            organization=organization, start=MeetingFactory.build().start, by=ACTOR
        )
        url = f"/kontor/moeder/{meeting.pk}/"
        submissions = []
        for n, browser in enumerate(browsers):
            form = find_form(browser.get(url).body, action="/punkter/nyt/")
            form.set("title", f"Runde {round_}: punkt {n}")
            form.set("reference", f"26/{round_}")  # one new case for all three
            submissions.append((form.action, form.submission()))
        responses = at_once(
            [partial(b.post, *s) for b, s in zip(browsers, submissions, strict=True)]
        )
        _no_server_errors(responses)
        titles = {f"Runde {round_}: punkt {n}" for n in range(3)}
        assert set(meeting.items.filter(title__in=titles).values_list("title", flat=True)) == titles
        items = list(meeting.items.order_by("order"))
        assert len(items) == 4 + 3  # the standing items and the three new ones
        numbers = [i.number for i in items]
        assert len(set(numbers)) == len(numbers)
        assert len({i.order for i in items}) == len(items)
        assert len({i.paper_id for i in items if i.title in titles}) == 1
    assert audit_chain_verify() is None


def test_attachments_uploaded_at_the_same_instant_are_all_kept_in_order(live_server):
    organization = OrganizationFactory()
    browsers = _secretaries(live_server, organization, 3)
    for round_ in range(ROUNDS):
        _meeting, item = _item_with_text(organization)
        url = f"/kontor/punkter/{item.pk}/"
        uploads = []
        for n, browser in enumerate(browsers):
            form = find_form(browser.get(url).body, action="/bilag/")
            content = f"Bilag {n} i runde {round_}\n".encode()
            upload = (form.files[0], f"bilag-{n}.txt", content)
            uploads.append((form.action, form.submission(), *upload))
        responses = at_once(
            [partial(b.post_file, *u) for b, u in zip(browsers, uploads, strict=True)]
        )
        _no_server_errors(responses)
        attachments = list(item.attachments.order_by("order"))
        assert sorted(a.name for a in attachments) == [f"bilag-{n}" for n in range(3)]
        assert [a.order for a in attachments] == [1, 2, 3]
    assert audit_chain_verify() is None


def test_an_edit_racing_the_last_approval_never_changes_approved_minutes(live_server):
    for round_ in range(ROUNDS):
        meeting, users = _published_minutes(members=3)
        secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
        for user in users[:2]:
            services.minutes_approve(meeting=meeting, person=user.person, by=ACTOR)
        item = meeting.items.get()
        member, office = Browser(live_server.url, users[2]), Browser(live_server.url, secretary)
        approve_url, item_url = (
            f"/kontor/moeder/{meeting.pk}/godkend/",
            f"/kontor/punkter/{item.pk}/",
        )
        approval = find_form(member.get(approve_url).body, button="approve").submission("approve")
        edit = find_form(office.get(item_url).body, button="save")
        edit.set("body_0", f"Runde {round_}: rettet i sidste øjeblik")
        responses = at_once(
            [
                partial(member.post, approve_url, approval),
                partial(office.post, item_url, edit.submission("save")),
            ]
        )
        _no_server_errors(responses)
        meeting.refresh_from_db()
        if responses[1].status == 302:  # the edit came first: the old approvals lapse
            assert meeting.state == MeetingState.MINUTES_PUBLISHED
        else:  # the approval came first: the edit is refused, the approved text stands
            assert responses[1].status == 409, responses[1].body[:2000]
            assert meeting.state == MeetingState.APPROVED
            assert services.valid_approvals(meeting).count() == 3
    assert audit_chain_verify() is None
