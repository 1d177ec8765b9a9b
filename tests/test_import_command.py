"""`gremium import` stores what the parsers read, through the same services as the office."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gremium.audit.services import Actor
from gremium.demo.seed import SEED_MARKDOWN, seed_document, seed_expected
from gremium.documents.build import build_document
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings.from_document import meeting_store_document
from gremium.meetings.models import AgendaItem, Meeting, MinutesVersion

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "import"


def _stored(meeting: Meeting):
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    return dataclasses.replace(document, signatures=())


def test_seed_import_gives_exactly_the_checked_seed_meeting(actor):
    imported = meeting_store_document(document=seed_document(), by=actor).meeting
    via_import = _stored(imported)
    # The published minutes are a record the database protects: clear it in test only.
    MinutesVersion.objects.all().delete()
    Meeting.objects.all().delete()
    checked = meeting_store_document(document=seed_expected(), by=actor).meeting
    assert _stored(checked) == via_import


def test_import_command_stores_the_seed_and_a_second_run_changes_nothing(capsys):
    call_command("import", str(SEED_MARKDOWN), "--body", "Haderslev Kommune")
    assert "oprettet" in capsys.readouterr().out
    call_command("import", str(SEED_MARKDOWN), "--body", "Haderslev Kommune")
    assert "uændret" in capsys.readouterr().out
    assert Meeting.objects.count() == 1
    assert AgendaItem.objects.count() == 8


def test_dry_run_reports_and_writes_nothing(capsys):
    call_command("import", "--dry-run", str(SEED_MARKDOWN), "--body", "Haderslev Kommune")
    out = capsys.readouterr().out
    assert "Punkt 15: Resultat af KL borgerundersøgelse efterår 2025 26/1663" in out
    assert "confidence" in out
    assert Meeting.objects.count() == 0


def test_a_later_version_updates_the_meeting_instead_of_duplicating_it(tmp_path, capsys):
    draft = tmp_path / "udkast.md"
    draft.write_text(
        SEED_MARKDOWN.read_text().replace("Drøftet. Udkastet blev godkendt.", "Drøftet."),
        encoding="utf-8",
    )
    call_command("import", str(draft), "--body", "Haderslev Kommune")
    call_command("import", str(SEED_MARKDOWN), "--body", "Haderslev Kommune")
    assert "opdateret" in capsys.readouterr().out
    assert Meeting.objects.count() == 1
    assert AgendaItem.objects.get(number=14).decision.text == "Drøftet. Udkastet blev godkendt."


def test_a_broken_file_is_named_writes_nothing_and_the_others_still_import(tmp_path, capsys):
    broken = tmp_path / "referat.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")  # truncated
    empty = tmp_path / "tom.txt"
    empty.write_text("")
    with pytest.raises(CommandError, match="2 af 3 filer"):
        call_command(
            "import", str(broken), str(SEED_MARKDOWN), str(empty), "--body", "Haderslev Kommune"
        )
    err = capsys.readouterr().err
    assert str(broken) in err and str(empty) in err
    assert Meeting.objects.count() == 1


def test_ballerup_minutes_pdf_imports_with_eight_items(capsys):
    pdf = FIXTURES / "ballerup-edoc-2012" / "1552814.PDF"
    call_command("import", str(pdf), "--body", "Ballerup Kommune")
    meeting = Meeting.objects.get()
    assert meeting.items.count() == 8
    assert all(item.paper_id for item in meeting.items.all())
    assert all(hasattr(item, "decision") for item in meeting.items.all())


def test_sbsys_closed_items_keep_only_their_neutral_title_in_public(client):
    xml = FIXTURES / "sbsys-ballerup-2013" / "Publication32.xml"
    call_command("import", str(xml), "--body", "Ballerup Kommune")
    meeting = Meeting.objects.get()
    closed = list(meeting.items.filter(public=False))
    public = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    by_number = {item.number: item for item in public.items}
    for item in closed:
        shown = by_number[item.number]
        assert shown.redacted and not shown.sections and shown.decision is None
        if item.public_title:
            assert item.title not in shown.title
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    for item in closed:
        for section in item.sections.all():
            if len(section.body) > 40:
                assert section.body[:40] not in html


def test_store_refuses_a_document_without_a_municipality(actor):
    from gremium.lib.errors import DomainError

    document = dataclasses.replace(seed_document(), body_name="")
    with pytest.raises(DomainError, match="ingen kommune"):
        meeting_store_document(document=document, by=Actor.system("t"))


def _draft(tmp_path):
    draft = tmp_path / "udkast.md"
    draft.write_text(
        SEED_MARKDOWN.read_text().replace("Drøftet. Udkastet blev godkendt.", "Drøftet."),
        encoding="utf-8",
    )
    return draft


@pytest.mark.parametrize("approved_then_corrected", [False, True], ids=["signing", "addendum"])
def test_a_new_version_is_refused_once_members_have_signed(
    tmp_path, capsys, actor, approved_then_corrected
):
    from gremium.meetings import services
    from gremium.meetings.models import Approval
    from gremium.organizations.models import Person

    call_command("import", str(_draft(tmp_path)), "--body", "Haderslev Kommune")
    meeting = Meeting.objects.get()
    attending = meeting.attendances.exclude(status="absent").values_list("person", flat=True)
    signers = list(Person.objects.filter(pk__in=attending))
    for person in signers if approved_then_corrected else signers[:1]:
        services.minutes_approve(meeting=meeting, person=person, by=actor)
    if approved_then_corrected:
        item = meeting.items.get(number=14)
        services.meeting_add_addendum(item=item, text="Rettelse.", reason="Fejl", by=actor)
    approvals = Approval.objects.count()
    with pytest.raises(CommandError, match="1 af 1 filer"):
        call_command("import", str(SEED_MARKDOWN), "--body", "Haderslev Kommune")
    assert "kan ikke indlæses" in capsys.readouterr().err
    assert Approval.objects.count() == approvals
    assert AgendaItem.objects.get(number=14).decision.text == "Drøftet."


def test_a_parser_crash_on_one_file_names_it_and_the_run_goes_on(tmp_path, capsys, monkeypatch):
    """`gremium import a.txt broken.pdf b.md`: a library error on broken.pdf (here pdfium's
    own, as if it escaped its wrapper) is reported for that file; b.md is still read."""
    import pypdfium2

    import gremium.importers.files as files

    def pdfium_fails(data, path, ocr=None):
        raise pypdfium2.PdfiumError("Failed to load page.")

    monkeypatch.setattr(files, "parse_pdf", pdfium_fails)
    first = FIXTURES / "sbsys-ballerup-2013" / "Publication32.xml"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00" * 64)
    with pytest.raises(CommandError, match=r"1 af 3 filer kunne ikke indlæses: .*broken\.pdf"):
        call_command(
            "import", str(first), str(broken), str(SEED_MARKDOWN), "--body", "Haderslev Kommune"
        )
    err = capsys.readouterr().err
    assert f"{broken}: broken.pdf: unexpected error while reading (PdfiumError" in err
    assert Meeting.objects.count() == 2  # the files before and after it were both stored


def test_a_document_the_database_cannot_hold_is_named_and_the_run_goes_on(tmp_path, capsys):
    """A title longer than its column (PostgreSQL refuses it, SQLite would keep it) and a
    NUL character (PostgreSQL refuses it) are refused alike on every database."""
    text = SEED_MARKDOWN.read_text(encoding="utf-8")
    title = "Introduktion til beskæftigelses- og integrationsområdet"
    long_title = tmp_path / "lang-titel.md"
    long_title.write_text(text.replace(title, "Introduktion " * 50), encoding="utf-8")
    nul = tmp_path / "nul.md"
    nul.write_text(text.replace(title, "Introduktion\x00til"), encoding="utf-8")
    other = FIXTURES / "sbsys-ballerup-2013" / "Publication32.xml"
    with pytest.raises(CommandError, match=r"1 af 3 filer kunne ikke indlæses: .*lang-titel"):
        call_command("import", str(long_title), str(nul), str(other), "--body", "Ballerup")
    err = capsys.readouterr().err
    assert re.search(r"lang-titel\.md: Punkt 13: titlen er \d{3} tegn; højst 500\.", err)
    titles = set(AgendaItem.objects.values_list("title", flat=True))
    assert "Introduktiontil" in titles  # the NUL is dropped when the text is read
    assert Meeting.objects.count() == 2


def test_a_database_refusal_is_reported_for_its_file_and_the_run_goes_on(capsys, monkeypatch):
    import importlib

    from django.db import DataError

    run = importlib.import_module("gremium.importers.archive_run")
    store = run.meeting_store_document

    def refuse_sbsys(*, document, **options):
        if document.organization_name != "Beskæftigelses- og Borgerserviceudvalget":
            raise DataError("value too long for type character varying(500)")
        return store(document=document, **options)

    monkeypatch.setattr(run, "meeting_store_document", refuse_sbsys)
    sbsys = FIXTURES / "sbsys-ballerup-2013" / "Publication32.xml"
    with pytest.raises(CommandError, match="1 af 2 filer"):
        call_command("import", str(sbsys), str(SEED_MARKDOWN), "--body", "Haderslev Kommune")
    assert "Publication32.xml: kunne ikke gemmes (DataError: value too long" in (
        capsys.readouterr().err
    )
    assert Meeting.objects.count() == 1
