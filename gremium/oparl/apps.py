from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    name = "gremium.oparl"
    label = "oparl"
    verbose_name = _("OParl")

    def ready(self) -> None:
        from gremium.oparl import tombstones

        tombstones.connect()
