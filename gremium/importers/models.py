"""The import ledger: which file, with which content, became which meetings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedFile(models.Model):
    """A file `gremium import` has stored, written in the same transaction as its meetings:
    after an interruption the ledger names exactly the files whose meetings are stored, and
    the next run skips those whose content (sha256) is unchanged."""

    path = models.CharField(_("fil"), max_length=1000, unique=True)  # absolute
    sha256 = models.CharField(_("sha256"), max_length=64)
    kind = models.CharField(_("art"), max_length=20)
    meeting_ids = models.JSONField(_("møder"), default=list)
    imported_at = models.DateTimeField(_("indlæst"), auto_now=True)

    class Meta:
        verbose_name = _("indlæst fil")
        verbose_name_plural = _("indlæste filer")

    def __str__(self) -> str:
        return self.path
