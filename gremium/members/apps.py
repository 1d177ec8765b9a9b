from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gremium.members"
    label = "members"
    verbose_name = _("Læsesal")
