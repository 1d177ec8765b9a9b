"""Operating gremium: health probes, metrics for the allowed only, forwarded headers from
trusted proxies only, request ids and the access log, and the deployment checks.
`gremium serve` itself is started as a real server in tests/serve/ (pytest -m serve)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gremium.lib.env import DEVELOPMENT_SECRET_KEY, SettingError, env_networks
from gremium.lib.log_format import JsonLinesFormatter, RequestIdFilter
from gremium.lib.proxy import TrustedProxyMiddleware
from gremium.operations import checks
from gremium.operations.management.commands.serve import parse_bind
from tests import jobs_tasks

TOKEN = "t" * 20 + "-metrics-token-for-the-tests-" + "x" * 10


def networks(*values: str) -> list:
    return [ipaddress.ip_network(value) for value in values]


# Health


def test_live_answers_json_whatever_the_host(client):
    response = client.get("/health/live", HTTP_HOST="probe.invalid")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert client.get("/", HTTP_HOST="probe.invalid").status_code == 400


@pytest.mark.django_db
def test_ready_checks_database_migrations_and_storage(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok", "queue": "ok"},
    }
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "the probe file stays"


@pytest.mark.django_db
def test_ready_fails_while_a_migration_is_not_applied(client):
    MigrationRecorder.Migration.objects.filter(app="meetings").order_by("-id")[:1].get().delete()
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["migrations"] == "1 not applied"


@pytest.mark.django_db
def test_ready_fails_when_files_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "fail"
    assert str(tmp_path) not in response.content.decode(), "details stay in the log"


def _waiting_jobs(settings, *ages_seconds: int) -> None:
    """Jobs on the database queue that were enqueued the given seconds ago."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.GREMIUM_TASKS = "database"
    for age in ages_seconds:
        result = jobs_tasks.flaky.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            enqueued_at=timezone.now() - dt.timedelta(seconds=age)
        )


@pytest.mark.django_db
def test_ready_fails_when_the_oldest_job_waited_too_long(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GREMIUM_READY_MAX_QUEUE_AGE = 300
    _waiting_jobs(settings, 30, 200)
    assert client.get("/health/ready").status_code == 200, "younger than the limit"
    _waiting_jobs(settings, 400)
    response = client.get("/health/ready")
    assert response.status_code == 503
    reason = response.json()["checks"]["queue"]
    assert reason.startswith("oldest job waiting 4")
    assert reason.endswith("limit 300 s")


@pytest.mark.django_db
def test_ready_ignores_jobs_not_yet_due_and_a_limit_of_zero(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GREMIUM_READY_MAX_QUEUE_AGE = 300
    _waiting_jobs(settings, 1000)
    DBTaskResult.objects.update(run_after=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/health/ready").status_code == 200, "a retry that waits its pause"
    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))
    settings.GREMIUM_READY_MAX_QUEUE_AGE = 0
    assert client.get("/health/ready").status_code == 200


# Metrics


@pytest.mark.django_db
def test_metrics_are_not_public(client, settings):
    settings.GREMIUM_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 404


@pytest.mark.django_db
def test_metrics_for_the_token_or_an_allowed_network(client, settings):
    client.get("/moeder/")
    settings.GREMIUM_METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'gremium_http_requests_total{method="GET",route="portal:archive",status="2xx"}' in text
    assert "gremium_http_request_duration_seconds_bucket" in text
    assert response["Cache-Control"] == "private, no-store"
    settings.GREMIUM_METRICS_TOKEN = ""
    settings.GREMIUM_METRICS_NETWORKS = networks("10.1.0.0/16")
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 404


@pytest.mark.django_db
def test_metrics_show_the_queue_depth_and_age(client, settings):
    settings.GREMIUM_METRICS_TOKEN = TOKEN
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "gremium_queue_jobs_waiting 0.0" in text
    assert "gremium_queue_oldest_age_seconds 0.0" in text
    _waiting_jobs(settings, 10, 120)
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "gremium_queue_jobs_waiting 2.0" in text
    age = next(
        float(line.split()[1])
        for line in text.splitlines()
        if line.startswith("gremium_queue_oldest_age_seconds ")
    )
    assert 120 <= age < 130


# Forwarded headers


def _through_proxy_middleware(settings, trusted: list[str], **meta: str) -> dict:
    settings.GREMIUM_TRUSTED_PROXIES = networks(*trusted)
    seen: dict = {}

    def view(request):
        seen.update(request.META)

    TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))  # type: ignore[arg-type]
    return seen


def test_forwarded_headers_from_an_untrusted_peer_are_dropped(settings, caplog):
    meta = _through_proxy_middleware(
        settings,
        ["10.0.0.1/32"],
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_FORWARDED="for=203.0.113.7;proto=https",
    )
    assert meta["REMOTE_ADDR"] == "198.51.100.9"
    assert not [key for key in meta if "FORWARDED" in key]
    assert "not in GREMIUM_TRUSTED_PROXIES" in caplog.text
    assert "198.51.100.9" in caplog.text


def test_a_trusted_proxy_names_the_client(settings):
    meta = _through_proxy_middleware(
        settings,
        ["10.0.0.0/24"],
        REMOTE_ADDR="10.0.0.1",
        # Forged by the client, the client itself, then a second proxy of ours.
        HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.7, 10.0.0.2",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert meta["REMOTE_ADDR"] == "203.0.113.7"
    assert meta["HTTP_X_FORWARDED_PROTO"] == "https"


def test_a_chain_with_garbage_stops_at_the_last_address_it_can_trust(settings):
    meta = _through_proxy_middleware(
        settings,
        ["10.0.0.0/24"],
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7, unknown, 10.0.0.2",
    )
    assert meta["REMOTE_ADDR"] == "10.0.0.2"


@pytest.mark.django_db
def test_https_redirect_believes_only_a_trusted_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.GREMIUM_TRUSTED_PROXIES = networks("10.0.0.1")
    forged = client.get("/moeder/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301
    assert forged["Location"].startswith("https://")
    proxied = client.get("/moeder/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_trusted_proxies_must_be_addresses(monkeypatch):
    monkeypatch.setenv("GREMIUM_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")
    with pytest.raises(SettingError, match=r"GREMIUM_TRUSTED_PROXIES: 'proxy.local'"):
        env_networks("GREMIUM_TRUSTED_PROXIES", [])


# Request ids and the access log


@pytest.mark.django_db
def test_request_id_passed_through_or_made(client, caplog):
    caplog.set_level(logging.INFO, logger="gremium.access")
    given = client.get("/moeder/", HTTP_X_REQUEST_ID="proxy-4f2a.17")
    assert given["X-Request-ID"] == "proxy-4f2a.17"
    unusable = client.get("/moeder/", HTTP_X_REQUEST_ID='bad id"\n')
    assert unusable["X-Request-ID"] != 'bad id"\n'
    assert len(unusable["X-Request-ID"]) == 32
    lines = [r for r in caplog.records if r.name == "gremium.access"]
    first = lines[0]
    assert first.fields["path"] == "/moeder/"
    assert first.fields["status"] == 200
    assert first.fields["method"] == "GET"
    assert first.fields["bytes"] == len(given.content)
    assert first.request_id == "proxy-4f2a.17"


def test_json_lines_carry_the_request_id_and_fields():
    record = logging.LogRecord("gremium.access", logging.INFO, __file__, 1, "x %s", ("y",), None)
    record.fields = {"status": 200, "path": "/moeder/"}
    record.request_id = "abc"
    line = json.loads(JsonLinesFormatter().format(record))
    assert line["message"] == "x y"
    assert line["request_id"] == "abc"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_records_outside_a_request_get_a_dash():
    record = logging.LogRecord("gremium", logging.INFO, __file__, 1, "start", (), None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


# The deployment checks


def _ids(check, settings, **values) -> list[str]:
    for name, value in values.items():
        setattr(settings, name, value)
    return [message.id for message in check(None)]


PRODUCTION = {
    "DEBUG": False,
    "SECRET_KEY": "p" * 10 + "-a-long-random-production-secret-key-" + "q" * 10,
    "ALLOWED_HOSTS": ["moeder.example.dk"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "CSRF_TRUSTED_ORIGINS": ["https://moeder.example.dk"],
    "GREMIUM_TRUSTED_PROXIES": networks("127.0.0.1/32"),
    "GREMIUM_METRICS_TOKEN": "",
    "GREMIUM_METRICS_NETWORKS": [],
}


@pytest.mark.parametrize(
    ("check", "change", "expected"),
    [
        (checks.debug_off, {"DEBUG": True}, ["gremium.E001"]),
        (checks.secret_key_strong, {"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, ["gremium.E002"]),
        (checks.secret_key_strong, {"SECRET_KEY": "short"}, ["gremium.E002"]),
        (checks.hosts_named, {"ALLOWED_HOSTS": []}, ["gremium.E003"]),
        (checks.hosts_named, {"ALLOWED_HOSTS": ["*"]}, ["gremium.W004"]),
        (
            checks.proxies_narrow,
            {"GREMIUM_TRUSTED_PROXIES": networks("0.0.0.0/0")},
            ["gremium.E005"],
        ),
        (
            checks.https_ensured,
            {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0},
            ["gremium.W006"],
        ),
        (
            checks.https_ensured,
            {"CSRF_TRUSTED_ORIGINS": ["http://moeder.example.dk"]},
            ["gremium.W007"],
        ),
        (checks.metrics_protected, {"GREMIUM_METRICS_TOKEN": "short"}, ["gremium.E010"]),
        (
            checks.metrics_protected,
            {"GREMIUM_METRICS_NETWORKS": networks("127.0.0.0/8")},
            ["gremium.W011"],
        ),
    ],
)
def test_deploy_checks_name_each_misconfiguration(settings, check, change, expected):
    assert _ids(check, settings, **PRODUCTION) == []
    assert _ids(check, settings, **change) == expected


def test_check_finds_files_that_would_be_served_as_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    assert checks.files_not_static(None) == []
    settings.MEDIA_ROOT = tmp_path / "static" / "media"
    assert [m.id for m in checks.files_not_static(None)] == ["gremium.E009"]


def test_check_finds_static_files_not_collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert [m.id for m in checks.static_files_collected(None)] == ["gremium.E008"]
    (tmp_path / "staticfiles.json").write_text("{}")
    assert checks.static_files_collected(None) == []


def test_check_warns_of_a_per_process_cache(settings):
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    shared = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}}
    settings.CACHES = local
    assert [m.id for m in checks.cache_shared(None)] == ["gremium.W012"]
    settings.CACHES = shared
    assert checks.cache_shared(None) == []


# The command's arguments


@pytest.mark.parametrize("value", ["127.0.0.1:8000", "[::1]:8080", "unix:/run/gremium.sock"])
def test_bind_takes_host_and_port_or_a_socket(value):
    assert parse_bind(value) == value


@pytest.mark.parametrize("value", ["8000", "localhost", "127.0.0.1:0", "1.2.3.4:99999", "unix:"])
def test_bind_refuses_anything_else_before_starting(value):
    with pytest.raises(CommandError, match="--bind skal være VÆRT:PORT"):
        call_command("serve", bind=value)


def test_workers_must_be_positive():
    with pytest.raises(CommandError, match="--workers skal være 1 eller mere"):
        call_command("serve", bind="127.0.0.1:8000", workers=0)
