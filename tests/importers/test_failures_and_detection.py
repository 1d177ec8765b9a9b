from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pypdf
import pytest

from gremium.importers import ImportFailed, parse_file
from gremium.importers.detect import SourceKind, detect_kind


def _blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _fail(path: Path, data: bytes, pattern: str) -> None:
    path.write_bytes(data)
    with pytest.raises(ImportFailed, match=pattern) as caught:
        parse_file(path)
    assert path.name in str(caught.value)


def test_empty_file(tmp_path: Path):
    _fail(tmp_path / "tom.md", b"", r"tom\.md: the file is empty")


def test_pdf_without_text(tmp_path: Path):
    _fail(tmp_path / "scan.pdf", _blank_pdf(), r"scan\.pdf: the PDF has no text layer")


def test_random_bytes(tmp_path: Path):
    _fail(tmp_path / "noise.bin", os.urandom(4096) + b"\x00\x01\x02" * 50, r"noise\.bin")


def test_truncated_pdf(tmp_path: Path, fixtures: Path):
    data = (fixtures / "ballerup-edoc-2012/1552816.PDF").read_bytes()
    _fail(tmp_path / "halv.pdf", data[: len(data) // 3], r"halv\.pdf: broken or truncated PDF")


def test_text_without_items_is_not_minutes(tmp_path: Path):
    _fail(
        tmp_path / "brev.txt",
        "Kære Bo\n\nTak for sidst.\n".encode(),
        r"brev\.txt: this is not minutes",
    )


def test_unknown_xml_is_not_minutes(tmp_path: Path):
    _fail(
        tmp_path / "x.xml",
        b"<?xml version='1.0'?><rss><channel/></rss>",
        r"x\.xml: this is not minutes",
    )


def test_broken_edoc_xml_names_the_line(tmp_path: Path):
    data = b"<Meeting><MeetingAgendaTypes>\n<Committee>x</Commitee></MeetingAgendaTypes></Meeting>"
    _fail(tmp_path / "edoc.xml", data, r"edoc\.xml, line 2: XML is not well-formed")


def test_latin1_file_misnamed_is_read_and_reported(tmp_path: Path, fixtures: Path):
    text = (fixtures / "handmade-kommunalbestyrelsen.txt").read_text(encoding="utf-8")
    path = tmp_path / "referat.pdf"  # misnamed on purpose: detection reads the content
    path.write_bytes(text.encode("latin-1"))
    result = parse_file(path)
    assert result.documents[0].items[1].title == "Lokalplan 1102 for boliger ved Åen"
    assert any("cp1252" in repair for repair in result.report.repairs)


def test_undecodable_text_names_file_and_line(tmp_path: Path):
    data = b"REFERAT x\nlinje to\n" + bytes(range(0x80, 0xB0)) * 20
    _fail(tmp_path / "blandet.txt", data, r"blandet\.txt, line 3: not UTF-8")


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("haderslev-bbu-2026-02-02.md", SourceKind.TEXT),
        ("ballerup-edoc-2012/1552814.PDF", SourceKind.PDF),
        ("ballerup-edoc-2012/eDocAgendaPublishing.xml", SourceKind.EDOC),
        ("sbsys-ballerup-2013/Publication32.xml", SourceKind.SBSYS),
        ("sbsys-dagsorden-lyngbytaarbaek-2016/dagsorden.xml", SourceKind.SBSYS_DAGSORDEN),
        (
            "edoc-fujitsu-middelfart-2017/first/41a93779-8b2a-414b-9f87-691e24f8f40a.xml",
            SourceKind.EDOC_FUJITSU,
        ),
        ("acadre-syddjurs-2013/Files_1863_3687982/3687981.XML", SourceKind.ACADRE),
        ("firstagenda-greve/2022-01-14-byraad.json", SourceKind.FIRSTAGENDA),
        ("firstagenda-aarhus-web/handmade-referat.html", SourceKind.FIRSTAGENDA_WEB),
    ],
)
def test_detection_reads_content_not_name(
    tmp_path: Path, fixtures: Path, source: str, kind: SourceKind
):
    renamed = tmp_path / "upload.dat"
    shutil.copy(fixtures / source, renamed)
    assert detect_kind(renamed.read_bytes()) is kind
    assert parse_file(renamed).report.source_kind == kind.value


def test_a_web_page_is_recognised_by_its_content(tmp_path):
    from gremium.importers.detect import SourceKind, detect_kind

    assert detect_kind(b"<!-- saved -->\n<!DOCTYPE html><html><body></body></html>") is (
        SourceKind.HTML
    )
    assert detect_kind(b"<html lang='da'><body>x</body></html>") is SourceKind.HTML
    assert detect_kind(b"<?xml version='1.0'?><Publication><Agendas/></Publication>") is (
        SourceKind.SBSYS
    )


def test_a_web_page_without_minutes_is_refused_naming_the_file(tmp_path):
    import pytest

    from gremium.importers import ImportFailed, parse_file

    page = tmp_path / "nyhed.txt"
    page.write_text("<!DOCTYPE html><html><body><p>Velkommen til kommunen.</p></body></html>")
    with pytest.raises(ImportFailed, match=r"nyhed\.txt"):
        parse_file(page)


def test_an_item_heading_without_a_title_at_the_end_of_the_file(tmp_path: Path, fixtures: Path):
    # Found by the fuzz test: the parser looked for the title past the last line.
    text = (fixtures / "handmade-udvalg-markdown.md").read_text(encoding="utf-8")
    cut = text[: text.index("## Sag 43:") + len("## Sag 43:")]
    path = tmp_path / "afkortet.md"
    path.write_text(cut, encoding="utf-8")
    items = parse_file(path).documents[0].items
    assert items[-1].number == 43


def test_html_the_standard_parser_rejects_is_a_named_import_error(tmp_path: Path):
    # html.parser answers "<![KEYWORD[" with an AssertionError of its own.
    page = b"<!DOCTYPE html><html><body><![CDATasContent[x]]><p>Punkt 1</p></body></html>"
    _fail(tmp_path / "side.html", page, r"side\.html: the file is damaged or not as expected")


@pytest.mark.parametrize(
    "error",
    [
        RecursionError("maximum recursion depth exceeded"),
        UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
        ValueError("invalid literal for int() with base 10: '12a'"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_parser_failing_on_the_data_is_a_named_import_error(tmp_path, monkeypatch, error):
    import gremium.importers.files as files

    def failing(data, path):
        raise error

    monkeypatch.setattr(files, "parse_text", failing)
    path = tmp_path / "referat.txt"
    path.write_text("REFERAT\n")
    with pytest.raises(ImportFailed, match=rf"referat\.txt: .*{type(error).__name__}") as caught:
        parse_file(path)
    assert not caught.value.internal


def test_a_programming_error_is_named_marked_internal_and_logged(tmp_path, monkeypatch, caplog):
    import gremium.importers.files as files

    def failing(data, path):
        raise TypeError("unsupported operand")

    monkeypatch.setattr(files, "parse_text", failing)
    path = tmp_path / "referat.txt"
    path.write_text("REFERAT\n")
    with pytest.raises(ImportFailed, match=r"referat\.txt: unexpected error .*TypeError") as caught:
        parse_file(path)
    assert caught.value.internal
    assert "Traceback" in caplog.text or caplog.records[-1].exc_info


def test_an_export_cannot_make_the_import_read_files_outside_its_folder(tmp_path, fixtures):
    export = tmp_path / "eksport"
    shutil.copytree(fixtures / "ballerup-edoc-2012", export)
    outside = tmp_path / "hemmelig.pdf"
    outside.write_bytes(b"%PDF-1.7 uden for eksporten")
    xml = export / "eDocAgendaPublishing.xml"
    data = xml.read_bytes()
    data = data.replace(b"<PDFDocument>1552823.PDF<", b"<PDFDocument>../hemmelig.pdf<", 1)
    data = data.replace(b"<PDFDocument>1552826.PDF<", f"<PDFDocument>{outside}<".encode(), 1)
    xml.write_bytes(data)
    refs = [a for item in parse_file(xml).documents[0].items for a in item.attachments]
    assert not [a for a in refs if "hemmelig" in a.path]
    inside = [a for a in refs if a.path]
    assert inside and all(Path(a.path).parent == export.resolve() for a in inside)
