from __future__ import annotations

from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "gremium.papers"
    label = "papers"
    default_auto_field = "django.db.models.BigAutoField"
