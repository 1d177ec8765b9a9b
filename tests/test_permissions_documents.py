"""The permission matrix for documents and files: every role × every PDF variant and
attachment × open, closed and unpublished content. PDFs are read as text, so a canary
hidden anywhere in the document is found."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.test import Client

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from tests.test_permissions import CLOSED_CANARY, INSIDERS, PLANNED_CANARY, ROLES, world

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the shared fixture


@pytest.fixture
def files(world):
    users, _urls = world
    actor = Actor.system("test")
    published = Meeting.objects.get(state=MeetingState.MINUTES_PUBLISHED)
    planned = Meeting.objects.get(state=MeetingState.PLANNED)
    # Attachments are added as the records of a published meeting would hold them.
    Meeting.objects.filter(pk=published.pk).update(state=MeetingState.HELD)
    closed = AgendaItem.objects.get(meeting=published, public=False)
    open_item = AgendaItem.objects.get(meeting=published, public=True)
    secret = services.attachment_add(
        item=closed, filename="tilbud.txt", content=CLOSED_CANARY.encode(), by=actor
    )
    internal = services.attachment_add(
        item=open_item,
        filename="notat.txt",
        content=CLOSED_CANARY.encode(),
        public=False,
        by=actor,
    )
    public = services.attachment_add(
        item=open_item, filename="plan.txt", content=b"Offentlig plan", by=actor
    )
    Meeting.objects.filter(pk=published.pk).update(state=MeetingState.MINUTES_PUBLISHED)
    urls = [
        f"/moeder/{published.pk}/referat.pdf",
        f"/moeder/{published.pk}/samlet-referat.pdf",
        f"/moeder/{published.pk}/dagsorden.pdf",
        f"/moeder/{planned.pk}/dagsorden.pdf",
        f"/bilag/{secret.pk}/",
        f"/bilag/{internal.pk}/",
        f"/bilag/{public.pk}/",
    ]
    return users, urls


OUTSIDER = [200, 200, 200, 404, 404, 404, 200]
EXPECTED = {
    "anonymous": OUTSIDER,
    "plain": OUTSIDER,
    "member_other": OUTSIDER,
    "member": [200] * 7,
    "secretary": [200] * 7,
    "secretary_other": OUTSIDER,
    "admin": [200] * 7,
}


def _text(response) -> str:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"] == "application/pdf":
        reader = pypdf.PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() for page in reader.pages)
    return body.decode("utf-8", errors="replace")


@pytest.mark.parametrize("role", ROLES)
def test_document_and_file_matrix(files, role):
    users, urls = files
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    texts = []
    for url, expected in zip(urls, EXPECTED[role], strict=True):
        response = client.get(url)
        assert response.status_code == expected, (role, url, response.status_code)
        text = _text(response) if response.status_code == 200 else ""
        texts.append(text)
        if role not in INSIDERS:
            assert CLOSED_CANARY not in text, (role, url)
            assert PLANNED_CANARY not in text, (role, url)
    if role in INSIDERS:
        assert CLOSED_CANARY in texts[0]  # the internal minutes hold the closed item
        assert CLOSED_CANARY in texts[4]
        assert PLANNED_CANARY in texts[3]
