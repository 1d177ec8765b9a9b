"""Danish unless the visitor chooses another language, and the site's own error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from gremium.lib.error_pages import server_error
from tests.factories import UserFactory

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}


def _assert_danish_page(html: str) -> None:
    """lang="da", the site's layout (its navigation) and a way back to the front page."""
    assert re.search(r'<html lang="da">', html), html[:300]
    assert 'aria-label="Hovedmenu"' in html
    assert '<a href="/">Gå til forsiden</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [ENGLISH, GERMAN])
def test_a_browser_in_another_language_gets_danish(client, accept):
    response = client.get("/", **accept)
    assert '<html lang="da">' in response.content.decode()
    assert response["Content-Language"] == "da"


@pytest.mark.django_db
def test_the_switcher_changes_the_language_and_the_browser_does_not(client):
    response = client.post("/sprog/", {"language": "en", "next": "/konto/log-ind/"}, **GERMAN)
    assert response.status_code == 302 and response["Location"] == "/konto/log-ind/"
    page = client.get("/konto/log-ind/", **GERMAN)
    assert '<html lang="en">' in page.content.decode() and page["Content-Language"] == "en"
    client.post("/sprog/", {"language": "xx", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()  # an unknown one changes nothing
    client.cookies["django_language"] = "xx"
    assert '<html lang="da">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_switcher_names_each_language_in_itself(client):
    html = client.get("/").content.decode()
    assert '<form class="language-switch" method="post" action="/sprog/">' in html
    assert '<label for="language-switch-language">Sprog</label>' in html
    for code, name in (("da", "dansk"), ("en", "English"), ("de", "Deutsch")):
        assert f'<option value="{code}" lang="{code}"' in html and f">{name}</option>" in html


@pytest.mark.django_db
def test_django_own_form_messages_are_danish(client):
    html = client.post("/konto/log-ind/", {"username": "", "password": ""}, **ENGLISH)
    text = html.content.decode()
    assert "Dette felt er påkrævet." in text
    assert "This field is required" not in text


@pytest.mark.django_db
def test_wrong_password_message_is_danish(client):
    UserFactory(username="anna")
    text = client.post(
        "/konto/log-ind/", {"username": "anna", "password": "forkert"}, **ENGLISH
    ).content.decode()
    assert "Indtast venligst korrekt brugernavn og adgangskode" in text


@pytest.mark.django_db
def test_the_admin_speaks_danish_to_an_english_browser(client):
    admin = User.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    text = client.get("/admin/", **ENGLISH).content.decode()
    assert '<html lang="da"' in text
    assert "Site administration" not in text and "Log out" not in text
    # gremium's own apps are named in Danish too
    assert "Meetings" not in text and "Organizations" not in text and "Accounts" not in text
    assert "Møder og referater" in text


# Error pages, in production mode (DEBUG off), through URLs that fail on purpose.


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/fejl/400/", 400, "Forespørgslen kunne ikke forstås"),
        ("/fejl/403/", 403, "Ingen adgang"),
        ("/findes/ikke/", 404, "Siden findes ikke"),
        ("/moeder/999999/", 404, "Siden findes ikke"),
        ("/fejl/500/", 500, "Der opstod en fejl"),
    ],
)
def test_error_pages_are_danish_in_the_layout_and_lead_back(production, url, status, title):
    client = Client(raise_request_exception=False)
    response = client.get(url, **ENGLISH)
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in html
    assert f"HTTP {status}" in html
    _assert_danish_page(html)
    assert "Not Found" not in html and "Server Error" not in html and "Forbidden" not in html


@pytest.mark.django_db
def test_an_error_page_leads_back_to_the_page_the_visitor_came_from(production):
    client = Client()
    html = client.get(
        "/findes/ikke/", HTTP_REFERER="http://testserver/moeder/?side=2"
    ).content.decode()
    assert '<a href="/moeder/?side=2">Gå tilbage til den forrige side</a>' in html
    elsewhere = client.get("/findes/ikke/", HTTP_REFERER="https://example.org/x/").content
    assert b"example.org" not in elsewhere and b"forrige side" not in elsewhere


@pytest.mark.django_db
def test_403_names_gremiums_reason_and_offers_a_login_to_the_anonymous(production):
    html = Client().get("/fejl/403-besked/").content.decode()
    assert "Kun sekretariatet må dette." in html
    assert '<a href="/konto/log-ind/?next=%2Ffejl%2F403-besked%2F">Log ind</a>' in html


@pytest.mark.django_db
def test_a_refused_form_gets_the_danish_csrf_page(production):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/log-ind/", {"username": "a", "password": "b"}, **ENGLISH)
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Formularen kunne ikke sendes</h1>" in html
    assert "CSRF" not in html
    _assert_danish_page(html)


@pytest.mark.django_db
def test_the_login_throttle_answers_with_a_danish_429_page(production, settings):
    settings.GREMIUM_LOGIN_WINDOW_MINUTES = 20
    client = Client()
    for _ in range(settings.GREMIUM_LOGIN_MAX_FAILURES):
        client.post("/konto/log-ind/", {"username": "anna", "password": "x"})
    response = client.post("/konto/log-ind/", {"username": "anna", "password": "x"}, **ENGLISH)
    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>For mange forsøg</h1>" in html and "Vent 20 minutter" in html
    assert '<a href="/konto/log-ind/">Til siden Log ind</a>' in html
    _assert_danish_page(html)


def test_the_500_page_renders_without_database_or_session(settings):
    # No django_db mark: any database access here fails the test.
    settings.DEBUG = False
    request = RequestFactory().get("/moeder/1/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Der opstod en fejl</h1>" in html
    _assert_danish_page(html)


# Words that Django derives from a field's name and that are Danish as they stand.
SAME_IN_DANISH = {"person", "version", "hash", "sha256"}


def test_every_field_of_gremiums_models_has_a_danish_label():
    # Without verbose_name the admin labels a field with its English attribute name
    # ("Organization", "Created"): each field names itself in Danish instead.
    from django.apps import apps

    english = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        # A proxy's fields are its concrete model's (accounts.TwoFactorDevice is
        # django-otp's device, shown through Danish columns of its own).
        if model.__module__.startswith("gremium.") and not model._meta.proxy
        for field in model._meta.concrete_fields
        if field.name != "id"
        and field._verbose_name is None  # type: ignore[attr-defined]
        and field.name not in SAME_IN_DANISH
    ]
    assert english == []


@pytest.mark.django_db
def test_the_admins_forms_and_lists_label_fields_in_danish(client, demo_meeting):
    client.force_login(User.objects.create_superuser("admin", password="x"))
    item = demo_meeting.items.first()
    html = "".join(
        client.get(url, **ENGLISH).content.decode()
        for url in [
            f"/admin/meetings/meeting/{demo_meeting.pk}/change/",
            f"/admin/meetings/agendaitem/{item.pk}/change/",
            "/admin/papers/attachment/",
            "/admin/audit/auditrecord/",
        ]
    )
    for english in ("Organization", "Agenda item", "Approved at", "Meeting id", "Modified"):
        assert english not in html
    assert "Organisation" in html and "Møde-id" in html
    assert "Møde: importeret" in html and ">meeting.import<" not in html
