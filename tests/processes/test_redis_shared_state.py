"""Two app servers sharing a real Redis (Debian's redis-server, started by the test) as
their cache: the login throttle counts across both, a session made by a login on one is
valid on the other, and the counters and sessions are in Redis, not the database."""

from __future__ import annotations

import contextlib
import shutil

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session

from tests.factories import UserFactory
from tests.processes import running
from tests.processes.test_two_app_servers import Visitor, _log_in

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-42"


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    server = shutil.which("redis-server") or shutil.which("valkey-server")
    # scripts/setup --test installs it; a machine without it must fail, not skip.
    assert server, "redis-server (or valkey-server) is not installed: run scripts/setup --test"
    port = running.free_port()
    log = tmp_path_factory.mktemp("redis") / "redis.log"
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no"]
    with running.started(command, {}, log):
        running.wait_for(lambda: running.answers(port), "redis up", log)
        yield port


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory, redis_port):
    tmp_path = tmp_path_factory.mktemp("redis-servers")
    env = running.environment(tmp_path, CACHE_URL=f"redis://127.0.0.1:{redis_port}/0")
    ports = [running.free_port(), running.free_port()]
    with contextlib.ExitStack() as stack:
        for n, port in enumerate(ports):
            stack.enter_context(running.app_server(port, env, tmp_path / f"server-{n}.log"))
        for n, port in enumerate(ports):
            log = tmp_path / f"server-{n}.log"
            running.wait_for(lambda port=port: running.answers(port), "server up", log)
        yield [f"http://127.0.0.1:{port}" for port in ports]


@pytest.fixture
def store(redis_port):
    client = redis.Redis(port=redis_port)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def production_hasher(settings):
    # The servers check passwords with the production hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def test_the_login_throttle_counts_in_redis_across_servers(servers, store, production_hasher):
    one, other = servers
    UserFactory(username="gætter")
    assert store.dbsize() == 0
    for _attempt in range(django_settings.GREMIUM_LOGIN_MAX_FAILURES):
        assert _log_in(one, "gætter", "forkert").status == 200
    assert store.dbsize() > 0, "the counters are in Redis"
    refused = _log_in(other, "gætter", PASSWORD)
    assert refused.status == 429
    store.flushdb()
    assert _log_in(other, "gætter", PASSWORD).status == 302, "only Redis held the pause"


def test_a_login_on_one_server_is_a_session_on_the_other(servers, store, production_hasher):
    one, other = servers
    UserFactory(username="kontrol")
    visitor = Visitor(one)
    _logged_in(visitor, "kontrol")
    # The database copy goes: the other server can only know the session from Redis.
    Session.objects.all().delete()
    elsewhere = Visitor(other)
    elsewhere.cookies = dict(visitor.cookies)
    assert elsewhere.get("/kontor/").status == 200
    store.flushdb()
    assert elsewhere.get("/kontor/").status == 302, "without Redis nor database: logged out"


def _logged_in(visitor: Visitor, username: str) -> None:
    from tests.concurrency.browser import find_form

    form = find_form(visitor.get("/konto/log-ind/").body, action="/konto/log-ind/")
    form.set("username", username)
    form.set("password", PASSWORD)
    assert visitor.post("/konto/log-ind/", form.submission()).status == 302
    assert django_settings.SESSION_COOKIE_NAME in visitor.cookies
