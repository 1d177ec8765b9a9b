from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "gremium.search"
    label = "search"
    verbose_name = _("Søgning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The domain announces changes; this app keeps its index current after each commit.
        from gremium.search import receivers  # noqa: F401
