"""A member's private notes on an agenda item or an attachment. Only the author ever reads
them: they are not in the admin, the audit chain, the search index, the OParl API or any
export, and every read goes through `gremium.notes.selectors` with the author as filter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="private_notes",
        verbose_name=_("forfatter"),
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("punkt"),
    )
    attachment = models.ForeignKey(
        "papers.Attachment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bilag"),
    )
    text = models.TextField(_("note"))
    modified = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("privat note")
        verbose_name_plural = _("private noter")
        constraints = [
            # A note is on exactly one thing, and each author has one note per thing.
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=False, attachment__isnull=True)
                | Q(agenda_item__isnull=True, attachment__isnull=False),
                name="note_on_one_thing",
            ),
            models.UniqueConstraint(
                fields=["author", "agenda_item"],
                condition=Q(agenda_item__isnull=False),
                name="note_once_per_item",
            ),
            models.UniqueConstraint(
                fields=["author", "attachment"],
                condition=Q(attachment__isnull=False),
                name="note_once_per_attachment",
            ),
        ]

    def __str__(self) -> str:
        # Never the text: a note's name may end up in a log or a message someone else sees.
        return f"note {self.pk}"
