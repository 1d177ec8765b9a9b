"""What each user wants to be told, and what they were told: every notice is a row, whether
it went by mail or waits in the member's private feed. The rows also keep a reminder from
being sent twice (one row per meeting, person, kind and key)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    AGENDA_PUBLISHED = "agenda_published", _("Dagsorden offentliggjort")
    AGENDA_CHANGED = "agenda_changed", _("Dagsorden ændret efter offentliggørelsen")
    APPROVAL_REQUESTED = "approval_requested", _("Referat til godkendelse")
    APPROVAL_REMINDER = "approval_reminder", _("Påmindelse om godkendelse")
    MINUTES_APPROVED = "minutes_approved", _("Referat godkendt")


class Delivery(models.TextChoices):
    MAIL = "mail", _("E-mail (og feed)")
    FEED_ONLY = "feed", _("Kun feed")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class NoticePreference(models.Model):
    """A user's choice; a user without a row gets every notice by mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preference",
        verbose_name=_("bruger"),
    )
    delivery = models.CharField(
        _("levering"), max_length=10, choices=Delivery.choices, default=Delivery.MAIL
    )
    # The kinds the user turned off (a list of NoticeKind values): a new kind is on.
    muted = models.JSONField(_("fravalgte meddelelser"), default=list, blank=True)
    # The private feed's secret; empty when revoked (no feed until a new one is made).
    feed_token = models.CharField(_("feed-nøgle"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("meddelelsesvalg")
        verbose_name_plural = _("meddelelsesvalg")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return kind not in self.muted


class Notice(models.Model):
    """One notice to one person about one meeting; `key` tells notices of the same kind
    apart (the minutes version for approvals, the last change for agenda changes)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="+", verbose_name=_("møde")
    )
    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("art"), max_length=30, choices=NoticeKind.choices)
    key = models.CharField(_("nøgle"), max_length=100, blank=True)
    subject = models.CharField(_("emne"), max_length=300)
    link = models.URLField(_("link"), max_length=500)
    mailed = models.BooleanField(_("sendt som e-mail"), default=False)
    created = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("meddelelse")
        verbose_name_plural = _("meddelelser")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person", "kind", "key"], name="notice_once")
        ]

    def __str__(self) -> str:
        return self.subject
