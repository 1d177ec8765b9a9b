"""Seal approved minutes: a PAdES signature by the organisation's certificate, added to the
PDF as an incremental update.

An incremental update appends to the file and changes none of its bytes: the rendered PDF
(PDF/A-2a and PDF/UA-1, as Typst wrote it) is the sealed file's beginning, so a fresh
rendering of the same approved version still compares equal to it (`unsealed_pdf`). The
seal is invisible (no appearance on a page); its reason lists the approval's fingerprint
and the signers, and a test seal says that it is one.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper

from gremium.documents.seal_keys import (
    TEST_MARK,
    SealCertificate,
    SealCertificateError,
    configured_certificate,
    load_certificate,
)
from gremium.organizations.models import Body

FIELD_NAME = "Segl"
# Seconds the timestamp service may take before sealing fails (and is retried later).
_TIMESTAMP_TIMEOUT = 10


class SealingError(Exception):
    """The PDF could not be sealed (timestamp service down, unusable certificate)."""


def sealing_enabled() -> bool:
    """Whether approved minutes get a seal: a certificate is configured, or the test seal."""
    return bool(
        settings.GREMIUM_SEAL_PKCS12
        or settings.GREMIUM_SEAL_PKCS12_BASE64
        or settings.GREMIUM_SEAL_PKCS12_DIR
        or settings.GREMIUM_SEAL_TEST_CERTIFICATE
    )


def is_test_seal(body_slug: str = "") -> bool:
    """Whether the body's minutes are sealed with the self-made test seal."""
    found = configured_certificate(body_slug)
    return found is not None and found.test


def seal_minutes_pdf(
    pdf_bytes: bytes, body: Body, *, fingerprint: str = "", signers_names: Sequence[str] = ()
) -> bytes:
    """The PDF with the body's seal appended; unchanged when no certificate is configured.
    SealingError when a configured certificate or the timestamp service fails."""
    try:
        found = configured_certificate(body.slug)
        if found is None:
            return pdf_bytes
        signer = _signer(found)
    except SealCertificateError as error:
        raise SealingError(str(error)) from error
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=seal_reason(found.test, fingerprint, signers_names),
        location=body.name,
    )
    out = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        _add_tagged_field(writer)
        signers.sign_pdf(writer, meta, signer=signer, timestamper=_timestamper(), output=out)
    except Exception as error:
        raise SealingError(f"could not seal the minutes: {error}") from error
    return out.getvalue()


def seal_reason(test: bool, fingerprint: str, signers_names: Sequence[str]) -> str:
    """What the seal states, in Danish: whose approval, which version, and a test seal's
    warning first."""
    parts = []
    if test:
        parts.append(_("%(mark)s: kun til afprøvning, ikke kommunens segl.") % {"mark": TEST_MARK})
    parts.append(_("Godkendt referat."))
    if fingerprint:
        parts.append(_("Fingeraftryk (sha256): %(sha)s.") % {"sha": fingerprint})
    if signers_names:
        parts.append(_("Godkendt af: %(names)s.") % {"names": ", ".join(signers_names)})
    return " ".join(parts)


def unsealed_pdf(pdf_bytes: bytes) -> bytes:
    """The PDF as rendered, before the seal was appended: the bytes the seal's first
    revision ends at, or the file itself when it has no seal."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        sealed = [s for s in reader.embedded_signatures if s.field_name == FIELD_NAME]
    except Exception:  # not a PDF pyhanko can read: nothing to take off
        return pdf_bytes
    if not sealed:
        return pdf_bytes
    revision = sealed[0].signed_revision
    if revision == 0:
        return pdf_bytes
    end = reader.xrefs.get_startxref_for_revision(revision - 1)
    tail = pdf_bytes.find(b"%%EOF", end)
    if tail < 0:
        return pdf_bytes
    tail += len(b"%%EOF")
    while tail < len(pdf_bytes) and pdf_bytes[tail : tail + 1] in (b"\r", b"\n"):
        tail += 1
    return pdf_bytes[:tail]


def _add_tagged_field(writer: IncrementalPdfFileWriter) -> None:
    """An empty, invisible signature field on the first page, with its description and,
    in a tagged PDF, a Form structure element: PDF/UA-1 wants every widget in the
    structure tree, and PDF/A-2 a printable, unhidden annotation (pyhanko sets Print and
    Locked)."""
    page_ref = writer.find_page_for_modification(0)[0]
    field_ref = fields.prepare_sig_field(
        FIELD_NAME,
        writer.root,
        update_writer=writer,
        existing_fields_only=False,
        box=None,
        include_on_page=page_ref,
    )[1]
    widget = field_ref.get_object()
    description = generic.TextStringObject(_("Elektronisk segl på det godkendte referat"))
    widget["/TU"] = description
    if "/StructTreeRoot" not in writer.root:
        return
    tree = writer.root["/StructTreeRoot"]
    top = tree["/K"]
    parent_ref = top[0] if isinstance(top, generic.ArrayObject) else tree.raw_get("/K")
    parent = parent_ref.get_object()
    key = int(tree.get("/ParentTreeNextKey", 0))
    form_ref = writer.add_object(
        generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/StructElem"),
                pdf_name("/S"): pdf_name("/Form"),
                pdf_name("/P"): parent_ref,
                pdf_name("/Pg"): page_ref,
                pdf_name("/Alt"): description,
                pdf_name("/K"): generic.DictionaryObject(
                    {
                        pdf_name("/Type"): pdf_name("/OBJR"),
                        pdf_name("/Obj"): field_ref,
                        pdf_name("/Pg"): page_ref,
                    }
                ),
            }
        )
    )
    kids = parent.get("/K")
    if not isinstance(kids, generic.ArrayObject):
        kids = generic.ArrayObject([] if kids is None else [kids])
        parent["/K"] = kids
    kids.append(form_ref)
    writer.update_container(parent)
    widget["/StructParent"] = generic.NumberObject(key)
    writer.update_container(widget)
    nums = tree["/ParentTree"]["/Nums"]
    nums.extend([generic.NumberObject(key), form_ref])
    writer.update_container(nums)
    tree["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree)


@functools.lru_cache(maxsize=4)
def _signer_for(pkcs12_data: bytes, passphrase: bytes | None) -> signers.SimpleSigner:
    return signers.SimpleSigner.load_pkcs12_data(pkcs12_data, [], passphrase)


def _signer(found: SealCertificate) -> signers.SimpleSigner:
    load_certificate(found)  # a clear message for a wrong passphrase or an expired one
    return _signer_for(found.pkcs12, found.passphrase)


def _timestamper() -> HTTPTimeStamper | None:
    url = settings.GREMIUM_TIMESTAMP_URL
    return HTTPTimeStamper(url, timeout=_TIMESTAMP_TIMEOUT) if url else None
