"""gremium's one settings module: every value an operator may change comes from the environment.

docs/settings.md lists each variable. Production mode (DEBUG off, the default) refuses to
start without SECRET_KEY, so a forgotten key never falls back to a public one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gremium.lib.env import (
    DEVELOPMENT_SECRET_KEY,
    SettingError,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
)
from gremium.lib.log_format import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("GREMIUM_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# pytest sets PYTEST_VERSION: the test suite needs no key of its own.
_TESTING = "PYTEST_VERSION" in os.environ

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or _TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (DEBUG off) needs a long random "
            "SECRET_KEY in the environment; set DEBUG=1 only for local development."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A refused form gets the site's Danish error page, not Django's English one.
CSRF_FAILURE_VIEW = "gremium.lib.error_pages.csrf_failure"

INSTALLED_APPS = [
    # Django's admin on gremium's own site: our login, two-factor and audit (adminsite/).
    "gremium.adminsite.apps.GremiumAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "gremium.jobs",
    "gremium.accounts",
    "gremium.organizations",
    "gremium.papers",
    "gremium.meetings",
    "gremium.audit",
    "gremium.documents",
    "gremium.search",
    "gremium.notices",
    "gremium.notes",
    "gremium.importers",
    "gremium.importers.oparl",
    "gremium.office",
    "gremium.members",
    "gremium.portal",
    "gremium.oparl",
    "gremium.demo",
    "gremium.operations",
    "gremium.backup",
]

MIDDLEWARE = [
    # Forwarded headers dropped unless a trusted proxy sent them, before anything reads them.
    "gremium.lib.proxy.TrustedProxyMiddleware",
    "gremium.lib.request_log.RequestLogMiddleware",
    # Probes are answered before the host check and the HTTPS redirect.
    "gremium.operations.health.HealthMiddleware",
    "gremium.operations.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that may answer by itself (CSRF failure, login redirects),
    # so its responses carry the policy too.
    "gremium.lib.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gremium.lib.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Chooses the database for the view's reads: after the user is known.
    "gremium.lib.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gremium.lib.busy.DatabaseBusyMiddleware",
    "gremium.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gremium.urls"
WSGI_APPLICATION = "gremium.wsgi.application"
WHITENOISE_USE_FINDERS = DEBUG or _TESTING

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gremium" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if not env_str("DATABASE_URL"):
    # The embedded default keeps its SQLite file in the data folder: make sure it exists.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
# Seconds a write waits for another to finish before it gives up (and is tried again).
GREMIUM_DB_LOCK_TIMEOUT = env_int("GREMIUM_DB_LOCK_TIMEOUT", 15)


def _database(url: str) -> dict[str, Any]:
    database: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    )
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Several members click at once: readers must not block the writer (WAL), a write
        # must take the write lock when it begins rather than fail upgrading a read lock
        # (IMMEDIATE), and a writer waits its turn instead of failing at once (timeout).
        # synchronous=FULL: a change the user saw confirmed survives a power cut.
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", GREMIUM_DB_LOCK_TIMEOUT)
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL")
    elif database["ENGINE"] == "django.db.backends.postgresql":
        # Writers queue on one advisory lock (audit.services.write_transaction): bound the
        # wait, so a stuck transaction gives a message instead of hanging every request.
        timeout = f"-c lock_timeout={GREMIUM_DB_LOCK_TIMEOUT * 1000}"
        options["options"] = f"{timeout} {options.get('options', '')}".strip()
    return database


DATABASES = {
    "default": _database(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gremium.sqlite3'}"))
}
# A PostgreSQL streaming replica for the anonymous portal's reads (lib/replica.py).
GREMIUM_READ_REPLICA_URL = env_str("GREMIUM_READ_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if GREMIUM_READ_REPLICA_URL:
    DATABASES["replica"] = _database(GREMIUM_READ_REPLICA_URL)
    # The tests use the primary for it; a replica is never migrated or flushed.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["gremium.lib.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Shared state for several app servers: the login throttle, the sessions' cache and
# anything else in Django's default cache live in the database (a table made by
# `gremium migrate`), or in Redis/Valkey when CACHE_URL (or REDIS_URL) names one. The
# "local" cache is each process's memory, for renderings keyed by the meeting's state,
# which never go stale and need not be shared.
_CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
if _CACHE_URL and not _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"CACHE_URL={_CACHE_URL!r}: gremium's shared cache is Redis or Valkey; give a "
        "redis://, rediss:// or unix:// address, or leave it empty for the database cache."
    )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gremium_cache",
            # Sessions and throttle counters: Django's default of 300 entries would have
            # every write cull the table once a few hundred people are logged in.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    ),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Sessions are kept in the database and read through the shared cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work (rendering PDFs, search indexing, mail) through Django's tasks API:
# "database" queues it in the database for `gremium worker`; "immediate" runs it inside
# the request that asked for it (the tests, a quick local try).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
GREMIUM_TASKS = env_str("GREMIUM_TASKS", "immediate" if _TESTING else "database")
if GREMIUM_TASKS not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"GREMIUM_TASKS={GREMIUM_TASKS!r}: use one of {', '.join(sorted(_TASK_BACKENDS))}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[GREMIUM_TASKS]}}
# A job that fails is tried again after GREMIUM_TASKS_RETRY_SECONDS, then twice that, and
# so on (at most an hour), up to GREMIUM_TASKS_MAX_ATTEMPTS attempts in all.
GREMIUM_TASKS_MAX_ATTEMPTS = env_int("GREMIUM_TASKS_MAX_ATTEMPTS", 5)
GREMIUM_TASKS_RETRY_SECONDS = env_int("GREMIUM_TASKS_RETRY_SECONDS", 30)
# A running job's worker renews its lease every third of this; a job whose lease ran out
# (its worker died) is taken up again by another worker.
GREMIUM_TASKS_LEASE_SECONDS = env_int("GREMIUM_TASKS_LEASE_SECONDS", 60)
# `gremium worker` lowers its own CPU priority by this much (os.nice) at start, so that on
# cores it shares with the app servers a reader's request goes before a PDF being
# rendered; the jobs still get every idle moment. 0: the same priority as the servers.
GREMIUM_WORKER_NICE = env_int("GREMIUM_WORKER_NICE", 10)
# /health/ready fails once the oldest job due has waited longer than this (0: never).
GREMIUM_READY_MAX_QUEUE_AGE = env_int("GREMIUM_READY_MAX_QUEUE_AGE", 300)

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "office:dashboard"
# Failed logins per username and per address before a pause (see accounts/ratelimit.py).
# The counters live in Django's default cache, which every app server shares (CACHES).
GREMIUM_LOGIN_MAX_FAILURES = env_int("GREMIUM_LOGIN_MAX_FAILURES", 5)
GREMIUM_LOGIN_WINDOW_MINUTES = env_int("GREMIUM_LOGIN_WINDOW_MINUTES", 15)
GREMIUM_MAX_UPLOAD_MB = env_int("GREMIUM_MAX_UPLOAD_MB", 25)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An upload over GREMIUM_MAX_UPLOAD_MB is stopped before its bytes are read (lib/upload_limit.py).
FILE_UPLOAD_HANDLERS = [
    "gremium.lib.upload_limit.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "gremium")
# The admin demands a login verified with a one-time code whenever any body demands
# two-factor of those who edit or approve minutes; this makes it demand one always.
GREMIUM_ADMIN_REQUIRE_TWO_FACTOR = env_bool("GREMIUM_ADMIN_REQUIRE_TWO_FACTOR", False)

# The right-hand side of the calendars' event UIDs (meeting-<id>@<domain>): set it once to
# the municipality's domain and never change it, or subscribed calendars get every
# meeting twice. Empty: made from the municipality's name.
GREMIUM_UID_DOMAIN = env_str("GREMIUM_UID_DOMAIN", "")
# Seconds a browser or proxy may serve a published page, PDF, feed or calendar before it
# asks gremium again (a conditional request, answered 304 while nothing changed).
GREMIUM_PUBLIC_MAX_AGE = env_int("GREMIUM_PUBLIC_MAX_AGE", 60)
# Entries in each Atom feed (the newest agendas and minutes).
GREMIUM_FEED_ENTRIES = env_int("GREMIUM_FEED_ENTRIES", 50)

# Mail (notices to members): an SMTP server; the console backend prints them instead.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gremium@localhost")
# The site's address as members reach it (scheme and host, no trailing slash): the links in
# mails and in the members' private feeds are made from it.
GREMIUM_SITE_URL = env_str("GREMIUM_SITE_URL", "http://localhost:8000").rstrip("/")
# Seconds an agenda change waits before members are told (edits in that time are one mail).
GREMIUM_AGENDA_CHANGE_DELAY_SECONDS = env_int("GREMIUM_AGENDA_CHANGE_DELAY_SECONDS", 600)
# Days after the minutes went out for approval before a member who has not signed gets
# one reminder (`gremium send-reminders`, run daily). 0: no reminders.
GREMIUM_APPROVAL_REMINDER_DAYS = env_int("GREMIUM_APPROVAL_REMINDER_DAYS", 3)
# A member's private notes are deleted this many days after their last membership of the
# committee ended (`gremium purge-notes`, run daily).
GREMIUM_NOTES_KEEP_DAYS_AFTER_MEMBERSHIP = env_int("GREMIUM_NOTES_KEEP_DAYS_AFTER_MEMBERSHIP", 90)

# Sealing approved minutes (documents/sealing.py, docs/operations.md): the organisation's
# certificate as a PKCS#12 file or as base64, its passphrase, and an RFC 3161 timestamp
# service. Without a certificate, development and tests seal with a self-made test seal
# (GREMIUM_SEAL_TEST_CERTIFICATE); production stores the minutes unsealed, and
# `gremium check` warns.
GREMIUM_SEAL_PKCS12 = env_str("GREMIUM_SEAL_PKCS12", "")
GREMIUM_SEAL_PKCS12_BASE64 = env_str("GREMIUM_SEAL_PKCS12_BASE64", "")
# Several bodies in one deployment: each body's own certificate as <body slug>.p12 here.
GREMIUM_SEAL_PKCS12_DIR = env_str("GREMIUM_SEAL_PKCS12_DIR", "")
GREMIUM_SEAL_PASSPHRASE = env_str("GREMIUM_SEAL_PASSPHRASE", "")
GREMIUM_SEAL_TEST_CERTIFICATE = env_bool("GREMIUM_SEAL_TEST_CERTIFICATE", DEBUG or _TESTING)
GREMIUM_SEAL_TRUST_ROOTS = env_list("GREMIUM_SEAL_TRUST_ROOTS", [])
GREMIUM_TIMESTAMP_URL = env_str("GREMIUM_TIMESTAMP_URL", "")

# Danish is the source language and the default. English and German come from
# gremium/locale (docs/translations.md); a visitor changes language only with the switcher
# (the language cookie), never by the browser's Accept-Language (gremium/lib/language.py).
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "gremium" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "gremium" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Files (attachments, kept PDFs, logos) go through Django's storage API, named by their
# sha256 (lib/storage.py): a local folder, or any S3-compatible store when a bucket is set.
GREMIUM_S3_BUCKET = env_str("GREMIUM_S3_BUCKET", "")


def _file_storage() -> dict[str, Any]:
    if not GREMIUM_S3_BUCKET:
        return {"BACKEND": "gremium.lib.storage.LocalContentStorage"}
    return {
        "BACKEND": "gremium.lib.storage.S3ContentStorage",
        "OPTIONS": {
            "bucket_name": GREMIUM_S3_BUCKET,
            "endpoint_url": env_str("GREMIUM_S3_ENDPOINT_URL") or None,
            "access_key": env_str("GREMIUM_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("GREMIUM_S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("GREMIUM_S3_REGION") or None,
            # Files are served by gremium after the access check, never by a bucket URL.
            "querystring_auth": True,
            "default_acl": None,
        },
    }


STORAGES = {
    "default": _file_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or _TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Production hardening; `gremium check --deploy` verifies these (and operations/checks.py).
# Proxies whose X-Forwarded-* headers count (lib/proxy.py); from anyone else they are
# dropped, so X-Forwarded-Proto below cannot be forged.
GREMIUM_TRUSTED_PROXIES = env_networks("GREMIUM_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Prometheus scrapes the app server directly, often over the internal network's HTTP.
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or _TESTING))
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading HSTS binds the municipality's whole domain, which is not gremium's decision
# to make: it stays opt-in, so the deploy check must not demand it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# /metrics answers a bearer token or a client in these networks, nobody else.
GREMIUM_METRICS_TOKEN = env_str("GREMIUM_METRICS_TOKEN", "")
GREMIUM_METRICS_NETWORKS = env_networks("GREMIUM_METRICS_NETWORKS", [])

GREMIUM_ACCESS_LOG = env_bool("GREMIUM_ACCESS_LOG", True)
GREMIUM_LOG_FORMAT = env_str("GREMIUM_LOG_FORMAT", "text").strip().lower()
if GREMIUM_LOG_FORMAT not in {"text", "json"}:
    raise SettingError(f"GREMIUM_LOG_FORMAT={GREMIUM_LOG_FORMAT!r}: use text or json")
LOGGING = logging_config(
    level=env_str("LOG_LEVEL", "INFO"), json_lines=GREMIUM_LOG_FORMAT == "json"
)
