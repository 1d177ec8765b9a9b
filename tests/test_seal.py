"""Sealed minutes: approval seals the stored PDF; the seal verifies with pyhanko's validator,
on the command line and at /verificer/; one changed byte fails; PDF/A-2a and PDF/UA-1
survive; the timestamp path runs against a local RFC 3161 service; bad certificates stop
at the system check."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io

import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from gremium.documents.archive import matches_rendering, stored_pdf
from gremium.documents.models import StoredDocument
from gremium.documents.pdf import render_pdf
from gremium.documents.seal_checks import check_seal_settings
from gremium.documents.seal_verify import Verdict, verify_sealed_pdf
from gremium.documents.sealing import seal_minutes_pdf, unsealed_pdf
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings import services
from gremium.meetings.models import AttendanceStatus, DecisionOutcome
from gremium.organizations.models import Body, MembershipRole
from tests.factories import MeetingFactory, MembershipFactory
from tests.seal_material import DAY, issue, make_ca, timestamp_service, write_pem, write_pkcs12

CLOSED_CANARY = "Lukket-kanariefugl-7731"
PASSPHRASE = b"hemmelig kode"


@pytest.fixture
def seal_settings(settings, tmp_path):
    """Files under tmp_path; the test seal made there (once per test folder)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path
    settings.GREMIUM_SEAL_TEST_CERTIFICATE = True
    settings.GREMIUM_SEAL_PKCS12 = ""
    settings.GREMIUM_SEAL_PKCS12_BASE64 = ""
    settings.GREMIUM_SEAL_TRUST_ROOTS = []
    settings.GREMIUM_TIMESTAMP_URL = ""
    return settings


@pytest.fixture(scope="module")
def organisation_ca():
    return make_ca("Testkommunens rod")


@pytest.fixture
def organisation_seal(seal_settings, tmp_path, organisation_ca):
    """A configured organisation certificate with its own root, not the test seal."""
    holder = issue(organisation_ca, "Testkommune organisationscertifikat")
    seal_settings.GREMIUM_SEAL_PKCS12 = str(
        write_pkcs12(tmp_path / "segl.p12", holder, organisation_ca[0], PASSPHRASE)
    )
    seal_settings.GREMIUM_SEAL_PASSPHRASE = PASSPHRASE.decode()
    seal_settings.GREMIUM_SEAL_TRUST_ROOTS = [
        str(write_pem(tmp_path / "rod.pem", organisation_ca[0]))
    ]
    seal_settings.GREMIUM_SEAL_TEST_CERTIFICATE = False
    return seal_settings


def _approved(actor):
    """Approved minutes with an open and a closed item and two signing members."""
    meeting = MeetingFactory()
    organization = meeting.organization
    open_item = services.agenda_item_add(meeting=meeting, title="Budget 2027", by=actor)
    closed = services.agenda_item_add(
        meeting=meeting, title=CLOSED_CANARY, public=False, public_title="Lukket punkt", by=actor
    )
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor, keep_pdf=False)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    people = []
    for n in range(2):
        role = MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER
        person = MembershipFactory(organization=organization, role=role).person
        services.attendance_set(
            meeting=meeting, person=person, status=AttendanceStatus.PRESENT, by=actor
        )
        people.append(person)
    for item in (open_item, closed):
        services.decision_record(
            item=item, outcome=DecisionOutcome.APPROVED, text="Godkendt.", by=actor
        )
    meeting = services.meeting_publish_minutes(meeting=meeting, by=actor)
    for person in people:
        services.minutes_approve(meeting=meeting, person=person, by=actor)
    meeting.refresh_from_db()
    return meeting, people


def _stored(meeting, audience=Audience.PUBLIC) -> StoredDocument:
    return StoredDocument.objects.get(
        meeting=meeting, kind=DocumentKind.MINUTES, audience=audience, with_attachments=False
    )


def _changed(content: bytes, at: int) -> bytes:
    changed = bytearray(content)
    changed[at] = changed[at] ^ 0x01
    return bytes(changed)


@pytest.mark.django_db
def test_approval_stores_sealed_minutes_that_verify(seal_settings, actor):
    meeting, people = _approved(actor)
    for audience in (Audience.PUBLIC, Audience.INTERNAL):
        stored = _stored(meeting, audience)
        content = stored_pdf(stored)
        report = verify_sealed_pdf(content)
        assert report.verdict is Verdict.VALID, report
        assert report.test_seal and "TESTSEGL" in report.signer
        assert stored.minutes_sha256 in report.statement
        assert all(person.name in report.statement for person in people)
        assert report.location == meeting.organization.body.name
        # The stored facts describe the sealed bytes.
        assert stored.sha256 == hashlib.sha256(content).hexdigest()
        assert stored.sha512 == hashlib.sha512(content).hexdigest()
        assert stored.size == len(content)
        # A fresh rendering is the sealed file's first revision, byte for byte.
        assert matches_rendering(stored)
        assert unsealed_pdf(content) != content
    assert CLOSED_CANARY not in verify_sealed_pdf(stored_pdf(_stored(meeting))).statement


@pytest.mark.django_db
def test_one_changed_byte_fails_in_the_command_and_on_the_page(
    seal_settings, actor, client, tmp_path
):
    meeting, _people = _approved(actor)
    content = stored_pdf(_stored(meeting))
    good = tmp_path / "referat.pdf"
    good.write_bytes(content)
    out = io.StringIO()
    call_command("verify-pdf", str(good), stdout=out)
    assert "ikke ændret" in out.getvalue()
    # A byte in the rendered part, in the seal's own revision, and one appended.
    rendered = len(unsealed_pdf(content))
    for changed in (
        _changed(content, 400),
        _changed(content, rendered - 20),
        _changed(content, len(content) - 30),
        content + b"\n",
    ):
        bad = tmp_path / "aendret.pdf"
        bad.write_bytes(changed)
        err = io.StringIO()
        with pytest.raises(CommandError) as failure:
            call_command("verify-pdf", str(bad), stdout=io.StringIO(), stderr=err)
        assert failure.value.returncode == 1
        assert "modified" in str(failure.value)
        assert "ændret, efter at den blev forseglet" in err.getvalue()
        page = client.post("/verificer/", {"file": io.BytesIO(changed)})
        assert page.status_code == 200
        assert "ændret, efter at den blev forseglet" in page.content.decode()
    page = client.post("/verificer/", {"file": _upload(content)})
    assert "Seglet er gyldigt" in page.content.decode()
    assert "Testsegl" in page.content.decode()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("referat.pdf", content, content_type="application/pdf")


@pytest.mark.django_db
def test_sealed_minutes_stay_pdfa_2a_and_pdfua_1(seal_settings, demo_meeting):
    body = Body(name="Haderslev Kommune")
    from gremium.documents.build import build_document

    rendered = render_pdf(
        build_document(demo_meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    )
    sealed = seal_minutes_pdf(rendered, body, fingerprint="a" * 64, signers_names=["A"])
    assert sealed.startswith(rendered)  # an incremental update: no byte of it changed
    with pikepdf.open(io.BytesIO(sealed)) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
        assert meta["pdfuaid:part"] == "1"
        assert pdf.Root.MarkInfo.Marked is True and pdf.Root.Lang
        (field,) = pdf.Root.AcroForm.Fields
        assert field.FT == "/Sig" and field.TU
        # PDF/A-2: printable, not hidden; PDF/UA-1: the widget is a Form element in the
        # structure tree, found again through the parent tree.
        flags = int(field.F)
        assert flags & 4 and not flags & (1 | 2 | 32)
        key = int(field.StructParent)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        element = dict(zip(list(nums)[::2], list(nums)[1::2], strict=True))[key]
        assert element.S == "/Form" and element.K.Obj.objgen == field.objgen
        assert element.Alt
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == key + 1
        # PDF/A: the document information agrees with the XMP metadata the update changed.
        assert str(pdf.docinfo["/Producer"]) == meta["pdf:Producer"]
        assert _instant(str(pdf.docinfo["/ModDate"])) == datetime.datetime.fromisoformat(
            meta["xmp:ModifyDate"]
        )
        assert pdf.check_pdf_syntax() == []
    assert verify_sealed_pdf(sealed).verdict is Verdict.VALID


@pytest.mark.django_db
def test_the_organisation_certificate_with_a_timestamp(organisation_seal, organisation_ca):
    tsa = issue(organisation_ca, "Testkommunens tidsstempeltjeneste", timestamping=True)
    with timestamp_service(tsa) as url:
        organisation_seal.GREMIUM_TIMESTAMP_URL = url
        sealed = seal_minutes_pdf(_plain_pdf(), Body(name="Testkommune"))
    report = verify_sealed_pdf(sealed)
    assert report.verdict is Verdict.VALID, report
    assert report.timestamped and not report.test_seal
    assert report.signer.startswith("Testkommune organisationscertifikat")
    assert abs(report.sealed_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(
        minutes=5
    )
    # The test CA is not trusted where the test seal is off.
    organisation_seal.GREMIUM_SEAL_TRUST_ROOTS = []
    assert verify_sealed_pdf(sealed).verdict is Verdict.UNKNOWN_SIGNER


@pytest.mark.django_db
def test_a_seal_from_base64_settings(organisation_seal, tmp_path):
    organisation_seal.GREMIUM_SEAL_PKCS12_BASE64 = base64.b64encode(
        (tmp_path / "segl.p12").read_bytes()
    ).decode()
    organisation_seal.GREMIUM_SEAL_PKCS12 = ""
    assert verify_sealed_pdf(seal_minutes_pdf(_plain_pdf(), Body(name="X"))).ok


@pytest.mark.django_db
def test_unknown_expired_and_missing_seals(seal_settings, organisation_ca):
    plain = _plain_pdf()
    assert verify_sealed_pdf(plain).verdict is Verdict.NO_SEAL
    assert verify_sealed_pdf(b"<html>").verdict is Verdict.NOT_PDF
    stranger = make_ca("Ukendt rod")
    assert _signed(plain, issue(stranger, "Ukendt"), stranger).verdict is Verdict.UNKNOWN_SIGNER
    seal_settings.GREMIUM_SEAL_TRUST_ROOTS = [
        str(write_pem(seal_settings.DATA_DIR / "rod.pem", organisation_ca[0]))
    ]
    now = datetime.datetime.now(datetime.UTC)
    expired = issue(organisation_ca, "Udløbet", not_before=now - 400 * DAY, not_after=now - DAY)
    assert _signed(plain, expired, organisation_ca).verdict is Verdict.EXPIRED


def test_a_seal_s_texts_are_shown_without_control_characters(seal_settings, organisation_ca):
    stranger = make_ca("Ukendt rod")
    report = _signed(
        _plain_pdf(), issue(stranger, "Ukendt"), stranger, reason="\x1b]0;hej\x07" + "x" * 5000
    )
    assert report.verdict is Verdict.UNKNOWN_SIGNER
    assert "\x1b" not in report.statement and "\x07" not in report.statement
    assert len(report.statement) <= 2001


def _signed(pdf, holder, ca, reason=None):
    """Sealed with any certificate, bypassing gremium's own checks on it."""
    data = pkcs12.serialize_key_and_certificates(
        b"x", holder[1], holder[0], [ca[0]], serialization.NoEncryption()
    )
    out = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        signers.PdfSignatureMetadata(field_name="Segl", reason=reason),
        signer=signers.SimpleSigner.load_pkcs12_data(data, [], None),
        output=out,
    )
    return verify_sealed_pdf(out.getvalue())


def _instant(pdf_date: str) -> datetime.datetime:
    """A PDF date (D:20261128134831+01'00') as a datetime."""
    text = pdf_date.removeprefix("D:").replace("'", "")
    return datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y%m%d%H%M%S%z")


def _plain_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(out)
    return out.getvalue()


def test_the_system_check_names_a_bad_certificate(organisation_seal, settings):
    assert check_seal_settings() == []
    settings.GREMIUM_SEAL_PASSPHRASE = "forkert"
    (error,) = check_seal_settings()
    assert error.id == "gremium.E101" and "wrong GREMIUM_SEAL_PASSPHRASE" in error.msg
    settings.GREMIUM_SEAL_PKCS12 = "/ingen/sådan/fil.p12"
    (error,) = check_seal_settings()
    assert error.id == "gremium.E101" and "/ingen/sådan/fil.p12" in error.msg
    settings.GREMIUM_SEAL_PKCS12 = ""
    settings.DEBUG = False
    (warning,) = check_seal_settings()
    assert warning.id == "gremium.W101"
    settings.GREMIUM_TIMESTAMP_URL = "ftp://tsa"
    assert "gremium.E103" in {m.id for m in check_seal_settings()}


def test_an_expired_configured_certificate_is_an_error(
    organisation_seal, organisation_ca, tmp_path
):
    now = datetime.datetime.now(datetime.UTC)
    expired = issue(organisation_ca, "Gammel", not_before=now - 400 * DAY, not_after=now - DAY)
    organisation_seal.GREMIUM_SEAL_PKCS12 = str(
        write_pkcs12(tmp_path / "gammel.p12", expired, organisation_ca[0], PASSPHRASE)
    )
    (error,) = check_seal_settings()
    assert error.id == "gremium.E101" and "expired" in error.msg


@pytest.mark.django_db
def test_the_verify_page_reveals_nothing_about_closed_items(seal_settings, actor, client):
    meeting, _people = _approved(actor)
    page = client.get(f"/verificer/moeder/{meeting.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Seglet er gyldigt" in text
    assert CLOSED_CANARY not in text
    internal = verify_sealed_pdf(stored_pdf(_stored(meeting, Audience.INTERNAL)))
    assert internal.ok  # the members' copy is sealed too, and only they can fetch it
    assert client.get("/verificer/moeder/999999/").status_code == 404
    unpublished = MeetingFactory()
    assert client.get(f"/verificer/moeder/{unpublished.pk}/").status_code == 404
    meeting_page = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert f"/verificer/moeder/{meeting.pk}/" in meeting_page


@pytest.mark.django_db
def test_the_upload_form_refuses_a_missing_or_oversize_file(seal_settings, client):
    page = client.post("/verificer/", {})
    assert page.status_code == 400
    assert "Vælg den PDF-fil" in page.content.decode()
    seal_settings.GREMIUM_MAX_UPLOAD_MB = 1
    page = client.post("/verificer/", {"file": _upload(b"%PDF-1.7\n" + b"0" * 1_200_000)})
    assert page.status_code == 400
    assert "højst 1 MB" in page.content.decode()
    assert client.get("/verificer/").status_code == 200


@pytest.mark.django_db
def test_each_body_seals_with_its_own_certificate(seal_settings, organisation_ca, tmp_path):
    folder = tmp_path / "segl"
    folder.mkdir()
    own = Body.objects.create(name="Egen Kommune")
    other = Body.objects.create(name="Anden Kommune")
    holder = issue(organisation_ca, "Egen Kommune segl")
    write_pkcs12(folder / f"{own.slug}.p12", holder, organisation_ca[0], PASSPHRASE)
    seal_settings.GREMIUM_SEAL_PKCS12_DIR = str(folder)
    seal_settings.GREMIUM_SEAL_PASSPHRASE = PASSPHRASE.decode()
    seal_settings.GREMIUM_SEAL_TRUST_ROOTS = [
        str(write_pem(tmp_path / "rod.pem", organisation_ca[0]))
    ]
    mine = verify_sealed_pdf(seal_minutes_pdf(_plain_pdf(), own))
    assert mine.ok and mine.signer.startswith("Egen Kommune segl") and not mine.test_seal
    # A body without a file of its own gets the deployment's seal, here the test seal.
    theirs = verify_sealed_pdf(seal_minutes_pdf(_plain_pdf(), other))
    assert theirs.ok and theirs.test_seal
    # The test seal in production mode (DEBUG is off in the tests) is worth a warning.
    assert [m.id for m in check_seal_settings()] == ["gremium.W102"]
    (folder / "brudt.p12").write_bytes(b"no PKCS#12")
    error, _warning = check_seal_settings()
    assert error.id == "gremium.E101" and "brudt.p12" in error.msg


@pytest.mark.django_db
def test_minutes_that_cannot_be_sealed_are_served_but_not_kept(
    seal_settings, actor, client, caplog
):
    seal_settings.GREMIUM_TIMESTAMP_URL = "http://127.0.0.1:9/"  # nothing answers there
    meeting, _people = _approved(actor)
    assert not StoredDocument.objects.filter(meeting=meeting, kind=DocumentKind.MINUTES).exists()
    assert "not sealed" in caplog.text
    served = client.get(f"/moeder/{meeting.pk}/referat.pdf")
    assert served.status_code == 200
    assert verify_sealed_pdf(served.content).verdict is Verdict.NO_SEAL
    # The service is back: the next download seals and keeps them.
    seal_settings.GREMIUM_TIMESTAMP_URL = ""
    served = client.get(f"/moeder/{meeting.pk}/referat.pdf")
    assert verify_sealed_pdf(served.content).ok
    assert stored_pdf(_stored(meeting)) == served.content
