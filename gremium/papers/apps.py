from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PapersConfig(AppConfig):
    name = "gremium.papers"
    label = "papers"
    verbose_name = _("Sager og bilag")
    default_auto_field = "django.db.models.BigAutoField"
