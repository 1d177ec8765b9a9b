"""What the mirror remembers of each source: every object it read, and each list's progress."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MirroredObject(models.Model):
    """One object of a source server, by its id (a URL), with what it became here.

    `data` is the object as last read (embedded objects replaced by their ids), so a later
    run that fetches only what changed can still rebuild a meeting from the parts that did
    not. `digest` is the sha256 of that data; for a meeting it covers everything the stored
    meeting was built from, so an unchanged meeting is never rebuilt."""

    source_id = models.URLField(_("kilde-id"), max_length=1000, unique=True)
    kind = models.CharField(_("type"), max_length=40)  # OParl's type name: Meeting, Paper, ...
    data = models.JSONField(_("data"), default=dict)
    digest = models.CharField(_("sha256"), max_length=64, blank=True)
    # For a meeting: the sha256 of the document it was stored from (its items, papers and
    # files included), so a meeting is rebuilt only when what it shows changed.
    built = models.CharField(_("bygget af sha256"), max_length=64, blank=True)
    modified = models.CharField(_("ændret ved kilden"), max_length=40, blank=True)
    deleted = models.BooleanField(_("slettet ved kilden"), default=False)
    # The local object it became ("meetings.meeting", 12); empty for what is kept as data
    # only (files without --files, consultations, papers resolved into items).
    local_model = models.CharField(_("lokal model"), max_length=60, blank=True)
    local_id = models.BigIntegerField(_("lokalt id"), null=True, blank=True)
    first_seen = models.DateTimeField(_("først set"), auto_now_add=True)
    last_changed = models.DateTimeField(_("sidst ændret"), auto_now=True)

    class Meta:
        verbose_name = _("spejlet objekt")
        verbose_name_plural = _("spejlede objekter")
        indexes = [models.Index(fields=["kind"], name="mirrored_kind")]

    def __str__(self) -> str:
        return self.source_id


class MirroredList(models.Model):
    """A list of a source body (its meetings, papers, ...) and when it was last read in
    full: the next run asks it only for what changed since then (`modified_since`)."""

    url = models.URLField(_("liste"), max_length=1000, unique=True)
    body_id = models.URLField(_("kilde-kommune"), max_length=1000)
    started = models.DateTimeField(_("seneste kørsel startet"), null=True, blank=True)
    completed = models.DateTimeField(_("seneste hele gennemløb"), null=True, blank=True)
    objects_seen = models.PositiveIntegerField(_("objekter"), default=0)

    class Meta:
        verbose_name = _("spejlet liste")
        verbose_name_plural = _("spejlede lister")

    def __str__(self) -> str:
        return self.url
