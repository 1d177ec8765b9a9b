from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gremium.documents"
    label = "documents"
    verbose_name = _("Dokumenter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The domain announces publication and approval; this app keeps the PDFs.
        from gremium.documents import receivers  # noqa: F401
