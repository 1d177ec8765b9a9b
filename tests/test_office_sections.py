"""The item editor: the server-rendered preview the editor's script fetches, one more
section without JS, and the stale-edit check with two secretaries."""

from __future__ import annotations

import pytest
from django.test import Client

from gremium.audit.services import Actor
from gremium.meetings import services
from tests.factories import MeetingFactory, SecretaryAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    meeting = MeetingFactory()
    return services.agenda_item_add(meeting=meeting, title="Budget", by=Actor.system("test"))


def _secretary(item) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(SecretaryAssignmentFactory(organization=item.organization).user)
    return client


def _form(item, **sections: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "item-version": str(item.version),
        "item-title": item.title,
        "item-public": "on",
        "item-public_title": "",
        "section_count": str(len(sections) // 2),
    }
    data.update({f"item-{k}": v for k, v in sections.items()})
    return data


def test_preview_fragment_renders_markdown_and_escapes_html(item):
    client = _secretary(item)
    response = client.post(
        f"/kontor/punkter/{item.pk}/forhaandsvisning/",
        _form(item, heading_0="Indstilling", body_0="**Godkendes**\n\n<script>x()</script>"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Godkendes</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<html" not in html  # a fragment for the editor's script
    assert not item.sections.exists()


def test_preview_is_for_the_secretary_only(item):
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        f"/kontor/punkter/{item.pk}/forhaandsvisning/", _form(item, heading_0="A", body_0="B")
    )
    assert response.status_code in (403, 404)


def test_add_section_without_js_keeps_the_text_and_adds_a_field(item):
    client = _secretary(item)
    data = _form(item, heading_0="Sagsresume", body_0="Kort")
    data["section_count"] = "1"  # one filled section and the empty one shown
    data.update({"item-heading_1": "Indstilling", "item-body_1": "Lang", "add_section": "1"})
    response = client.post(f"/kontor/punkter/{item.pk}/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="item-heading_2"' in html and 'name="item-heading_3"' not in html
    assert "Lang" in html
    assert not item.sections.exists()  # nothing saved yet


def test_two_editors_the_second_save_is_stale_and_keeps_its_text(item):
    first, second = _secretary(item), _secretary(item)
    one = first.post(
        f"/kontor/punkter/{item.pk}/", {**_form(item, heading_0="A", body_0="Først"), "save": "1"}
    )
    assert one.status_code == 302
    two = second.post(
        f"/kontor/punkter/{item.pk}/", {**_form(item, heading_0="A", body_0="Anden"), "save": "1"}
    )
    assert two.status_code == 409
    assert "Anden" in two.content.decode()
    assert [s.body for s in item.sections.all()] == ["Først"]


def test_a_draft_is_kept_offered_back_and_never_saved_unseen(item):
    client = _secretary(item)
    url = f"/kontor/punkter/{item.pk}/"
    draft = _form(item, heading_0="Indstilling", body_0="Halvfærdig tekst")
    assert client.post(url + "kladde/", draft).json() == {"saved": True}
    assert not item.sections.exists()  # the item itself is unchanged
    page = client.get(url).content.decode()
    assert "kladde" in page and "Halvfærdig tekst" not in page  # offered, not filled in
    restored = client.get(url + "?kladde=1").content.decode()
    assert "Halvfærdig tekst" in restored
    # Someone else saves meanwhile: the restored draft's save is refused as stale.
    other = _secretary(item)
    other.post(url, {**_form(item, heading_0="A", body_0="Andens"), "save": "1"})
    item.refresh_from_db()
    assert "Punktet er gemt af en anden siden." in client.get(url).content.decode()
    response = client.post(url, {**draft, "save": "1"})
    assert response.status_code == 409
    assert [s.body for s in item.sections.all()] == ["Andens"]


def test_a_draft_is_its_authors_only_and_goes_when_saved(item):
    author, colleague = _secretary(item), _secretary(item)
    url = f"/kontor/punkter/{item.pk}/"
    author.post(url + "kladde/", _form(item, heading_0="A", body_0="Min kladde"))
    assert "Min kladde" not in colleague.get(url + "?kladde=1").content.decode()
    outsider = Client()
    outsider.force_login(UserFactory())
    assert outsider.post(url + "kladde/", _form(item)).status_code in (403, 404)
    author.post(url, {**_form(item, heading_0="A", body_0="Min kladde"), "save": "1"})
    assert "Vis kladden" not in author.get(url).content.decode()
    author.post(url + "kladde/", _form(item, heading_0="A", body_0="Igen"))
    author.post(url + "kladde/kasser/")
    assert "Vis kladden" not in author.get(url).content.decode()
