"""The certificate that seals approved minutes: the organisation's PKCS#12 from the settings,
or, for development and the demo, a test seal made once under <DATA_DIR>/testsegl/.

The test seal is a self-made CA and a seal certificate it issued. Its names say
"TESTSEGL" so that no reader can take a demo PDF for a municipality's record, and the
verification trusts its CA only where GREMIUM_SEAL_TEST_CERTIFICATE is on.
"""

from __future__ import annotations

import base64
import datetime
import functools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

TEST_MARK = "TESTSEGL"
TEST_FOLDER = "testsegl"
TEST_CA_FILE = "test-ca.pem"
TEST_CA_KEY_FILE = "test-ca-key.pem"
TEST_SEAL_FILE = "testsegl.p12"
# The test seal's passphrase protects nothing (the file lies next to it); PKCS#12 wants one.
TEST_PASSPHRASE = b"testsegl"
_TEST_YEARS = 10


class SealCertificateError(Exception):
    """The configured certificate cannot be used; the message says which and why."""


@dataclass(frozen=True)
class SealCertificate:
    pkcs12: bytes
    passphrase: bytes | None
    test: bool  # made by gremium for development: the seal says so
    source: str  # where it came from, for messages


def configured_certificate(body_slug: str = "") -> SealCertificate | None:
    """The certificate that seals a body's minutes: the body's own file in
    GREMIUM_SEAL_PKCS12_DIR, else the deployment's from GREMIUM_SEAL_PKCS12(_BASE64), else
    the test seal when it is enabled; None when there is none (stored without a seal)."""
    passphrase = settings.GREMIUM_SEAL_PASSPHRASE.encode("utf-8") or None
    own = body_certificate_path(body_slug)
    if own is not None and own.is_file():
        return SealCertificate(
            _read(own, "GREMIUM_SEAL_PKCS12_DIR"),
            passphrase,
            False,
            f"GREMIUM_SEAL_PKCS12_DIR ({own})",
        )
    if settings.GREMIUM_SEAL_PKCS12:
        path = Path(settings.GREMIUM_SEAL_PKCS12)
        data = _read(path, "GREMIUM_SEAL_PKCS12")
        return SealCertificate(data, passphrase, False, f"GREMIUM_SEAL_PKCS12 ({path})")
    if settings.GREMIUM_SEAL_PKCS12_BASE64:
        try:
            data = base64.b64decode(settings.GREMIUM_SEAL_PKCS12_BASE64, validate=True)
        except ValueError as error:
            raise SealCertificateError("GREMIUM_SEAL_PKCS12_BASE64 is not valid base64") from error
        return SealCertificate(data, passphrase, False, "GREMIUM_SEAL_PKCS12_BASE64")
    if settings.GREMIUM_SEAL_TEST_CERTIFICATE:
        folder = test_seal_folder()
        return SealCertificate(
            ensure_test_seal(folder), TEST_PASSPHRASE, True, f"test seal ({folder})"
        )
    return None


def body_certificate_path(body_slug: str) -> Path | None:
    """Where a body's own certificate lies when GREMIUM_SEAL_PKCS12_DIR is set."""
    folder = settings.GREMIUM_SEAL_PKCS12_DIR
    if not (folder and body_slug):
        return None
    return Path(folder) / f"{body_slug}.p12"


def certificates_in_folder() -> list[SealCertificate]:
    """Every body's certificate in GREMIUM_SEAL_PKCS12_DIR, for the system check."""
    folder = settings.GREMIUM_SEAL_PKCS12_DIR
    if not folder:
        return []
    try:
        paths = sorted(Path(folder).glob("*.p12"))
    except OSError as error:
        raise SealCertificateError(f"GREMIUM_SEAL_PKCS12_DIR: cannot read {folder}") from error
    if not Path(folder).is_dir():
        raise SealCertificateError(f"GREMIUM_SEAL_PKCS12_DIR: {folder} is not a folder")
    passphrase = settings.GREMIUM_SEAL_PASSPHRASE.encode("utf-8") or None
    return [
        SealCertificate(
            _read(path, "GREMIUM_SEAL_PKCS12_DIR"),
            passphrase,
            False,
            f"GREMIUM_SEAL_PKCS12_DIR ({path})",
        )
        for path in paths
    ]


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SealCertificateError(f"{setting}: cannot read {path}: {error.strerror}") from error


@dataclass(frozen=True)
class LoadedCertificate:
    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: list[x509.Certificate]


def load_certificate(found: SealCertificate) -> LoadedCertificate:
    """The key and certificates of the PKCS#12; SealCertificateError when the passphrase is
    wrong, the file is no PKCS#12, it holds no key, or the certificate is not valid now."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(found.pkcs12, found.passphrase)
    except ValueError as error:
        raise SealCertificateError(
            f"{found.source}: cannot open the PKCS#12 (wrong GREMIUM_SEAL_PASSPHRASE, "
            "or not a PKCS#12 file)"
        ) from error
    if key is None or certificate is None:
        raise SealCertificateError(f"{found.source}: the PKCS#12 holds no key and certificate")
    now = datetime.datetime.now(datetime.UTC)
    if certificate.not_valid_after_utc < now:
        raise SealCertificateError(
            f"{found.source}: the certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}"
        )
    if certificate.not_valid_before_utc > now:
        raise SealCertificateError(
            f"{found.source}: the certificate is valid only from "
            f"{certificate.not_valid_before_utc:%Y-%m-%d}"
        )
    return LoadedCertificate(key, certificate, list(chain))


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates a seal may chain to: GREMIUM_SEAL_TRUST_ROOTS (PEM files, each with
    one or more certificates), and the test CA where the test seal is enabled."""
    roots: list[x509.Certificate] = []
    for name in settings.GREMIUM_SEAL_TRUST_ROOTS:
        roots.extend(_pem_certificates(Path(name)))
    if settings.GREMIUM_SEAL_TEST_CERTIFICATE:
        folder = test_seal_folder()
        ensure_test_seal(folder)
        roots.extend(_pem_certificates(folder / TEST_CA_FILE))
    return [_asn1(certificate) for certificate in roots]


def test_ca_fingerprints() -> set[bytes]:
    """sha256 of the test CA where enabled: a seal chaining to it is called a test seal."""
    if not settings.GREMIUM_SEAL_TEST_CERTIFICATE:
        return set()
    folder = test_seal_folder()
    ensure_test_seal(folder)
    return {c.fingerprint(hashes.SHA256()) for c in _pem_certificates(folder / TEST_CA_FILE)}


def test_seal_folder() -> Path:
    return Path(settings.DATA_DIR) / TEST_FOLDER


def ensure_test_seal(folder: Path) -> bytes:
    """The test seal's PKCS#12, made with its CA the first time it is asked for."""
    return _test_seal(str(folder))


@functools.cache
def _test_seal(folder_name: str) -> bytes:
    folder = Path(folder_name)
    if not (folder / TEST_SEAL_FILE).exists():
        _make_test_seal(folder)
    return (folder / TEST_SEAL_FILE).read_bytes()


def _make_test_seal(folder: Path) -> None:
    """Write the CA and the seal into a new folder and move it into place in one step, so
    that two processes starting at once never mix one's CA with the other's seal."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".testsegl-", dir=folder.parent))
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(f"gremium {TEST_MARK} CA (kun til test)", ca_key, ca_key, None, is_ca=True)
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal = _certificate(f"gremium {TEST_MARK} (kun til test)", seal_key, ca_key, ca, is_ca=False)
    (staging / TEST_CA_FILE).write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    key_file = staging / TEST_CA_KEY_FILE
    key_file.write_bytes(
        ca_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(key_file, 0o600)
    bundle = pkcs12.serialize_key_and_certificates(
        TEST_MARK.encode(),
        seal_key,
        seal,
        [ca],
        serialization.BestAvailableEncryption(TEST_PASSPHRASE),
    )
    (staging / TEST_SEAL_FILE).write_bytes(bundle)
    try:
        staging.rename(folder)
    except OSError:  # another process made it first: use that one
        for child in staging.iterdir():
            child.unlink()
        staging.rmdir()


def _certificate(
    common_name: str,
    key: ec.EllipticCurvePrivateKey,
    issuer_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    *,
    is_ca: bool,
) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"gremium {TEST_MARK}"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * _TEST_YEARS))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if is_ca:
        usage = _key_usage(cert_sign=True)
    else:
        usage = _key_usage(cert_sign=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    return builder.add_extension(usage, critical=True).sign(issuer_key, hashes.SHA256())


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _pem_certificates(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SealCertificateError(f"cannot read trust root {path}: {error.strerror}") from error
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise SealCertificateError(f"{path} holds no PEM certificate") from error


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
