"""The search index: one row per thing a search can find (an item, a part of an attachment's
text, a committee, a person), for one audience.

Public rows are cut from the public variant of a meeting's document and exist only for
meetings the public sees; internal rows are cut from the internal variant, for every
meeting, and are shown only to the meeting's insiders (`searching.py`). The full-text index
itself lives beside this table and differs by database (migration 0002): an FTS5 table on
SQLite, a generated `tsvector` column with a GIN index on PostgreSQL. Both read
`title_terms` and `body_terms`; `title` and `text` keep the words as written, for the
result list and its snippets.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryAudience(models.TextChoices):
    PUBLIC = "public", _("Offentlig")
    INTERNAL = "internal", _("Intern")


class EntryKind(models.TextChoices):
    ITEM = "item", _("Dagsordenspunkt")
    ATTACHMENT = "attachment", _("Bilag")
    COMMITTEE = "committee", _("Udvalg")
    PERSON = "person", _("Person")


class SearchEntry(models.Model):
    # The long texts come last (see migration 0001): the rows are read often, the texts
    # only for the page of results.
    audience = models.CharField(_("målgruppe"), max_length=10, choices=EntryAudience.choices)
    kind = models.CharField(_("art"), max_length=12, choices=EntryKind.choices)
    # What one result stands for: a long attachment is indexed in parts, and the result
    # list shows it once ("attachment:<id>", "item:<meeting>:<anchor>", ...).
    doc_key = models.CharField(_("resultat"), max_length=100)
    part = models.PositiveIntegerField(_("del"), default=0)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("møde"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("dato"), null=True)
    # The item's anchor on the meeting page ("punkt-12"); the attachment's, committee's or
    # person's id.
    anchor = models.CharField(_("anker"), max_length=50, blank=True)
    object_id = models.BigIntegerField(_("objekt-id"), null=True)
    # sha256 of everything the entry was made from: a reindex that finds the same digest
    # leaves the row alone.
    digest = models.CharField(_("fingeraftryk"), max_length=64)
    title = models.CharField(_("titel"), max_length=600)
    # Where the hit belongs: the item an attachment is attached to.
    context = models.CharField(_("sammenhæng"), max_length=600, blank=True)
    reference = models.CharField(_("sagsnummer"), max_length=100, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    # The words as the database's full-text index reads them (`backends.index_terms`).
    title_terms = models.TextField(_("titlens søgeord"), blank=True)
    body_terms = models.TextField(_("tekstens søgeord"), blank=True)
    # PostgreSQL: the pairs of adjacent stems (`backends.index_pairs`), for phrases; empty on
    # SQLite, whose FTS5 index finds phrases by its positions.
    pair_terms = models.TextField(_("ordpar"), blank=True)
    # The filters as words (`backends.facet_terms`): SQLite's index then filters by
    # committee, year and kind itself, instead of every match being read and checked.
    facet_terms = models.CharField(_("filtrenes søgeord"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("søgepost")
        verbose_name_plural = _("søgeposter")
        indexes = [
            models.Index(fields=["meeting", "audience"]),
            models.Index(fields=["doc_key"]),
            models.Index(fields=["kind", "audience"]),
        ]

    def __str__(self) -> str:
        return f"{self.audience} {self.doc_key}#{self.part}"


class SearchCode(models.Model):
    """A case number or other code (25/30508, EMN-2025-003383) in an entry: matched exactly,
    the same way on every database, instead of through the word index."""

    entry = models.ForeignKey(
        SearchEntry, on_delete=models.CASCADE, related_name="codes", verbose_name=_("post")
    )
    code = models.CharField(_("kode"), max_length=100)

    class Meta:
        verbose_name = _("kode i søgepost")
        verbose_name_plural = _("koder i søgeposter")
        indexes = [models.Index(fields=["code", "entry"])]

    def __str__(self) -> str:
        return self.code
