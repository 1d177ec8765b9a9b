from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class GremiumAdminConfig(AdminConfig):
    """Replaces "django.contrib.admin" in INSTALLED_APPS: the same app, with
    `admin.site` being gremium's site, so every `@admin.register` lands there."""

    default_site = "gremium.adminsite.site.GremiumAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscover: every app's admin.py has registered by now
        from gremium.adminsite import audit, site

        audit.connect()
        site.replace_device_admin()
