"""Notices by mail through the task queue, asserted at a local SMTP server: who gets what,
with which subject and link; an invitation with the portal's UID; reminders that are never
sent twice; per-user choices; the private feed; and a closed item's text in no mail."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gremium.accounts.models import SecretaryAssignment
from gremium.meetings import services
from gremium.meetings.models import AttendanceStatus, DecisionOutcome, Meeting
from gremium.notices.models import Delivery, Notice, NoticeKind, NoticePreference
from gremium.notices.services import feed_token_renew
from gremium.organizations.models import MembershipRole
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory, UserFactory
from tests.smtp_server import start_server

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-LUKKET-7f3a"
SITE = "https://moeder.example.dk"


@pytest.fixture
def inbox(settings):
    controller, received, port = start_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.GREMIUM_SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "gremium@example.dk"
    yield received
    controller.stop()


def _member(organization, name, *, role=MembershipRole.MEMBER, login=True, **membership):
    person = PersonFactory(body=organization.body, name=name, email=f"{name}@example.dk")
    if login:
        person.user = UserFactory(username=name)
        person.save()
    MembershipFactory(person=person, organization=organization, role=role, **membership)
    return person


@pytest.fixture
def committee(actor):
    meeting = MeetingFactory(
        organization__name="Børne- og Uddannelsesudvalget",
        start=timezone.make_aware(dt.datetime(2026, 3, 2, 16, 0)),
    )
    organization = meeting.organization
    people = {
        "chair": _member(organization, "formand", role=MembershipRole.CHAIR),
        "member": _member(organization, "medlem"),
        "absent": _member(organization, "fravaerende"),
        "no_login": _member(organization, "papir", login=False),
        "left": _member(organization, "tidligere", end_date=dt.date(2026, 1, 1)),
        "substitute": _member(organization, "stedfortraeder", role=MembershipRole.SUBSTITUTE),
        "idle_substitute": _member(organization, "reserve", role=MembershipRole.SUBSTITUTE),
    }
    secretary = PersonFactory(
        body=organization.body, name="sekretaer", email="sekretaer@example.dk"
    )
    secretary.user = UserFactory(username="sekretaer")
    secretary.save()
    SecretaryAssignment.objects.create(user=secretary.user, organization=organization)
    people["secretary"] = secretary
    open_item = services.agenda_item_add(
        meeting=meeting,
        title="Budget 2027",
        sections=[("Sagsfremstilling", "Åben tekst.")],
        by=actor,
    )
    closed = services.agenda_item_add(
        meeting=meeting,
        title="Personalesag vedr. skoleleder",
        public=False,
        public_title="Lukket punkt: personalesag",
        sections=[("Sagsfremstilling", f"Fortroligt indhold {CANARY}")],
        by=actor,
    )
    services.attendance_set(
        meeting=meeting, person=people["absent"], status=AttendanceStatus.ABSENT, by=actor
    )
    services.attendance_set(
        meeting=meeting,
        person=people["substitute"],
        status=AttendanceStatus.SUBSTITUTE,
        substitute_for=people["absent"],
        by=actor,
    )
    return meeting, people, open_item, closed


def _publish(meeting, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.meeting_publish_agenda(meeting=meeting, by=actor)


def _no_canary(inbox):
    assert inbox.messages
    for message in inbox.messages:
        assert CANARY not in message.everything()


def test_published_agenda_goes_to_members_and_called_in_substitutes(
    committee, actor, inbox, django_capture_on_commit_callbacks
):
    meeting, people, _open_item, _closed = committee
    _publish(meeting, actor, django_capture_on_commit_callbacks)
    addresses = sorted(r for m in inbox.messages for r in m.recipients)
    assert addresses == sorted(
        f"{people[key].email}" for key in ("chair", "member", "absent", "substitute")
    )
    for message in inbox.messages:
        assert len(message.recipients) == 1  # no member sees the others' addresses
        assert message.subject == "Dagsorden: Børne- og Uddannelsesudvalget 02-03-2026 16:00"
        link = f"{SITE}{reverse('members:meeting', args=[meeting.pk])}"
        assert link in message.part("text/plain")
        assert f'href="{link}"' in message.part("text/html")
        # Members are insiders: the internal title is named, never the closed item's text.
        assert "Personalesag vedr. skoleleder" in message.part("text/plain")
        calendar = message.part("text/calendar")
        assert "METHOD:REQUEST" in calendar
        assert f"UID:meeting-{meeting.pk}@" in calendar
    _no_canary(inbox)


def test_invitation_uid_is_the_portal_calendar_uid(
    committee, actor, inbox, client, django_capture_on_commit_callbacks
):
    meeting, _people, _o, _c = committee
    _publish(meeting, actor, django_capture_on_commit_callbacks)
    portal = client.get(reverse("portal:body-ics")).content.decode()
    uid = next(
        line
        for line in inbox.messages[0].part("text/calendar").splitlines()
        if line.startswith("UID:")
    )
    assert uid in portal


def test_agenda_change_after_publication_is_told_once_per_change(
    committee, actor, inbox, django_capture_on_commit_callbacks
):
    meeting, people, _open_item, _closed = committee
    meeting = _publish(meeting, actor, django_capture_on_commit_callbacks)
    inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_add(meeting=meeting, title="Ekstra punkt", by=actor)
    changed = [m for m in inbox.messages if m.subject.startswith("Dagsorden ændret:")]
    assert sorted(r for m in changed for r in m.recipients) == sorted(
        people[key].email for key in ("chair", "member", "absent", "substitute")
    )
    assert f"{SITE}/medlem/moeder/{meeting.pk}/" in changed[0].part("text/plain")
    assert f"UID:meeting-{meeting.pk}@" in changed[0].part("text/calendar")
    # The same change announced again (another meeting_changed) sends nothing new.
    count = len(inbox.messages)
    with django_capture_on_commit_callbacks(execute=True):
        from gremium.meetings.signals import meeting_changed

        meeting_changed.send(sender=Meeting, meeting_id=meeting.pk)
    assert len(inbox.messages) == count


def _hold_and_publish_minutes(meeting, people, actor, capture):
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    for key in ("chair", "member"):
        services.attendance_set(
            meeting=meeting, person=people[key], status=AttendanceStatus.PRESENT, by=actor
        )
    for item in meeting.items.all():
        services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text="Ok.", by=actor)
    with capture(execute=True):
        return services.meeting_publish_minutes(meeting=meeting, by=actor)


def test_minutes_await_approval_then_one_reminder_then_approved(
    committee, actor, inbox, settings, client, django_capture_on_commit_callbacks
):
    meeting, people, _o, _c = committee
    meeting = _publish(meeting, actor, django_capture_on_commit_callbacks)
    inbox.messages.clear()
    meeting = _hold_and_publish_minutes(meeting, people, actor, django_capture_on_commit_callbacks)
    approve_link = f"{SITE}{reverse('office:approve', args=[meeting.pk])}"
    asked = [m for m in inbox.messages if m.subject.startswith("Referat til godkendelse:")]
    # The attending voters sign (the called-in substitute too), not the absent member.
    assert {r for m in asked for r in m.recipients} == {
        people[key].email for key in ("chair", "member", "substitute")
    }
    assert all(approve_link in m.part("text/plain") for m in asked)

    approve_href = f'href="/kontor/moeder/{meeting.pk}/godkend/"'
    client.force_login(people["chair"].user)
    assert approve_href in client.get("/medlem/").content.decode()  # waits for the chair
    services.minutes_approve(meeting=meeting, person=people["chair"], by=actor)
    assert approve_href not in client.get("/medlem/").content.decode()
    client.force_login(people["member"].user)
    assert approve_href in client.get("/medlem/").content.decode()
    settings.GREMIUM_APPROVAL_REMINDER_DAYS = 3
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_published_at=timezone.now() - dt.timedelta(days=4)
    )
    inbox.messages.clear()
    call_command("send-reminders")
    call_command("send-reminders")  # safe to repeat: no second reminder
    reminded = sorted(r for m in inbox.messages for r in m.recipients)
    assert reminded == sorted([people["member"].email, people["substitute"].email])
    assert all(m.subject.startswith("Påmindelse:") for m in inbox.messages)

    inbox.messages.clear()
    services.minutes_approve(meeting=meeting, person=people["member"], by=actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=meeting, person=people["substitute"], by=actor)
    approved = [m for m in inbox.messages if m.subject.startswith("Referat godkendt:")]
    assert sorted(r for m in approved for r in m.recipients) == sorted(
        people[key].email for key in ("chair", "member", "absent", "substitute", "secretary")
    )
    assert all(f"{SITE}/medlem/moeder/{meeting.pk}/" in m.part("text/plain") for m in approved)
    _no_canary(inbox)


def test_reminders_wait_the_set_number_of_days(
    committee, actor, inbox, settings, django_capture_on_commit_callbacks
):
    meeting, people, _o, _c = committee
    meeting = _publish(meeting, actor, django_capture_on_commit_callbacks)
    _hold_and_publish_minutes(meeting, people, actor, django_capture_on_commit_callbacks)
    settings.GREMIUM_APPROVAL_REMINDER_DAYS = 3
    inbox.messages.clear()
    call_command("send-reminders")
    assert inbox.messages == []


def test_choices_mute_a_kind_or_keep_it_to_the_feed(
    committee, actor, inbox, client, django_capture_on_commit_callbacks
):
    meeting, people, _o, _c = committee
    NoticePreference.objects.create(user=people["member"].user, delivery=Delivery.FEED_ONLY)
    NoticePreference.objects.create(
        user=people["chair"].user, muted=[NoticeKind.AGENDA_PUBLISHED.value]
    )
    _publish(meeting, actor, django_capture_on_commit_callbacks)
    assert sorted(r for m in inbox.messages for r in m.recipients) == sorted(
        [people["absent"].email, people["substitute"].email]
    )
    assert not Notice.objects.filter(person=people["chair"]).exists()

    token = feed_token_renew(people["member"].user)
    response = client.get(reverse("members:feed", args=[token]))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert [e.title for e in feed.entries] == [
        "Dagsorden: Børne- og Uddannelsesudvalget 02-03-2026 16:00"
    ]
    assert feed.entries[0].link == f"{SITE}/medlem/moeder/{meeting.pk}/"
    client.force_login(people["member"].user)
    start = client.get(reverse("members:start")).content.decode()
    assert f'href="{SITE}/medlem/moeder/{meeting.pk}/"' in start  # the start page lists it
    client.force_login(people["chair"].user)
    assert f"{SITE}/medlem/moeder/" not in client.get(reverse("members:start")).content.decode()
    client.logout()
    assert CANARY not in response.content.decode()
    # A renewed token revokes the old address.
    feed_token_renew(people["member"].user)
    assert client.get(reverse("members:feed", args=[token])).status_code == 404
    assert client.get(reverse("members:feed", args=["x" * 43])).status_code == 404


def test_preferences_page_saves_the_choice(committee, client):
    _meeting, people, _o, _c = committee
    client.force_login(people["member"].user)
    page = client.get(reverse("members:preferences"))
    assert page.status_code == 200
    response = client.post(
        reverse("members:preferences"),
        {"meddelelser-delivery": "feed", "meddelelser-kinds": ["minutes_approved"]},
    )
    assert response.status_code == 302
    preference = NoticePreference.objects.get(user=people["member"].user)
    assert preference.delivery == Delivery.FEED_ONLY
    assert not preference.wants(NoticeKind.AGENDA_PUBLISHED)
    assert preference.wants(NoticeKind.MINUTES_APPROVED)
    bad = client.post(reverse("members:preferences"), {"meddelelser-delivery": "fax"})
    assert bad.status_code == 200 and "meddelelser-delivery" in bad.content.decode()
    assert NoticePreference.objects.get(user=people["member"].user).delivery == Delivery.FEED_ONLY


def test_titles_are_escaped_in_the_html_mail(
    committee, actor, inbox, django_capture_on_commit_callbacks
):
    meeting, _people, _o, _c = committee
    services.agenda_item_add(meeting=meeting, title="Vej <script>x</script> & sti", by=actor)
    _publish(meeting, actor, django_capture_on_commit_callbacks)
    html = inbox.messages[0].part("text/html")
    assert "Vej &lt;script&gt;x&lt;/script&gt; &amp; sti" in html
    assert "<script>" not in html
    assert "Vej <script>x</script> & sti" in inbox.messages[0].part("text/plain")


def test_a_burst_of_agenda_edits_is_one_deferred_notice(
    committee, actor, inbox, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from gremium.jobs.worker import Worker

    meeting, people, _o, _c = committee
    meeting = _publish(meeting, actor, django_capture_on_commit_callbacks)
    inbox.messages.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.GREMIUM_TASKS = "database"
    settings.GREMIUM_AGENDA_CHANGE_DELAY_SECONDS = 600
    for title in ("Første tilføjelse", "Anden tilføjelse"):
        with django_capture_on_commit_callbacks(execute=True):
            services.agenda_item_add(meeting=meeting, title=title, by=actor)
    waiting = DBTaskResult.objects.filter(task_path__endswith="notify_agenda_changes")
    assert waiting.count() == 2
    assert all(row.run_after > timezone.now() + dt.timedelta(minutes=9) for row in waiting)
    Worker(worker_id="w1", batch=True, interval=0).run()
    assert inbox.messages == []  # not due yet
    waiting.update(run_after=timezone.now())
    for _ in range(3):  # the notices' mail jobs are queued by the first jobs
        Worker(worker_id="w1", batch=True, interval=0).run()
    assert sorted(r for m in inbox.messages for r in m.recipients) == sorted(
        people[key].email for key in ("chair", "member", "absent", "substitute")
    )


def test_invitation_lines_are_folded_and_escaped(committee):
    from gremium.notices.ics import invitation

    meeting, _people, _o, _c = committee
    text = invitation(
        meeting,
        summary="Børne- og Uddannelsesudvalget; ekstraordinært, møde " + "æøå" * 20,
        url="https://moeder.example.dk/medlem/moeder/1/",
        organizer="gremium@example.dk",
    )
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Børne- og Uddannelsesudvalget\\; ekstraordinært\\, møde" in unfolded
    assert unfolded.startswith("BEGIN:VCALENDAR\r\n") and unfolded.endswith("END:VCALENDAR\r\n")


def test_secretaries_are_asked_to_sign_under_the_chair_and_secretary_rule(
    committee, actor, django_capture_on_commit_callbacks
):
    from gremium.notices.recipients import pending_signers
    from gremium.organizations.models import SignatureRule

    meeting, people, _o, _c = committee
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor)
    meeting = _hold_and_publish_minutes(meeting, people, actor, django_capture_on_commit_callbacks)
    assert people["secretary"] not in set(pending_signers(meeting))
    meeting.organization.signature_rule = SignatureRule.CHAIR_AND_SECRETARY
    meeting.organization.save()
    assert people["secretary"] in set(pending_signers(meeting))
