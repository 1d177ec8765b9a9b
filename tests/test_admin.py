"""The admin: gremium's login and two-factor, an audit record for every write, and
approved records that stay locked."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gremium.adminsite.audit import changes_audited_as
from gremium.audit.models import AuditRecord
from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, Meeting, MeetingState, Section
from gremium.organizations.models import Location, Person
from gremium.papers.models import Paper
from tests.admin_form import form_values
from tests.factories import BodyFactory, MeetingFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "hemmelig-kode-42"


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("admin", password=PASSWORD, first_name="Ada")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _require_two_factor():
    body = BodyFactory()
    body.require_two_factor_for_approvers = True
    body.save()


def _token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _admin_login(client, username, password=PASSWORD, ip="10.0.0.1"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/", data, REMOTE_ADDR=ip)


def _records(action_prefix="admin."):
    return list(AuditRecord.objects.filter(action__startswith=action_prefix).order_by("id"))


def _post_form(client, url, form_id, **changes):
    """Load an admin form, change some fields, and submit it as a browser would."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_values(page.content.decode(), form_id)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, {**data, "_save": "Gem"})


def _verified_chain():
    call_command("audit", "verify")


# Logging in: the throttle and the second factor


def test_the_admin_login_is_gremiums_login(client):
    response = client.get("/admin/login/?next=/admin/meetings/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/log-ind/?next=%2Fadmin%2Fmeetings%2F"


def test_the_admin_login_is_throttled_like_every_login(client, settings):
    User.objects.create_superuser("ada", password=PASSWORD)
    for n in range(settings.GREMIUM_LOGIN_MAX_FAILURES):
        assert _admin_login(client, "ada", "forkert", ip=f"10.0.1.{n}").status_code == 200
    response = _admin_login(client, "ada", ip="10.0.9.9")  # the right password, too late
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_password_alone_does_not_open_the_admin_when_two_factor_is_required(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _require_two_factor()
    user = User.objects.create_superuser("ada", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="gremium", confirmed=True)
    person = PersonFactory(name="Før")
    url = f"/admin/organizations/person/{person.pk}/change/"

    assert _admin_login(client, "ada")["Location"] == "/konto/log-ind/kode/"
    assert client.get(url).status_code == 302  # the password opened nothing

    client.force_login(user)  # a session with the password only, however it was had
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/konto/log-ind/")
    refused = client.post(url, {"name": "Efter", "body": person.body_id, "_save": "Gem"})
    assert refused.status_code == 302
    person.refresh_from_db()
    assert person.name == "Før" and not _records()

    client.post("/admin/login/", {"username": "ada", "password": PASSWORD})
    verified = client.post("/konto/log-ind/kode/", {"token": _token(device)})
    assert verified.status_code == 302
    assert client.get(url).status_code == 200


def test_staff_without_a_device_are_sent_to_set_one_up(client):
    _require_two_factor()
    user = UserFactory(username="bo", is_staff=True)
    response = _admin_login(client, "bo")  # a right password without a device logs in
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/totrin/?next=%2Fadmin%2F")
    assert (
        "Administrationen kræver totrinsbekræftelse"
        in client.get(response["Location"]).content.decode()
    )
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_setting_demands_two_factor_for_the_admin_without_any_body_doing_so(
    admin_client, settings
):
    assert admin_client.get("/admin/").status_code == 200
    settings.GREMIUM_ADMIN_REQUIRE_TWO_FACTOR = True
    assert admin_client.get("/admin/").status_code == 302


# Every write is audited


def test_an_admin_change_writes_a_record_that_verify_accepts(admin_client, admin_user):
    person = PersonFactory(name="Anne Hansen")
    url = f"/admin/organizations/person/{person.pk}/change/"
    assert _post_form(admin_client, url, "person_form", name="Anne Jensen").status_code == 302
    [record] = _records()
    assert record.action == "admin.change"
    assert record.object_type == "organizations.person" and record.object_id == str(person.pk)
    assert record.actor_id == admin_user.pk and record.actor_name == "Ada"
    assert record.before["name"] == "Anne Hansen" and record.after["name"] == "Anne Jensen"
    assert record.meeting_id is None
    _verified_chain()


def test_saving_unchanged_writes_nothing(admin_client):
    person = PersonFactory(name="Anne Hansen")
    url = f"/admin/organizations/person/{person.pk}/change/"
    _post_form(admin_client, url, "person_form")
    assert [r.action for r in _records()] in ([], ["admin.change"])
    # Person keeps a `modified` timestamp, so a save changes it; nothing else may differ.
    for record in _records():
        changed = {k for k in record.after if record.before[k] != record.after[k]}
        assert changed <= {"modified"}


def test_adding_in_the_admin_is_audited(admin_client):
    body = BodyFactory()
    response = admin_client.post(
        "/admin/organizations/location/add/",
        {"description": "Byrådssalen", "body": body.pk, "_save": "Gem"},
    )
    assert response.status_code == 302
    location = Location.objects.get(description="Byrådssalen")
    [record] = _records()
    assert record.action == "admin.add" and record.object_id == str(location.pk)
    assert record.before is None and record.after["description"] == "Byrådssalen"


def _meeting_with_section(actor):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Budget", by=actor)
    services.section_add(item=item, heading="Sagsfremstilling", body="Tekst", by=actor)
    return meeting, item


def test_inline_changes_are_audited_with_their_meeting(admin_client, actor):
    meeting, item = _meeting_with_section(actor)
    section = item.sections.get()
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    prefix = "sections-0"
    response = _post_form(admin_client, url, "agendaitem_form", **{f"{prefix}-body": "Ny tekst"})
    assert response.status_code == 302
    [record] = [r for r in _records() if r.object_type == "meetings.section"]
    assert record.object_id == str(section.pk) and record.meeting_id == meeting.pk
    assert record.before["body"] == "Tekst" and record.after["body"] == "Ny tekst"
    _verified_chain()


def test_the_meetings_history_shows_admin_changes_in_danish(admin_client, actor):
    meeting, item = _meeting_with_section(actor)
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    _post_form(admin_client, url, "agendaitem_form", title="Budget 2027")
    history = admin_client.get(f"/kontor/moeder/{meeting.pk}/historik/").content.decode()
    assert "<td>Administration: ændret</td><td>dagsordenspunkt " in history
    assert "<td>Dagsordenspunkt: tilføjet</td>" in history
    assert "<td>Afsnit: tilføjet</td><td>afsnit " in history
    assert "agenda_item.add" not in history and "meetings.agendaitem" not in history


def test_a_delete_and_its_cascade_are_audited(admin_client, actor):
    meeting, item = _meeting_with_section(actor)
    section = item.sections.get()
    response = admin_client.post(f"/admin/meetings/agendaitem/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    deleted = {(r.object_type, r.object_id): r for r in _records("admin.delete")}
    assert set(deleted) >= {
        ("meetings.agendaitem", str(item.pk)),
        ("meetings.section", str(section.pk)),
    }
    assert all(r.meeting_id == meeting.pk and r.after is None for r in deleted.values())
    assert deleted[("meetings.agendaitem", str(item.pk))].before["title"] == "Budget"
    _verified_chain()


def test_the_bulk_delete_action_is_audited(admin_client):
    people = [PersonFactory(), PersonFactory()]
    response = admin_client.post(
        "/admin/organizations/person/",
        {
            "action": "delete_selected",
            "_selected_action": [p.pk for p in people],
            "post": "yes",
        },
    )
    assert response.status_code == 302 and not Person.objects.exists()
    assert {r.object_id for r in _records("admin.delete")} == {str(p.pk) for p in people}
    _verified_chain()


def test_a_password_set_in_the_admin_is_audited_without_the_secret(admin_client):
    user = UserFactory(username="bo")
    old_hash = user.password
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "en-ny-lang-kode-2026", "password2": "en-ny-lang-kode-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    [record] = _records()
    assert record.object_type == "auth.user" and record.object_id == str(user.pk)
    assert record.before["password"] != record.after["password"]
    assert record.after["password"].startswith("sha256:")
    stored = str(AuditRecord.objects.values_list("before", "after").get(pk=record.pk))
    assert old_hash not in stored and user.password not in stored


def test_group_membership_changes_are_audited(admin_client):
    user = UserFactory(username="bo")
    group = Group.objects.create(name="Redaktører")
    url = f"/admin/auth/user/{user.pk}/change/"
    response = _post_form(admin_client, url, "user_form", groups=str(group.pk))
    assert response.status_code == 302
    [record] = [r for r in _records() if r.before == {"groups": []}]
    assert record.after == {"groups": [group.pk]} and record.object_id == str(user.pk)


def test_the_audit_log_stays_read_only_in_the_admin(admin_client, actor):
    _meeting_with_section(actor)
    record = AuditRecord.objects.first()
    url = f"/admin/audit/auditrecord/{record.pk}/"
    assert admin_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"{url}change/", {"action": "x"}).status_code == 403
    assert admin_client.get("/admin/audit/auditrecord/add/").status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk, action=record.action).exists()


# An approved record stays locked


def _lock(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.APPROVED, content_locked=True)


def test_an_approved_meetings_record_is_read_only_in_the_admin(admin_client, actor):
    meeting, item = _meeting_with_section(actor)
    _lock(meeting)
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="_save"' not in page and 'name="title"' not in page
    refused = admin_client.post(url, {"title": "Ændret", "_save": "Gem"})
    assert refused.status_code == 403
    assert admin_client.post(f"{url[:-7]}delete/", {"post": "yes"}).status_code == 403
    meeting_url = f"/admin/meetings/meeting/{meeting.pk}/"
    assert admin_client.post(f"{meeting_url}delete/", {"post": "yes"}).status_code == 403
    item.refresh_from_db()
    assert item.title == "Budget" and Section.objects.filter(agenda_item=item).exists()
    assert not _records()


def test_a_bulk_delete_that_reaches_a_locked_record_changes_nothing(admin_client, actor):
    meeting, item = _meeting_with_section(actor)
    _open_meeting, open_item = _meeting_with_section(actor)
    _lock(meeting)
    response = admin_client.post(
        "/admin/meetings/agendaitem/",
        {
            "action": "delete_selected",
            "_selected_action": [item.pk, open_item.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 403
    assert AgendaItem.objects.filter(pk__in=[item.pk, open_item.pk]).count() == 2
    assert not _records()


def test_an_inline_that_reaches_a_locked_record_is_refused_with_the_reason(admin_client, actor):
    # The paper is not part of any meeting and stays editable; its consultation in an
    # approved meeting is part of that record.
    meeting = MeetingFactory()
    paper = Paper.objects.create(body=meeting.organization.body, reference="26/1", name="B")
    services.agenda_item_add(meeting=meeting, title="Budget", paper=paper, by=actor)
    _lock(meeting)
    url = f"/admin/papers/paper/{paper.pk}/change/"
    response = _post_form(
        admin_client, url, "paper_form", name="Ny titel", **{"consultations-0-role": "x"}
    )
    assert response.status_code == 403
    assert "er godkendt, og det godkendte referat er låst" in response.content.decode()
    paper.refresh_from_db()
    assert paper.name == "B" and paper.consultations.get().role == ""
    assert not _records()


def test_no_write_under_the_admin_reaches_a_locked_record(actor, admin_user):
    meeting, item = _meeting_with_section(actor)
    _lock(meeting)
    section = item.sections.get()
    section.body = "Ændret"
    writes = [
        section.save,
        Section.objects.filter(pk=section.pk).delete,
        lambda: Section.objects.create(agenda_item=item, heading="Ny", body="", order=9),
    ]
    with changes_audited_as(Actor.of(admin_user)):
        for write in writes:
            # The admin runs each write request in one transaction, as here.
            with pytest.raises(PermissionDenied, match="godkendt"), transaction.atomic():
                write()
    assert Section.objects.get(pk=section.pk).body == "Tekst"
