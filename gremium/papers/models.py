"""Cases (sager), the bodies they pass through, and their attachments (bilag)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from gremium.lib.file_digest import file_sha512
from gremium.lib.storage import stored_upload_to


class Paper(models.Model):
    """A case (sag) with its case number, e.g. 25/30508 (oparl:Paper)."""

    body = models.ForeignKey(
        "organizations.Body",
        on_delete=models.PROTECT,
        related_name="papers",
        verbose_name=_("kommune"),
    )
    reference = models.CharField(_("sagsnummer"), max_length=100)
    name = models.CharField(_("titel"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["body", "reference"], name="paper_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()


class Consultation(models.Model):
    """One treatment of a paper by an organization, in an agenda item (oparl:Consultation)."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("sag")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("organisation"),
    )
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consultation",
        verbose_name=_("dagsordenspunkt"),
    )
    authoritative = models.BooleanField(_("besluttende"), default=False)
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("behandling")
        verbose_name_plural = _("behandlinger")

    def __str__(self) -> str:
        return f"{self.paper.reference} → {self.organization}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """The layout before files were named by content; only migration 0001 names it."""
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(models.Model):
    """A bilag: a file attached to an agenda item and usually to its paper (oparl:File)."""

    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("dagsordenspunkt"),
    )
    paper = models.ForeignKey(
        Paper,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("sag"),
    )
    order = models.PositiveIntegerField(_("rækkefølge"), default=0)
    name = models.CharField(_("navn"), max_length=500)
    # Named by its content in the storage (lib/storage.py); `filename` is the name it
    # was uploaded under, which downloads are offered under.
    file = models.FileField(_("fil"), upload_to=stored_upload_to, blank=True, max_length=500)
    filename = models.CharField(_("filnavn"), max_length=255, blank=True)
    mime_type = models.CharField(_("filtype"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("størrelse"), default=0)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    # Published as OParl's File.sha512Checksum; filled in from the file when it is saved.
    sha512 = models.CharField(_("sha512"), max_length=128, blank=True)
    text = models.TextField(_("udtrukket tekst"), blank=True)
    # An attachment an import knows only by its address at the publisher (FirstAgenda's
    # Bilag): shown as an external link; `file` stays empty until it is fetched.
    source_url = models.URLField(_("kilde-URL"), max_length=1000, blank=True)
    public = models.BooleanField(_("offentlig"), default=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        ordering = ["agenda_item", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.file and not self.sha512:
            self.sha512 = file_sha512(self.file)
        super().save(*args, **kwargs)

    def download_name(self) -> str:
        return self.filename or self.name or "bilag"
