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

from gremium.lib.env import env_bool, env_int, env_list, env_str

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
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

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
    "gremium.accounts",
    "gremium.organizations",
    "gremium.papers",
    "gremium.meetings",
    "gremium.audit",
    "gremium.documents",
    "gremium.search",
    "gremium.importers",
    "gremium.office",
    "gremium.portal",
    "gremium.oparl",
    "gremium.demo",
    "gremium.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that may answer by itself (CSRF failure, login redirects),
    # so its responses carry the policy too.
    "gremium.lib.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "office:dashboard"
# Failed logins per username and per address before a pause (see accounts/ratelimit.py).
# The counters live in Django's cache: with several app servers, point CACHES at a
# shared cache, or each server counts on its own.
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

# Danish only, until English and German translations exist in gremium/locale. Every UI
# string already goes through gettext, and LocaleMiddleware stays: a browser asking for
# another language gets Danish (lang="da" and Django's own Danish messages), and adding a
# language later is one more entry here, e.g. ("en", "English").
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
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

# Production hardening; `gremium check --deploy` verifies these.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
