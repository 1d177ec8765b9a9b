"""The append-only, hash-chained record of every change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One change: who, when, what, before and after, chained to the record before it.

    `hash` covers every other field and `previous_hash`, so altering or deleting any
    record breaks the chain at that point (`gremium audit verify`).
    """

    at = models.DateTimeField(_("tidspunkt"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bruger"),
    )
    actor_name = models.CharField(_("udført af"), max_length=200)
    action = models.CharField(_("handling"), max_length=100)
    object_type = models.CharField(_("objekttype"), max_length=100)
    object_id = models.CharField(_("objekt-id"), max_length=64)
    meeting_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, verbose_name=_("møde-id")
    )
    before = models.JSONField(_("før"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)
    previous_hash = models.CharField(max_length=64, verbose_name=_("forrige posts hash"))
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("logpost")
        verbose_name_plural = _("log")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action}"
