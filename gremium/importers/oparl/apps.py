from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlMirrorConfig(AppConfig):
    # An app of its own: the mirror's state has its own migrations, apart from `importers`.
    name = "gremium.importers.oparl"
    label = "oparl_mirror"
    verbose_name = _("OParl-spejling")
    default_auto_field = "django.db.models.BigAutoField"
