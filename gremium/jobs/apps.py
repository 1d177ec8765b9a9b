from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gremium.jobs"
    label = "jobs"
    verbose_name = _("Baggrundsarbejde")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gremium.jobs.cache_table import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)
