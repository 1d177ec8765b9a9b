from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "gremium.office"
    label = "office"
    verbose_name = _("Kontor")
    default_auto_field = "django.db.models.BigAutoField"
