"""Rendered documents kept as records: approved minutes are served as stored, never
re-rendered, so what was approved is byte for byte what is published."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from gremium.lib.file_digest import file_sha512, pdf_text
from gremium.lib.storage import rendered_upload_to, stored_upload_to


class StoredDocument(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="stored_documents",
        verbose_name=_("møde"),
    )
    kind = models.CharField(_("art"), max_length=20)  # structure.DocumentKind
    audience = models.CharField(_("målgruppe"), max_length=20)  # structure.Audience
    with_attachments = models.BooleanField(_("med bilag"), default=False)
    # For minutes: the fingerprint of the approved version this PDF prints. Each approved
    # version is kept; an addendum and a new approval add one, never replace one.
    minutes_sha256 = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("referatets sha256")
    )
    sha256 = models.CharField(max_length=64)
    # Published with the file (OParl's File.sha512Checksum and File.text); filled in from
    # the file when it is stored.
    sha512 = models.CharField(max_length=128, blank=True, verbose_name=_("sha512"))
    text = models.TextField(blank=True, verbose_name=_("udtrukket tekst"))
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("størrelse"))
    file = models.FileField(upload_to=stored_upload_to, max_length=300, verbose_name=_("fil"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))

    class Meta:
        verbose_name = _("gemt dokument")
        verbose_name_plural = _("gemte dokumenter")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "audience", "with_attachments", "minutes_sha256"],
                name="storeddocument_unique_variant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.kind} {self.audience}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.file and not self.sha512:
            self.sha512 = file_sha512(self.file)
            self.text = self.text or pdf_text(self.file)
        super().save(*args, **kwargs)


class Rendering(models.Model):
    """A page or PDF of a meeting as rendered for one state of the meeting (`key`: its
    version, its last change and the code that rendered it) and one audience (in `name`).
    Made once, then served from storage; the row is written after the file, so a file
    being written is never served. A change to the meeting makes a new key, and the
    renderings of the old one are deleted (documents/rendered.py)."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="renderings",
        verbose_name=_("møde"),
    )
    key = models.CharField(_("nøgle"), max_length=100)
    name = models.CharField(_("navn"), max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("størrelse"))
    file = models.FileField(upload_to=rendered_upload_to, max_length=300, verbose_name=_("fil"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))

    class Meta:
        verbose_name = _("gemt visning")
        verbose_name_plural = _("gemte visninger")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key", "name"], name="rendering_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.name}"
