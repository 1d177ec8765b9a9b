"""Damaged and hostile uploads, made in the test with pikepdf and the standard library, and
a way to find active content left in a PDF."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
import typst

JAVASCRIPT = "app.alert('gremium-test')"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# An 8 × 8 grey baseline JPEG (made once with an image library; see fixtures/upload/README.md)
JPEG = (FIXTURES / "upload" / "graa.jpg").read_bytes()


def simple_pdf(text: str = "Bilagsside 1", pages: int = 1) -> bytes:
    source = "\n#pagebreak()\n".join(f"{text} {n}" for n in range(1, pages + 1))
    return typst.compile(source.encode())


def _save(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def _javascript(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(JAVASCRIPT))
    )


def pdf_with_page_action(text: str = "Side med handling") -> bytes:
    """A page-level additional action (/AA /O): runs when the page is opened."""
    pdf = pikepdf.open(io.BytesIO(simple_pdf(text)))
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=_javascript(pdf))
    return _save(pdf)


def pdf_with_open_action(text: str = "Dokument med OpenAction") -> bytes:
    pdf = pikepdf.open(io.BytesIO(simple_pdf(text)))
    pdf.Root.OpenAction = _javascript(pdf)
    return _save(pdf)


def pdf_with_named_javascript(text: str = "Dokument med navngivet script") -> bytes:
    pdf = pikepdf.open(io.BytesIO(simple_pdf(text)))
    tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), _javascript(pdf)]))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=tree)
    return _save(pdf)


def pdf_with_embedded_file(text: str = "Dokument med indlejret fil") -> bytes:
    pdf = pikepdf.open(io.BytesIO(simple_pdf(text)))
    payload = pikepdf.Stream(pdf, b"MZ gremium-test payload")
    spec = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec,
            F=pikepdf.String("payload.exe"),
            EF=pikepdf.Dictionary(F=payload),
        )
    )
    tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("payload.exe"), spec]))
    pdf.Root.Names = pikepdf.Dictionary(EmbeddedFiles=tree)
    # and the same file as an annotation on the page
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=pikepdf.Array([10, 10, 30, 30]),
        FS=spec,
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annotation]))
    return _save(pdf)


def pdf_with_links(text: str = "Dokument med links") -> bytes:
    """Four link annotations: a web link and a jump (kept), javascript: and Launch (not)."""
    pdf = pikepdf.open(io.BytesIO(simple_pdf(text)))
    page = pdf.pages[0].obj

    def link(action: pikepdf.Dictionary) -> pikepdf.Dictionary:
        return pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([10, 10, 30, 30]),
            A=action,
        )

    page.Annots = pikepdf.Array(
        [
            link(pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.dk/"))),
            link(
                pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([page, pikepdf.Name.Fit]))
            ),
            link(pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("JavaScript:evil()"))),
            link(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))),
        ]
    )
    return _save(pdf)


def every_kind_of_active_content() -> dict[str, bytes]:
    return {
        "side-handling": pdf_with_page_action(),
        "openaction": pdf_with_open_action(),
        "navngivet-script": pdf_with_named_javascript(),
        "indlejret-fil": pdf_with_embedded_file(),
        "links": pdf_with_links(),
    }


def encrypted_pdf(user_password: str) -> bytes:
    """Encrypted with an owner password, and with `user_password` ("" opens without one)."""
    pdf = pikepdf.open(io.BytesIO(simple_pdf("Krypteret")))
    return _save(pdf, encryption=pikepdf.Encryption(owner="ejer", user=user_password))


def html_polyglot(where: str) -> bytes:
    """A PDF that is also a web page: HTML after the end of the PDF, in a comment between
    objects, or as an event handler in a string."""
    pdf = simple_pdf("Polyglot")
    if where == "after":
        return pdf + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    if where == "comment":
        head, rest = pdf.split(b"\n", 1)
        return head + b"\n%<script>alert(1)</script>\n" + rest
    if where == "string":
        return pdf.replace(b"%%EOF", b"%%EOF\n(<img src=x onerror=alert(1)>)")
    raise ValueError(where)


def active_content(pdf: bytes) -> list[str]:
    """Every trace of active content in a PDF, read back with pikepdf: actions other than
    jumps and web links, scripts, automatic actions, embedded files. Empty when none."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for key in ("/OpenAction", "/AA"):
            if key in document.Root:
                found.append(f"Root{key}")
        names = document.Root.get("/Names", {})
        found += [f"Names{key}" for key in ("/JavaScript", "/EmbeddedFiles") if key in names]
        for obj in _dictionaries(document):
            found += [key for key in ("/AA", "/JS", "/EF") if key in obj]
            for key in ("/A", "/OpenAction", "/Next"):
                value = obj.get(key)
                actions = value if isinstance(value, pikepdf.Array) else [value]
                found += [f"{key} {_name(a.get('/S'))}" for a in actions if _unsafe_action(a)]
            if _name(obj.get("/Subtype")) == "/FileAttachment":
                found.append("/FileAttachment")
    raw = pdf + b"".join(_streams(pdf))
    if JAVASCRIPT.encode() in raw or b"gremium-test payload" in raw:
        found.append("script or payload bytes")
    return found


def _unsafe_action(action: object) -> bool:
    """An action that runs, launches, sends or leaves the document (javascript: too)."""
    if not isinstance(action, pikepdf.Dictionary):
        return False
    kind = _name(action.get("/S"))
    uri = action.get("/URI")
    script_uri = kind == "/URI" and b"javascript:" in bytes(uri if uri is not None else b"").lower()
    return kind in ("/JavaScript", "/Launch", "/GoToE", "/GoToR", "/SubmitForm") or script_uri


def _name(value: object) -> str:
    # unparse(): a name's bytes need not be UTF-8 (fuzzed files), and str() would raise
    return value.unparse().decode("latin-1") if isinstance(value, pikepdf.Name) else ""


def _dictionaries(document: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every dictionary and stream, also those nested directly in another object."""
    found, seen = [], set()
    stack = list(document.objects)
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Object):
            continue  # numbers and booleans come back as Python values
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            found.append(obj)
            stack.extend(obj.values())
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return found


def _streams(pdf: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [_stream_bytes(obj) for obj in document.objects if isinstance(obj, pikepdf.Stream)]


def _stream_bytes(stream: pikepdf.Object) -> bytes:
    try:
        return bytes(stream.read_bytes())
    except pikepdf.PdfError:  # a damaged stream (fuzz): its bytes as they are in the file
        return bytes(stream.read_raw_bytes())


def png(width: int = 3, height: int = 2) -> bytes:
    """A valid RGB PNG, written with zlib and struct."""
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))

    def chunk(name: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + name + body + struct.pack(">I", zlib.crc32(name + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def ooxml(main_part: str, main_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office Open XML package: content types, and the main part."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr(main_part, "<document>Indhold</document>")
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    return ooxml("word/document.xml", WORD_MAIN, extra)


def xlsx() -> bytes:
    return ooxml("xl/workbook.xml", EXCEL_MAIN)
