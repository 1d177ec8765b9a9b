"""The permission matrix for documents and files: every role × every PDF variant and
attachment × open, closed, deleted and unpublished content. PDFs are read as text, so a
canary hidden anywhere in the document is found."""

from __future__ import annotations

import io

import pypdf
import pytest

from gremium.audit.services import Actor
from gremium.documents.archive import approved_minutes_versions
from gremium.lib.document_structure import Audience
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from tests.test_permissions import (
    CLOSED_CANARY,
    PLANNED_CANARY,
    READS_HELD,
    READS_PLANNED,
    ROLES,
    SIGNS_HELD,
    _client,
    assert_no_canary,
    world,
)

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the shared fixture

HELD_PDFS = ["referat", "samlet-referat", "dagsorden", "samlet-dagsorden", "dagsorden-udsendt"]
PLANNED_PDFS = ["dagsorden", "samlet-dagsorden", "dagsorden-udsendt", "referat"]


@pytest.fixture
def files(world):
    actor = Actor.system("test")
    held, planned = world.held, world.planned
    # Attachments are added as the records of a published meeting would hold them.
    Meeting.objects.filter(pk=held.pk).update(state=MeetingState.HELD)
    closed = AgendaItem.objects.get(meeting=held, public=False)
    open_item = AgendaItem.objects.get(meeting=held, public=True)
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
    Meeting.objects.filter(pk=held.pk).update(state=MeetingState.MINUTES_PUBLISHED)
    # Approved by every participant: the approved version's PDFs are kept and listed.
    for role in SIGNS_HELD:
        services.minutes_approve(meeting=held, person=world.users[role].person, by=actor)
    versions = {audience: approved_minutes_versions(held, audience)[-1].pk for audience in Audience}
    draft = services.attachment_add(
        item=planned.items.get(),
        filename="udkast.txt",
        content=PLANNED_CANARY.encode(),
        by=actor,
    )
    urls = [
        *(f"/moeder/{held.pk}/{variant}.pdf" for variant in HELD_PDFS),
        *(f"/moeder/{planned.pk}/{variant}.pdf" for variant in PLANNED_PDFS),
        f"/moeder/{held.pk}/referat/version/{versions[Audience.PUBLIC]}.pdf",
        f"/moeder/{held.pk}/referat/version/{versions[Audience.INTERNAL]}.pdf",
        f"/bilag/{secret.pk}/",
        f"/bilag/{internal.pk}/",
        f"/bilag/{public.pk}/",
        f"/bilag/{draft.pk}/",
    ]
    return urls


# Per URL above: the held meeting's five PDFs; the planned meeting's agenda, combined
# agenda, agenda as sent out (there is none yet) and minutes (none); the approved version
# of the minutes kept for the public and the one kept for members (each is served to its
# own audience only); then the closed item's attachment, an open item's internal and public
# attachments, the planned meeting's one.
OUTSIDER = [200] * 5 + [404] * 4 + [200, 404] + [404, 404, 200, 404]
HELD_ONLY = [200] * 5 + [404] * 4 + [404, 200] + [200, 200, 200, 404]
INSIDER = [200] * 5 + [200, 200, 404, 404] + [404, 200] + [200] * 4
EXPECTED = {
    role: INSIDER if role in READS_PLANNED else HELD_ONLY if role in READS_HELD else OUTSIDER
    for role in ROLES
}


def _text(response) -> str:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"] == "application/pdf":
        reader = pypdf.PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() for page in reader.pages)
    return body.decode("utf-8", errors="replace")


@pytest.mark.parametrize("role", ROLES)
def test_document_and_file_matrix(world, files, role):
    client = _client(world, role)
    texts = {}
    for url, expected in zip(files, EXPECTED[role], strict=True):
        response = client.get(url)
        assert response.status_code == expected, (role, url, response.status_code)
        texts[url] = _text(response) if response.status_code == 200 else ""
        assert_no_canary(role, url, texts[url], world)
    held = [texts[url] for url in files[:5]]
    if role in READS_HELD:
        # Every internal PDF of the held meeting (the agenda as sent out too) holds the
        # closed item, and so do the approved version and the closed item's attachment.
        assert all(CLOSED_CANARY in text for text in held), role
        assert CLOSED_CANARY in texts[files[10]]
        assert CLOSED_CANARY in texts[files[11]]
    if role in READS_PLANNED:
        assert PLANNED_CANARY in texts[files[5]]
        assert PLANNED_CANARY in texts[files[14]]
