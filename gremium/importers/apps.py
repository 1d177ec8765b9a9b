from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "gremium.importers"
    label = "importers"
    verbose_name = _("Import")
    default_auto_field = "django.db.models.BigAutoField"
