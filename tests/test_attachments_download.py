"""Attachments are downloaded through the access layer, never straight from the disk."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from gremium.demo.seed import seed_expected
from gremium.documents.pdf import render_pdf
from gremium.meetings import services
from tests.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PDF = render_pdf(seed_expected())


def _meeting_with_attachments(actor):
    meeting = MeetingFactory()
    open_item = services.agenda_item_add(meeting=meeting, title="Åbent punkt", by=actor)
    closed_item = services.agenda_item_add(
        meeting=meeting, title="Lukket", public=False, public_title="Lukket punkt", by=actor
    )
    files = {
        "open": services.attachment_add(item=open_item, filename="plan.pdf", content=PDF, by=actor),
        "internal": services.attachment_add(
            item=open_item, filename="notat.txt", content=b"INTERNT NOTAT", public=False, by=actor
        ),
        "closed": services.attachment_add(
            item=closed_item, filename="tilbud.txt", content=b"HEMMELIGT TILBUD", by=actor
        ),
    }
    return meeting, files


def test_public_attachment_is_linked_and_downloadable(client, actor):
    meeting, files = _meeting_with_attachments(actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert f'href="/bilag/{files["open"].pk}/"' in html
    response = client.get(f"/bilag/{files['open'].pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"


def test_extracted_text_is_kept_for_search(actor):
    _meeting, files = _meeting_with_attachments(actor)
    # A PDF's text is read by a job (here run at once: GREMIUM_TASKS=immediate), which
    # keeps it in the database; tests/test_attachment_text_job.py runs it in the worker.
    files["open"].refresh_from_db()
    assert "Beskæftigelses- og Borgerserviceudvalget" in files["open"].text
    assert files["internal"].text == "INTERNT NOTAT"


@pytest.mark.parametrize("which", ["internal", "closed"])
def test_hidden_attachments_are_not_found_by_the_public_but_by_members(client, actor, which):
    meeting, files = _meeting_with_attachments(actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    assert client.get(f"/bilag/{files[which].pk}/").status_code == 404
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert f"/bilag/{files[which].pk}/" not in html
    member = MembershipFactory(organization=meeting.organization).person
    member.user = User.objects.create_user("medlem", password="x")
    member.save()
    client.force_login(member.user)
    response = client.get(f"/bilag/{files[which].pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")


def test_attachments_of_an_unpublished_meeting_are_not_found(client, actor):
    _meeting, files = _meeting_with_attachments(actor)
    assert client.get(f"/bilag/{files['open'].pk}/").status_code == 404
