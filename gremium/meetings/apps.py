from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "gremium.meetings"
    label = "meetings"
    verbose_name = _("Møder og referater")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from gremium.meetings.services.numbering import items_follow_numbering
        from gremium.organizations.models import Organization

        post_save.connect(items_follow_numbering, sender=Organization, dispatch_uid="numbering")
