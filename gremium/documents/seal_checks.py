"""System checks for the seal's settings, run by every management command and at start:
a certificate that cannot seal is an error before the first approval, not after it."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from gremium.documents.seal_keys import (
    SealCertificate,
    SealCertificateError,
    certificates_in_folder,
    configured_certificate,
    load_certificate,
    trust_roots,
)

# A certificate this close to its end gets a warning: ordering a new one takes time.
_RENEW_DAYS = 30


@register("gremium")
def check_seal_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    messages.extend(_certificate_messages())
    messages.extend(_trust_root_messages())
    url = settings.GREMIUM_TIMESTAMP_URL
    if url and urlparse(url).scheme not in ("http", "https"):
        messages.append(
            Error(
                f"GREMIUM_TIMESTAMP_URL={url!r} is not an http(s) address of an RFC 3161 "
                "timestamp service",
                id="gremium.E103",
            )
        )
    return messages


def _certificate_messages() -> list[CheckMessage]:
    try:
        own = certificates_in_folder()
        found = configured_certificate()
    except SealCertificateError as error:
        return [Error(str(error), id="gremium.E101")]
    if found is None and not own:
        return [] if settings.DEBUG else [_unsealed_warning()]
    messages: list[CheckMessage] = []
    for certificate in [*own, *([found] if found else [])]:
        messages.extend(_one_certificate(certificate))
    return messages


def _one_certificate(found: SealCertificate) -> list[CheckMessage]:
    try:
        loaded = load_certificate(found)
    except SealCertificateError as error:
        return [Error(str(error), id="gremium.E101")]
    if found.test and not settings.DEBUG:
        return [
            Warning(
                "GREMIUM_SEAL_TEST_CERTIFICATE is on in production: approved minutes are "
                "sealed with a self-made test seal that proves nothing to readers",
                hint="Install the organisation certificate (docs/operations.md) and turn "
                "GREMIUM_SEAL_TEST_CERTIFICATE off.",
                id="gremium.W102",
            )
        ]
    left = loaded.certificate.not_valid_after_utc - datetime.datetime.now(datetime.UTC)
    if not found.test and left < datetime.timedelta(days=_RENEW_DAYS):
        return [
            Warning(
                f"{found.source}: the certificate expires in {left.days} days",
                hint="Order a new organisation certificate and replace it "
                "(docs/operations.md, rotating the seal certificate).",
                id="gremium.W103",
            )
        ]
    return []


def _unsealed_warning() -> CheckMessage:
    return Warning(
        "No seal certificate: approved minutes are stored without a seal",
        hint="Set GREMIUM_SEAL_PKCS12 (or GREMIUM_SEAL_PKCS12_BASE64) and "
        "GREMIUM_SEAL_PASSPHRASE to the organisation certificate (docs/operations.md).",
        id="gremium.W101",
    )


def _trust_root_messages() -> list[CheckMessage]:
    try:
        trust_roots()
    except SealCertificateError as error:
        return [Error(f"GREMIUM_SEAL_TRUST_ROOTS: {error}", id="gremium.E102")]
    return []
