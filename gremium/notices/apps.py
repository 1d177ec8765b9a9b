from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "gremium.notices"
    label = "notices"
    verbose_name = _("Meddelelser")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gremium.notices import receivers  # noqa: F401  (connects the domain's signals)
