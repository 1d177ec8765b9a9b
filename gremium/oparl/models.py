"""What the API remembers of objects it no longer shows.

OParl forbids making a published object simply vanish (spec 2.8): a deleted or depublished
object stays at its URL as a stub with `deleted: true`, and lists give it to clients that
ask for changes (`modified_since`), so a mirror learns what to remove. The domain deletes
and closes things freely; receivers in `tombstones.py` write a row here for each object
that was public just before a change and is not after it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    # The API's name of the object's kind (`kinds.py`): "meeting", "agendaItem", "file", ...
    kind = models.CharField(_("art"), max_length=30)
    object_id = models.BigIntegerField(_("objekt-id"))
    body_id = models.BigIntegerField(_("kommune-id"))
    # For lists of one organization (its meetings).
    organization_id = models.BigIntegerField(_("organisation-id"), null=True, blank=True)
    created = models.DateTimeField(_("oprettet"))
    deleted_at = models.DateTimeField(_("fjernet"))
    # The object it was printed inside (a paper's consultation, a person's membership): that
    # object changed too, and its `modified` says so.
    parent_kind = models.CharField(_("indeholdt i (art)"), max_length=30, blank=True)
    parent_id = models.BigIntegerField(_("indeholdt i (id)"), null=True, blank=True)
    # OParl 1.1 requires `order` of every AgendaItem, also of a deleted one.
    order = models.PositiveIntegerField(_("rækkefølge"), null=True, blank=True)

    class Meta:
        verbose_name = _("fjernet objekt")
        verbose_name_plural = _("fjernede objekter")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="tombstone_unique_object")
        ]
        indexes = [
            models.Index(fields=["body_id", "kind", "deleted_at"], name="tombstone_body_kind"),
            models.Index(fields=["parent_kind", "parent_id"], name="tombstone_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
