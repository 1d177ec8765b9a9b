"""Is a PDF the record as a body sealed it? Checked with pyhanko's validator against the
trust roots (seal_keys.trust_roots), for `gremium verify-pdf` and the page /verificer/.

A file passes only when the seal is intact, cryptographically valid, covers the whole file
(nothing appended since) and chains to a trusted root. The answer names what failed first,
in that order, so a changed byte is reported as a change, never as a trust problem.
"""

from __future__ import annotations

import datetime
import enum
import io
import logging
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from gremium.documents.seal_keys import TEST_MARK, test_ca_fingerprints, trust_roots

log = logging.getLogger(__name__)
# Organisation certificates assert "digital signature", "non-repudiation" or both; either
# will do for a seal (pyhanko's default demands non-repudiation).
# The most of a seal's texts shown: they come from files anyone can make.
_SHOWN_MAX = 2000
# What pyhanko reports for a certificate that had expired when the seal was checked.
_EXPIRED = (
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
)
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


class Verdict(enum.StrEnum):
    VALID = "valid"
    MODIFIED = "modified"  # a byte changed or something appended after sealing
    UNKNOWN_SIGNER = "unknown-signer"  # sealed, but not by a trusted certificate
    EXPIRED = "expired"  # the certificate had expired and no timestamp proves otherwise
    NO_SEAL = "no-seal"
    NOT_PDF = "not-pdf"


@dataclass(frozen=True)
class SealReport:
    verdict: Verdict
    signer: str = ""  # the certificate's name and organisation
    sealed_at: datetime.datetime | None = None
    timestamped: bool = False  # sealed_at comes from a trusted timestamp
    test_seal: bool = False
    statement: str = ""  # what the seal states: fingerprint and those who approved
    location: str = ""  # the body named in the seal

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.VALID

    def summary(self) -> str:
        """One Danish sentence for the verdict."""
        return str(_SUMMARIES[self.verdict]())


_SUMMARIES = {
    Verdict.VALID: lambda: _(
        "Filen er referatet, som det blev forseglet, og den er ikke ændret siden."
    ),
    Verdict.MODIFIED: lambda: _(
        "Filen er ændret, efter at den blev forseglet: den er ikke det forseglede referat."
    ),
    Verdict.UNKNOWN_SIGNER: lambda: _(
        "Filen har et segl, men ikke fra et certifikat, som gremium stoler på."
    ),
    Verdict.EXPIRED: lambda: _(
        "Seglets certifikat er udløbet, og intet tidsstempel viser, at filen blev "
        "forseglet, mens det var gyldigt."
    ),
    Verdict.NO_SEAL: lambda: _("Filen har intet segl."),
    Verdict.NOT_PDF: lambda: _("Filen er ikke en PDF, der kan læses."),
}


def verify_sealed_pdf(content: bytes) -> SealReport:
    """The verdict on a PDF's seal, with who sealed it and when as far as they are known."""
    if not content.startswith(b"%PDF-"):
        return SealReport(Verdict.NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        seals = list(reader.embedded_signatures)
    except Exception:  # damaged beyond reading: a sealed file was changed, else no PDF
        log.info("PDF unreadable for verification", exc_info=log.isEnabledFor(logging.DEBUG))
        return SealReport(Verdict.MODIFIED if b"/ByteRange" in content else Verdict.NOT_PDF)
    if not seals:
        return SealReport(Verdict.MODIFIED if b"/ByteRange" in content else Verdict.NO_SEAL)
    return _judge(seals[0])


def _judge(seal: EmbeddedPdfSignature) -> SealReport:
    try:
        status = _validate(seal, ValidationContext(trust_roots=trust_roots()))
    except Exception:  # the signature itself is damaged (a changed byte in it)
        log.info("seal unreadable for verification", exc_info=log.isEnabledFor(logging.DEBUG))
        return SealReport(Verdict.MODIFIED)
    found = _facts(seal, status)
    if not (status.intact and status.valid):
        return SealReport(Verdict.MODIFIED, **found)
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return SealReport(Verdict.MODIFIED, **found)
    if status.trust_problem_indic in _EXPIRED and found["timestamped"]:
        # Proven to be sealed while the certificate was valid: judge it at that time.
        when = found["sealed_at"]
        status = _validate(seal, ValidationContext(trust_roots=trust_roots(), moment=when))
    if status.trusted:
        return SealReport(Verdict.VALID, **found)
    if status.trust_problem_indic in _EXPIRED:
        return SealReport(Verdict.EXPIRED, **found)
    return SealReport(Verdict.UNKNOWN_SIGNER, **found)


def _validate(seal: EmbeddedPdfSignature, context: ValidationContext) -> PdfSignatureStatus:
    return validate_pdf_signature(seal, context, key_usage_settings=_KEY_USAGE)


def _facts(seal: EmbeddedPdfSignature, status: PdfSignatureStatus) -> dict:
    stamp = status.timestamp_validity
    timestamped = bool(stamp and stamp.intact and stamp.valid and stamp.trusted)
    sealed_at = stamp.timestamp if stamp and timestamped else status.signer_reported_dt
    value = seal.sig_object
    return {
        "signer": _shown(_name(status.signing_cert)),
        "sealed_at": sealed_at,
        "timestamped": timestamped,
        "test_seal": _is_test_seal(status),
        "statement": _shown(value.get("/Reason", "")),
        "location": _shown(value.get("/Location", "")),
    }


def _shown(text: object) -> str:
    """Text from an uploaded file, safe to print: no control characters (a terminal would
    act on them), and bounded in length."""
    cleaned = "".join(c if c.isprintable() else " " for c in str(text))
    return cleaned[:_SHOWN_MAX] + ("…" if len(cleaned) > _SHOWN_MAX else "")


def _name(certificate: asn1_x509.Certificate) -> str:
    subject = certificate.subject.native
    name = subject.get("common_name", "")
    organisation = subject.get("organization_name", "")
    if organisation and organisation not in name:
        return f"{name} ({organisation})"
    return str(name)


def _is_test_seal(status: PdfSignatureStatus) -> bool:
    path = status.validation_path
    if path is not None and path.trust_anchor is not None:
        anchor = getattr(path.trust_anchor.authority, "certificate", None)
        if anchor is not None and anchor.sha256 in test_ca_fingerprints():
            return True
    # Untrusted or not: a certificate that calls itself a test seal is one.
    return TEST_MARK in _name(status.signing_cert)


def describe(report: SealReport) -> list[str]:
    """The report as lines for the command line (Danish, like the page)."""
    lines = [report.summary()]
    if report.signer:
        lines.append(_("Forseglet af: %(signer)s") % {"signer": report.signer})
    if report.location:
        lines.append(_("Myndighed: %(body)s") % {"body": report.location})
    if report.sealed_at:
        source = _("tidsstempel") if report.timestamped else _("seglets egen angivelse")
        lines.append(
            _("Forseglet: %(when)s (%(source)s)")
            % {"when": report.sealed_at.isoformat(timespec="seconds"), "source": source}
        )
    if report.statement:
        lines.append(_("Seglet angiver: %(text)s") % {"text": report.statement})
    if report.test_seal:
        lines.append(_("Bemærk: et testsegl, ikke en myndigheds segl."))
    return lines
