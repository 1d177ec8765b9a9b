"""The English and German catalogues are complete and current, the pages speak the chosen
language, and the content (titles, texts, decisions) stays Danish and is marked so.

The catalogue test runs Django's makemessages over a copy of the code with a copy of the
catalogues, so a string added anywhere without its translations fails here, and nothing in
the working tree changes (docs/translations.md)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command

from gremium.lib.pdf_text import pdf_page_texts
from gremium.meetings.models import AgendaItem, Meeting
from tests.factories import OrganizationFactory, SecretaryAssignmentFactory
from tests.test_demo import SEED_ITEMS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gremium"
LOCALES = ("en", "de")
CHOSEN = {"en": "English", "de": "Deutsch"}


def _catalogue(root: Path, language: str) -> Path:
    return root / language / "LC_MESSAGES" / "django.po"


def _msgids(po_text: str) -> list[str]:
    """The msgids of `msgattrib` output (the header's empty msgid left out)."""
    found = []
    for block in re.findall(r'^msgid ((?:".*"\n)+)', po_text, flags=re.M):
        text = "".join(re.findall(r'"(.*)"', block))
        if text:
            found.append(text)
    return found


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """makemessages run over a copy of the code into a copy of the catalogues."""
    copy = tmp_path_factory.mktemp("catalogues") / "gremium"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    locale = copy / "locale"
    from django.conf import settings

    saved, cwd = settings.LOCALE_PATHS, Path.cwd()
    settings.LOCALE_PATHS = [locale]
    try:
        import os

        os.chdir(copy)
        call_command(
            "makemessages", locale=list(LOCALES), no_obsolete=True, no_location=True, verbosity=0
        )
    finally:
        os.chdir(cwd)
        settings.LOCALE_PATHS = saved
    return locale


@pytest.mark.parametrize("language", LOCALES)
def test_every_string_in_the_code_is_translated(regenerated, language):
    po = _catalogue(regenerated, language)
    untranslated = _msgids(_msgattrib("--untranslated", po))
    fuzzy = _msgids(_msgattrib("--only-fuzzy", po))
    assert not untranslated, f"{language}: no translation for {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy (unchecked) translations for {fuzzy[:20]}"


@pytest.mark.parametrize("language", LOCALES)
def test_the_committed_catalogue_has_every_string(regenerated, language):
    """The committed .po already holds what makemessages finds: nothing waits in a copy."""
    ours = set(_msgids(_catalogue(PACKAGE / "locale", language).read_text("utf-8")))
    found = set(_msgids(_catalogue(regenerated, language).read_text("utf-8")))
    assert sorted(found - ours) == [], "run makemessages (docs/translations.md)"


@pytest.mark.parametrize("language", LOCALES)
def test_the_compiled_catalogue_is_the_committed_one_compiled(tmp_path, language):
    po = _catalogue(PACKAGE / "locale", language)
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", compiled, po], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        "run compilemessages (docs/translations.md)"
    )


def test_a_missing_translation_is_found(tmp_path):
    """The check itself: an entry without msgstr and a fuzzy one are both reported."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Dagsorden"\nmsgstr ""\n\n#, fuzzy\nmsgid "Referat"\nmsgstr "Minutes"\n\n'
        'msgid "Udvalg"\nmsgstr "Committee"\n',
        "utf-8",
    )
    assert _msgids(_msgattrib("--untranslated", po)) == ["Dagsorden"]
    assert _msgids(_msgattrib("--only-fuzzy", po)) == ["Referat"]


# makemessages (xgettext) knows gettext's own names and "_"; a string passed through any
# other alias is never extracted, so it would stay Danish on an English page unnoticed.
_ALIAS = re.compile(
    r"import\s+(?:gettext|gettext_lazy|ngettext|ngettext_lazy|pgettext|pgettext_lazy)"
    r"\s+as\s+(?!_\b)(\w+)"
)


def _aliases(source: str) -> list[str]:
    return _ALIAS.findall(source)


def test_translation_functions_are_imported_under_names_makemessages_reads():
    found = {
        str(path.relative_to(ROOT)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if (names := _aliases(path.read_text("utf-8")))
    }
    assert found == {}


def test_an_alias_makemessages_cannot_read_is_found():
    assert _aliases("from django.utils.translation import gettext_lazy as _lazy") == ["_lazy"]
    assert _aliases("from django.utils.translation import gettext as _") == []


def _msgattrib(option: str, po: Path) -> str:
    done = subprocess.run(
        ["msgattrib", option, "--no-obsolete", str(po)], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


# The pages in English and German.


class _Interface(HTMLParser):
    """The page's own words: text and labelling attributes outside any element that is
    marked as Danish content (lang="da"), and the Danish content's text apart."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
    LABELS = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.words: list[str] = []
        self.danish: list[str] = []

    def _in_danish(self) -> bool:
        return any(danish for _, danish in self.stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        danish = values.get("lang") == "da" and tag != "html"
        if not self._in_danish() and not danish:
            self.words += [values[name] or "" for name in self.LABELS if name in values]
            if tag in ("input", "button") and values.get("type") in ("submit", "button"):
                self.words.append(values.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, danish))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        # <title> is the item's and the document's own title (content) and "gremium".
        if self.stack and self.stack[-1][0] in ("script", "style", "title"):
            return
        (self.danish if self._in_danish() else self.words).append(data)


def _danish_ui_strings(language: str, *, words: int = 1) -> list[str]:
    """Every Danish msgid the catalogue translates into something else, without its
    placeholders; the pieces long enough to be told apart from names and numbers, and of
    at least `words` words."""
    text = _catalogue(PACKAGE / "locale", language).read_text("utf-8")
    pieces = set()
    for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.M):
        if msgid == msgstr:
            continue
        for piece in re.split(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|[»«():;,.]", msgid):
            piece = piece.strip()
            if (len(piece) >= 6 or " " in piece) and len(piece.split()) >= words:
                pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


def _page(client, url: str) -> _Interface:
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = _Interface()
    parsed.feed(response.content.decode())
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize("language", LOCALES)
def test_pages_speak_the_chosen_language_and_content_stays_danish(client, demo_meeting, language):
    client.post("/sprog/", {"language": language, "next": "/"})
    danish = _danish_ui_strings(language)
    pages = ["/", f"/moeder/{demo_meeting.pk}/", "/soeg/?q=budget", "/konto/log-ind/"]
    pages.append(f"/moeder/{demo_meeting.pk}/punkt/{_first_item_key(client, demo_meeting)}/")
    for url in pages:
        page = _page(client, url)
        interface = re.sub(r"\s+", " ", " ".join(page.words))
        left = [s for s in danish if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", interface)]
        assert not left, f"{language} {url}: Danish interface words {left[:10]}"
        assert CHOSEN[language] in interface
    content = " ".join(_page(client, f"/moeder/{demo_meeting.pk}/").danish)
    content = re.sub(r"\s+", " ", content)
    for _number, title, reference, decision, _attachments in SEED_ITEMS:
        assert title in content and reference in content
        if decision:
            assert decision in content


def _first_item_key(client, meeting) -> str:
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    return re.search(r'id="(punkt-[^"]+)-h"', html).group(1)


@pytest.mark.django_db
def test_a_danish_page_needs_no_content_marks(client, demo_meeting):
    html = client.get(f"/moeder/{demo_meeting.pk}/").content.decode()
    assert '<html lang="da">' in html
    assert html.count('lang="da"') == 2  # the page itself and "dansk" in the switcher


@pytest.mark.django_db
def test_the_pdf_is_the_danish_record_whatever_the_interface_language(client, demo_meeting):
    # Asked in English first: that request renders the PDF, which is then kept for all.
    client.post("/sprog/", {"language": "en", "next": "/"})
    english = client.get(f"/moeder/{demo_meeting.pk}/referat.pdf")
    client.post("/sprog/", {"language": "da", "next": "/"})
    danish = client.get(f"/moeder/{demo_meeting.pk}/referat.pdf")
    assert english.status_code == 200
    text = " ".join(pdf_page_texts(b"".join(english)))
    for word in ("Indholdsfortegnelse", "Mødedato", "Side 1 af", "Beslutning i"):
        assert word in text
    assert "Contents" not in text and "Date of meeting" not in text
    assert b"".join(english) == b"".join(danish)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LOCALES)
def test_the_office_speaks_the_chosen_language(client, language):
    organization = OrganizationFactory(name="Børne- og Uddannelsesudvalget")
    assignment = SecretaryAssignmentFactory(organization=organization)
    client.force_login(assignment.user)
    client.post("/sprog/", {"language": language, "next": "/"})
    start = {"meeting-organization": organization.pk, "meeting-start": "2026-03-02T16:00"}
    assert client.post("/kontor/moeder/nyt/", start).status_code == 302
    meeting = Meeting.objects.get()
    new_item = {"new-item-title": "Skolestruktur", "new-item-public": "on"}
    assert client.post(f"/kontor/moeder/{meeting.pk}/punkter/nyt/", new_item).status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, title="Skolestruktur")
    # The office names items in labels (aria-label="Flyt <title> op"), where content cannot
    # be marked lang="da": a one-word title such as "Underskriftsside" would look like an
    # interface word there, so here phrases only.
    danish = _danish_ui_strings(language, words=2)
    for url in (
        "/kontor/",
        "/kontor/moeder/nyt/",
        f"/kontor/moeder/{meeting.pk}/",
        f"/kontor/moeder/{meeting.pk}/historik/",
        f"/kontor/punkter/{item.pk}/",
    ):
        interface = re.sub(r"\s+", " ", " ".join(_page(client, url).words))
        left = [s for s in danish if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", interface)]
        assert not left, f"{language} {url}: Danish interface words {left[:10]}"
