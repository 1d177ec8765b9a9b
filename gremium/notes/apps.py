from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "gremium.notes"
    label = "notes"
    verbose_name = _("Private noter")
    default_auto_field = "django.db.models.BigAutoField"
