"""System checks for a production deployment: `gremium check --deploy` runs them, and
`gremium serve` runs them before it starts and refuses to start on an error.

Each names the setting to change. Django's own deploy checks (security.W0xx) run beside
them; these add what is particular to gremium or worth an error rather than a warning.
E009 (files inside the static folder) runs on every check: it would publish closed items.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from gremium.lib.env import DEVELOPMENT_SECRET_KEY

MIN_SECRET_KEY_LENGTH = 50
MIN_METRICS_TOKEN_LENGTH = 32


@register(Tags.security, deploy=True)
def debug_off(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.DEBUG:
        return []
    return [
        Error(
            "DEBUG is on: error pages show code, settings and data to every visitor.",
            hint="Unset DEBUG (or DEBUG=0) in production; it is for local development only.",
            id="gremium.E001",
        )
    ]


@register(Tags.security, deploy=True)
def secret_key_strong(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    key = settings.SECRET_KEY
    if key == DEVELOPMENT_SECRET_KEY:
        problem = "is gremium's public development key"
    elif len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        problem = f"is shorter than {MIN_SECRET_KEY_LENGTH} characters or hardly varies"
    else:
        return []
    return [
        Error(
            f"SECRET_KEY {problem}: anyone who knows or guesses it can forge sessions.",
            hint='Set SECRET_KEY to the output of python3 -c "import secrets; '
            'print(secrets.token_urlsafe(50))".',
            id="gremium.E002",
        )
    ]


@register(Tags.security, deploy=True)
def hosts_named(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.ALLOWED_HOSTS:
        return [
            Error(
                "ALLOWED_HOSTS is empty: every request is refused (400).",
                hint="Set ALLOWED_HOSTS to the site's host names, e.g. moeder.example.dk.",
                id="gremium.E003",
            )
        ]
    if "*" in settings.ALLOWED_HOSTS:
        return [
            Warning(
                "ALLOWED_HOSTS accepts any host: links and OParl ids are built from the "
                "Host header a client sends.",
                hint="Name the site's host names in ALLOWED_HOSTS instead of *.",
                id="gremium.W004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def proxies_narrow(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    everyone = [str(net) for net in settings.GREMIUM_TRUSTED_PROXIES if net.prefixlen == 0]
    if not everyone:
        return []
    return [
        Error(
            f"GREMIUM_TRUSTED_PROXIES trusts every address ({', '.join(everyone)}): any "
            "client can claim HTTPS and another client address.",
            hint="List only the proxies' own addresses or their network, e.g. 10.0.5.2.",
            id="gremium.E005",
        )
    ]


@register(Tags.security, deploy=True)
def https_ensured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not settings.SECURE_SSL_REDIRECT and not settings.SECURE_HSTS_SECONDS:
        messages.append(
            Warning(
                "Nothing makes browsers use HTTPS: SECURE_SSL_REDIRECT is off and "
                "SECURE_HSTS_SECONDS is 0.",
                hint="Keep SECURE_SSL_REDIRECT on, or let the proxy redirect and keep HSTS.",
                id="gremium.W006",
            )
        )
    plain = [o for o in settings.CSRF_TRUSTED_ORIGINS if o.lower().startswith("http://")]
    if plain:
        messages.append(
            Warning(
                f"CSRF_TRUSTED_ORIGINS has origins without HTTPS: {', '.join(plain)}.",
                hint="Use https:// origins; behind a proxy, let it set X-Forwarded-Proto.",
                id="gremium.W007",
            )
        )
    return messages


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if "Manifest" not in backend or manifest.exists():
        return []
    return [
        Error(
            f"The static files are not collected ({manifest} is missing): every page would fail.",
            hint="Run gremium collectstatic --noinput after each upgrade.",
            id="gremium.E008",
        )
    ]


@register(Tags.security)
def files_not_static(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    media = Path(settings.MEDIA_ROOT).resolve()
    static = Path(settings.STATIC_ROOT).resolve()
    if media != static and static not in media.parents:
        return []
    return [
        Error(
            f"MEDIA_ROOT ({media}) lies in STATIC_ROOT ({static}): closed items' "
            "attachments and internal PDFs would be served to anyone.",
            hint="Give MEDIA_ROOT and STATIC_ROOT separate folders.",
            id="gremium.E009",
        )
    ]


@register(Tags.security, deploy=True)
def metrics_protected(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    token = settings.GREMIUM_METRICS_TOKEN
    if token and len(token) < MIN_METRICS_TOKEN_LENGTH:
        messages.append(
            Error(
                f"GREMIUM_METRICS_TOKEN is shorter than {MIN_METRICS_TOKEN_LENGTH} characters.",
                hint="Use a long random token, e.g. secrets.token_urlsafe(32).",
                id="gremium.E010",
            )
        )
    overlap = [
        str(network)
        for network in settings.GREMIUM_METRICS_NETWORKS
        if any(network.overlaps(proxy) for proxy in _same_family(network))
    ]
    if overlap:
        messages.append(
            Warning(
                f"GREMIUM_METRICS_NETWORKS ({', '.join(overlap)}) includes a trusted "
                "proxy: a request it forwards without X-Forwarded-For would see /metrics.",
                hint="Allow the Prometheus server's own address, or use the token.",
                id="gremium.W011",
            )
        )
    return messages


def _same_family(network: Any) -> list[Any]:
    return [p for p in settings.GREMIUM_TRUSTED_PROXIES if p.version == network.version]


@register(Tags.caches, deploy=True)
def cache_shared(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = str(settings.CACHES["default"]["BACKEND"])
    if not backend.endswith("LocMemCache"):
        return []
    return [
        Warning(
            "The default cache is each process's memory: the login throttle counts per "
            "worker, so several workers or app servers allow that many more attempts.",
            hint="Configure a shared cache in CACHES (the database cache or Redis).",
            id="gremium.W012",
        )
    ]
