"""Two app servers (gunicorn) against one database and one file store, as behind a load
balancer: what one does, the other knows at once. The login throttle counts across both,
an approval through one shows on the other (which had the old page in its memory), and a
file uploaded through one is served by the other."""

from __future__ import annotations

import contextlib
import urllib.parse

import pytest

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import Meeting
from gremium.papers.models import Attachment
from tests.concurrency.browser import Browser, find_form
from tests.concurrency.test_simultaneous_clicks import _published_minutes
from tests.factories import MeetingFactory, SecretaryAssignmentFactory, UserFactory
from tests.processes import running

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]
ACTOR = Actor.system("test")


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """The addresses of two running app servers sharing the test database and files,
    started once for this module (they keep nothing between tests but their memory)."""
    tmp_path = tmp_path_factory.mktemp("servers")
    env = running.environment(tmp_path)
    ports = [running.free_port(), running.free_port()]
    with contextlib.ExitStack() as stack:
        for n, port in enumerate(ports):
            log = tmp_path / f"server-{n}.log"
            stack.enter_context(running.app_server(port, env, log))
        for n, port in enumerate(ports):
            log = tmp_path / f"server-{n}.log"
            running.wait_for(lambda port=port: running.answers(port), "server up", log)
        yield [f"http://127.0.0.1:{port}" for port in ports]


class Visitor(Browser):
    """A browser without a login."""

    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies = {}


def _log_in(base_url: str, username: str, password: str):
    visitor = Visitor(base_url)
    form = find_form(visitor.get("/konto/log-ind/").body, action="/konto/log-ind/")
    form.set("username", username)
    form.set("password", password)
    return visitor.post("/konto/log-ind/", form.submission())


def test_a_login_throttled_on_one_server_is_throttled_on_the_other(servers, settings):
    one, other = servers
    # The servers check passwords with the production hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(username="kontrol")
    assert _log_in(other, "kontrol", "hemmelig-kode-42").status == 302  # logins work there
    UserFactory(username="gætter")
    for _attempt in range(settings.GREMIUM_LOGIN_MAX_FAILURES):
        assert _log_in(one, "gætter", "forkert").status == 200  # the form again, with an error
    refused = _log_in(other, "gætter", "hemmelig-kode-42")
    assert refused.status == 429
    assert "For mange" in refused.body


def test_an_approval_through_one_server_shows_on_the_other_at_once(servers):
    one, other = servers
    meeting, (chair,) = _published_minutes(members=1)
    page = f"/moeder/{meeting.pk}/"
    before = Visitor(other).get(page).body
    assert "ikke godkendt endnu" in before  # and kept in that server's memory
    member = Browser(one, chair)
    url = f"/kontor/moeder/{meeting.pk}/godkend/"
    form = find_form(member.get(url).body, button="approve")
    assert member.post(url, form.submission("approve")).status == 302
    assert Meeting.objects.get(pk=meeting.pk).state == "approved"
    after = Visitor(other).get(page).body
    assert "ikke godkendt endnu" not in after
    assert f"{chair.person.name}: godkendt" in after


def test_a_file_uploaded_through_one_server_is_served_by_the_other(servers):
    one, other = servers
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Budget", by=ACTOR)
    secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
    uploader, reader = Browser(one, secretary), Browser(other, secretary)
    form = find_form(uploader.get(f"/kontor/punkter/{item.pk}/").body, action="/bilag/")
    content = b"Bilag om budgettet, sendt gennem den ene server.\n"
    sent = uploader.post_file(form.action, form.submission(), form.files[0], "budget.txt", content)
    assert sent.status == 302
    attachment = Attachment.objects.get(agenda_item=item)
    served = reader.get(f"/bilag/{attachment.pk}/")
    assert served.status == 200
    assert served.body.encode() == content
