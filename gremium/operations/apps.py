from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "gremium.operations"
    label = "operations"
    verbose_name = _("Drift")

    def ready(self) -> None:
        from gremium.operations import checks  # noqa: F401 (registers the deploy checks)
