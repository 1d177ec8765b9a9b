"""Project-level guarantees: migrations, production mode, admin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.seal_material import issue, make_ca, write_pkcs12

ROOT = Path(__file__).resolve().parent.parent


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG", "SECRET_KEY"}
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run({"GREMIUM_DATA_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_passes_in_production_mode(tmp_path):
    ca = make_ca("Rod")
    seal = write_pkcs12(tmp_path / "segl.p12", issue(ca, "Segl"), ca[0], b"kode")
    env = {
        "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-" + "x" * 20,
        "ALLOWED_HOSTS": "gremium.example.dk",
        "GREMIUM_DATA_DIR": str(tmp_path),
        "GREMIUM_SEAL_PKCS12": str(seal),
        "GREMIUM_SEAL_PASSPHRASE": "kode",
    }
    assert _run(env, "collectstatic", "--noinput").returncode == 0
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    found = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stderr + result.stdout))
    assert found == set(), result.stderr + result.stdout
    # Without the certificate the minutes would be stored unsealed: a warning says so.
    del env["GREMIUM_SEAL_PKCS12"]
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "gremium.W101" in result.stderr


@pytest.mark.django_db
def test_admin_lists_every_domain_model(client, demo_meeting):
    admin = User.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    for path in [
        "meetings/meeting",
        "meetings/agendaitem",
        "meetings/approval",
        "organizations/body",
        "organizations/organization",
        "organizations/person",
        "organizations/membership",
        "organizations/location",
        "organizations/legislativeterm",
        "papers/paper",
        "papers/attachment",
        "papers/consultation",
        "audit/auditrecord",
    ]:
        assert client.get(f"/admin/{path}/").status_code == 200, path
    assert client.get(f"/admin/meetings/meeting/{demo_meeting.pk}/change/").status_code == 200
    item = demo_meeting.items.first()
    assert client.get(f"/admin/meetings/agendaitem/{item.pk}/change/").status_code == 200
    found = client.get("/admin/meetings/agendaitem/?q=borgerundersøgelse").content.decode()
    assert "Resultat af KL borgerundersøgelse" in found


@pytest.mark.django_db
def test_every_page_links_a_stylesheet_that_is_served(client):
    html = client.get("/").content.decode()
    assert 'href="/static/gremium/site.css"' in html
    response = client.get("/static/gremium/site.css")
    assert response.status_code == 200
    assert b".skip-link" in b"".join(response.streaming_content)


def test_committees_get_a_readable_unique_address_kept_on_rename(db):
    from tests.factories import BodyFactory, OrganizationFactory

    first = OrganizationFactory(name="Beskæftigelses- og Borgerserviceudvalget")
    assert first.slug == "beskaeftigelses-og-borgerserviceudvalget"
    other_body = OrganizationFactory(name=first.name, body=BodyFactory(name="Anden Kommune"))
    assert other_body.slug == "beskaeftigelses-og-borgerserviceudvalget-2"
    first.name = "Beskæftigelsesudvalget"
    first.save()
    first.refresh_from_db()
    assert first.slug == "beskaeftigelses-og-borgerserviceudvalget"
