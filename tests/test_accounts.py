"""Logging in: passwords, throttling, and the second factor the municipality may demand."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import MeetingFactory, SecretaryAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "hemmelig-kode-42"


def _login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        "/konto/log-ind/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_login_page_is_danish_and_passwords_are_hashed(client):
    user = UserFactory(username="anna")
    assert "Log ind" in client.get("/konto/log-ind/").content.decode()
    assert PASSWORD not in user.password and user.check_password(PASSWORD)
    from gremium import settings as project_settings

    assert not hasattr(project_settings, "PASSWORD_HASHERS")  # Django's PBKDF2 default
    response = _login(client, "anna")
    assert response.status_code == 302 and response["Location"] == "/kontor/"


def test_five_failures_lock_the_username_even_from_another_address(client):
    UserFactory(username="anna")
    for n in range(5):
        assert _login(client, "anna", "forkert", ip=f"10.0.0.{n}").status_code == 200
    response = _login(client, "anna", ip="10.9.9.9")
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address(client):
    UserFactory(username="bent")
    for n in range(5):
        _login(client, f"gæt{n}", "forkert", ip="10.0.0.7")
    assert _login(client, "bent", ip="10.0.0.7").status_code == 429
    assert _login(client, "bent", ip="10.0.0.8").status_code == 302


def test_login_with_a_device_asks_for_the_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp pauses a device after a wrong code
    user = UserFactory(username="carl")
    device = TOTPDevice.objects.create(user=user, name="gremium", confirmed=True)
    response = _login(client, "carl")
    assert response["Location"] == "/konto/log-ind/kode/"
    assert "_auth_user_id" not in client.session  # not logged in before the code
    wrong = client.post("/konto/log-ind/kode/", {"token": "000000"})
    assert "forkert eller udløbet" in wrong.content.decode()
    response = client.post("/konto/log-ind/kode/", {"token": _token(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_two_factor_is_enforced_for_secretaries_when_the_body_demands_it(client):
    assignment = SecretaryAssignmentFactory()
    body = assignment.organization.body
    body.require_two_factor_for_approvers = True
    body.save()
    meeting = MeetingFactory(organization=assignment.organization)
    client.force_login(assignment.user)
    url = f"/kontor/moeder/{meeting.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/konto/totrin/")
    setup = client.get("/konto/totrin/")
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=assignment.user, confirmed=False)
    client.post("/konto/totrin/", {"token": _token(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(url).status_code == 200
    # A new login without the code is not enough.
    client.logout()
    client.force_login(assignment.user)
    assert client.get(url)["Location"].startswith("/konto/log-ind/")


def test_the_setup_page_shows_the_key_as_apps_take_it_typed_in(client):
    # Authenticator apps take a typed key in base32, the same key the QR code carries.
    user = UserFactory()
    client.force_login(user)
    html = client.get("/konto/totrin/").content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert f"secret={key}" in device.config_url
    shown = re.search(r"<code>([A-Z2-7 ]+)</code>", html)
    assert shown is not None and shown.group(1).replace(" ", "") == key
