"""An upload is checked completely when it arrives (lib/upload_checks.py): what cannot be
shown or appended is refused with a Danish message naming the file; a PDF's active
content is removed before it is stored."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest

from gremium.lib import upload_checks
from gremium.lib.upload_checks import FileRefused, check_upload
from tests import hostile_files as files


def _refused(name: str, content: bytes, *words: str) -> str:
    with pytest.raises(FileRefused) as caught:
        check_upload(name, content)
    message = caught.value.message
    assert name in message
    for word in words:
        assert word in message
    return message


def test_a_plain_pdf_is_kept_byte_for_byte_with_its_text():
    pdf = files.simple_pdf("Lokalplan for Åen")
    checked = check_upload("plan.pdf", pdf)
    assert checked.content == pdf  # unchanged: a signed PDF keeps its signature
    assert checked.removed == ()
    assert "Lokalplan for Åen" in checked.text


@pytest.mark.parametrize(
    "damaged",
    [
        b"%PDF-1.7\nthis is not really a PDF",
        b"%PDF-1.4\n" + b"\x00" * 200,
        b"%PDF-",
        files.simple_pdf()[:700],
        files.simple_pdf()[:-400],
    ],
    ids=["garbage", "zeros", "header-only", "first-part", "truncated-end"],
)
def test_a_damaged_pdf_is_refused_with_a_message_not_an_exception(damaged):
    _refused("oedelagt.pdf", damaged, "beskadiget")


@pytest.mark.parametrize("user_password", ["hemmelig", ""], ids=["password", "owner-only"])
def test_an_encrypted_pdf_is_refused(user_password):
    _refused("krypteret.pdf", files.encrypted_pdf(user_password), "adgangskode eller kryptering")


@pytest.mark.parametrize("where", ["after", "comment", "string"])
def test_a_pdf_that_is_also_a_web_page_is_refused(where):
    _refused("polyglot.pdf", files.html_polyglot(where), "HTML-kode")


def test_harmless_rich_text_in_a_comment_annotation_is_not_taken_for_html():
    # Acrobat keeps the formatted text of comments as XHTML in a string.
    pdf = pikepdf.open(io.BytesIO(files.simple_pdf("Med kommentar")))
    rich = '<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml"><p dir="ltr">'
    rich += '<span style="font-size:10pt">Se afsnit 3</span></p></body>'
    pdf.pages[0].obj.Annots = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.FreeText,
                Rect=pikepdf.Array([10, 10, 200, 40]),
                RC=pikepdf.String(rich),
            )
        ]
    )
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    assert check_upload("kommentar.pdf", out.getvalue()).removed == ()


def test_a_pdf_without_pages_is_refused():
    pdf = pikepdf.new()
    out = io.BytesIO()
    pdf.save(out)
    _refused("tom.pdf", out.getvalue(), "ingen sider")


@pytest.mark.parametrize("kind", sorted(files.every_kind_of_active_content()))
def test_active_content_is_removed_and_the_pages_stay(kind):
    hostile = files.every_kind_of_active_content()[kind]
    assert files.active_content(hostile)  # the test file does carry it
    checked = check_upload(f"{kind}.pdf", hostile)
    assert checked.removed
    assert files.active_content(checked.content) == []
    assert checked.text.strip()  # the page text survived


def test_safe_links_survive_and_unsafe_ones_are_named():
    checked = check_upload("links.pdf", files.pdf_with_links())
    assert sorted(checked.removed) == ["/A /Launch", "/A /URI"]
    with pikepdf.open(io.BytesIO(checked.content)) as pdf:
        actions = [str(a.A.S) for a in pdf.pages[0].obj.Annots if "/A" in a]
    assert sorted(actions) == ["/GoTo", "/URI"]


def test_office_files_must_be_whole_packages_without_macros():
    assert check_upload("notat.docx", files.docx()).mime_type.endswith("document")
    assert check_upload("budget.xlsx", files.xlsx()).mime_type.endswith("sheet")
    _refused("budget.docx", files.xlsx(), "Word-dokument", "hoveddelen")
    _refused("kort.docx", files.docx()[:300], "ZIP-pakken er beskadiget")
    macro = files.docx({"word/vbaProject.bin": b"\x00" * 10})
    _refused("makro.docx", macro, "makroer")
    bare = io.BytesIO()
    with zipfile.ZipFile(bare, "w") as package:
        package.writestr("word/document.xml", "<document/>")
    _refused("uden-typer.docx", bare.getvalue(), "[Content_Types].xml mangler")


def test_an_office_file_with_a_damaged_part_is_refused():
    data = bytearray(files.docx())
    # flip a byte inside the compressed main part: its checksum no longer matches
    start = data.index(b"word/document.xml") + len("word/document.xml") + 2
    data[start] ^= 0xFF
    _refused("skadet.docx", bytes(data), "ikke et gyldigt Word-dokument")


def test_an_office_file_that_unpacks_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(upload_checks, "MAX_UNPACKED_BYTES", 1000)
    big = files.docx({"word/media/fyld.bin": b"\x00" * 5000})
    _refused("bombe.docx", big, "1 GB")


def test_images_must_be_whole():
    assert check_upload("kort.png", files.png()).mime_type == "image/png"
    assert check_upload("foto.jpg", files.JPEG).mime_type == "image/jpeg"
    png = files.png()
    _refused("afkortet.png", png[:-12], "afkortet")
    flipped = bytearray(png)
    flipped[40] ^= 0x01  # inside the image data: its checksum no longer matches
    _refused("skadet.png", bytes(flipped), "kontrolsumfejl")
    _refused("afkortet.jpg", files.JPEG[:-40], "afkortet")
    _refused("forkert.jpg", b"\xff\xd8\xff" + b"\x00" * 50, "beskadiget")


def test_type_and_text_rules_still_hold():
    _refused("prog.exe", b"MZ", "filtypen .exe er ikke tilladt")
    with pytest.raises(FileRefused, match="ikke en PDF-fil"):
        check_upload("virus.pdf", b"MZ\x90\x00")
    with pytest.raises(FileRefused, match="UTF-8"):
        check_upload("notat.txt", "Æbler".encode("latin-1"))
    assert check_upload("notat.txt", "Æbler".encode()).text == "Æbler"
    with pytest.raises(FileRefused, match="tom"):
        check_upload("tom.pdf", b"")


def test_names_that_are_not_utf8_neither_crash_the_check_nor_keep_an_action():
    # Found by the fuzz test: str() of such a PDF name raises UnicodeDecodeError.
    pdf = pikepdf.open(io.BytesIO(files.pdf_with_links()))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    raw = out.getvalue()
    assert b"/S /Launch" in raw
    mangled = raw.replace(b"/S /Launch", b"/S /La#C6ch").replace(
        b"/Subtype /Link", b"/Subtype /L#C6k"
    )
    checked = check_upload("navne.pdf", mangled)
    assert "/A /La#c6ch" in checked.removed
    assert files.active_content(checked.content) == []
