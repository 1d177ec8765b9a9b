from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gremium.documents"
    label = "documents"
    verbose_name = _("Dokumenter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The domain announces publication and approval; this app keeps the PDFs. The
        # seal's settings are checked at start (seal_checks registers the check).
        from gremium.documents import receivers, seal_checks  # noqa: F401
