"""Meetings and everything recorded about them: items, sections, decisions, attendance,
votes and approvals. Changes go through `gremium.meetings.services`, never straight here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gremium.lib.item_numbers import number_label
from gremium.organizations.models import ItemNumbering


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    AGENDA_PUBLISHED = "agenda_published", _("Dagsorden offentliggjort")
    HELD = "held", _("Afholdt")
    MINUTES_PUBLISHED = "minutes_published", _("Referat offentliggjort")
    APPROVED = "approved", _("Godkendt")
    CANCELLED = "cancelled", _("Aflyst")


class Meeting(models.Model):
    """A møde of one organization (oparl:Meeting)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("navn"), max_length=300, blank=True)
    start = models.DateTimeField(_("mødestart"))
    end = models.DateTimeField(_("mødeslut"), null=True, blank=True)
    location = models.ForeignKey(
        "organizations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("mødested"),
    )
    state = models.CharField(
        _("status"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    agenda_published_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("dagsorden offentliggjort")
    )
    minutes_published_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("referat offentliggjort")
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("godkendt"))
    # Set when the minutes are first approved and never cleared: from then on the approved
    # text stays as it was and corrections are only dated addenda.
    content_locked = models.BooleanField(_("indhold låst"), default=False)
    # Bumped by every service that changes the meeting: a stale form is detected by it.
    version = models.PositiveIntegerField(default=1)
    # The calendars' SEQUENCE (RFC 5545): raised when the meeting moves, changes place or
    # is cancelled, so a subscribed calendar replaces its copy of the event.
    sequence = models.PositiveIntegerField(_("kalenderrevision"), default=0)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    # Set by every change to what the meeting's pages show (also by changes that only
    # bump `version`): stored renderings and cache validators are keyed by it.
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["-start"]
        # The portal's lists read meetings in (start, id) order, one year or one committee
        # at a time, and the front page the newest agendas and minutes: each is an index
        # range, so a page costs the same in a year-old and a twenty-year-old archive.
        indexes = [
            models.Index(fields=["organization", "start"]),
            models.Index(fields=["start", "id"], name="meeting_start_id"),
            models.Index(fields=["agenda_published_at"], name="meeting_agenda_published"),
            models.Index(fields=["minutes_published_at"], name="meeting_minutes_published"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.day:%d-%m-%Y}"

    @property
    def day(self) -> dt.date:
        """The meeting day in local time, the day memberships are counted on (a start
        read back from the database is in UTC: 00:30 would be the day before)."""
        return timezone.localdate(self.start)


class AgendaItem(models.Model):
    """A punkt on the agenda (oparl:AgendaItem)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("møde")
    )
    # Denormalized from the meeting so the database itself keeps numbers unique per
    # organization and year: the number runs on through the year (punkt 12 in February).
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("år"))
    number = models.PositiveIntegerField(_("punktnummer"), null=True, blank=True)
    # 1 in item "4.1": a sub-item shares its main item's number.
    sub_number = models.PositiveIntegerField(_("underpunkt"), null=True, blank=True)
    # The organization's numbering scheme, copied so the database itself keeps the rule
    # in force (services.numbering changes it on every item when the organization's does).
    numbering = models.CharField(
        _("punktnummerering"),
        max_length=20,
        choices=ItemNumbering.choices,
        default=ItemNumbering.YEARLY,
        editable=False,
    )
    order = models.PositiveIntegerField(_("rækkefølge"))
    title = models.CharField(_("titel"), max_length=500)
    public_title = models.CharField(
        _("offentlig titel"),
        max_length=500,
        blank=True,
        help_text=_("Neutral titel, som offentligheden ser for et lukket punkt."),
    )
    public = models.BooleanField(_("åbent punkt"), default=True)
    paper = models.ForeignKey(
        "papers.Paper",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("sag"),
    )
    # Standing items such as Eventuelt carry no decision; the minutes may be published anyway.
    decision_required = models.BooleanField(_("kræver beslutning"), default=True)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")
        ordering = ["meeting", "order"]
        constraints = [
            # Yearly numbering: one punkt 12 per organization and year (and one 12.1).
            models.UniqueConstraint(
                fields=["organization", "year", "number"],
                condition=Q(numbering=ItemNumbering.YEARLY, sub_number__isnull=True),
                name="agendaitem_unique_number_yearly",
            ),
            models.UniqueConstraint(
                fields=["organization", "year", "number", "sub_number"],
                condition=Q(numbering=ItemNumbering.YEARLY, sub_number__isnull=False),
                name="agendaitem_unique_sub_number_yearly",
            ),
            # Every scheme: one punkt 1 (and one 1.1) per meeting.
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(sub_number__isnull=True),
                name="agendaitem_unique_number_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "number", "sub_number"],
                condition=Q(sub_number__isnull=False),
                name="agendaitem_unique_sub_number_meeting",
            ),
            models.UniqueConstraint(fields=["meeting", "order"], name="agendaitem_unique_order"),
        ]

    def __str__(self) -> str:
        return f"Punkt {self.label}: {self.title}" if self.number else self.title

    @property
    def label(self) -> str:
        """The number as printed: "4", or "4.1" for a sub-item."""
        return number_label(self.number, self.sub_number)


class Section(models.Model):
    """One headed part of an item's text: Sagsresume, Indstilling, Sagsfremstilling, …"""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("dagsordenspunkt"),
    )
    order = models.PositiveIntegerField(_("rækkefølge"))
    heading = models.CharField(_("overskrift"), max_length=300)
    body = models.TextField(_("tekst (Markdown)"), blank=True)

    class Meta:
        verbose_name = _("afsnit")
        verbose_name_plural = _("afsnit")
        ordering = ["agenda_item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "order"], name="section_unique_order")
        ]

    def __str__(self) -> str:
        return self.heading


class DecisionOutcome(models.TextChoices):
    APPROVED = "godkendt", _("Godkendt")
    DISCUSSED = "droftet", _("Drøftet")
    NOTED = "taget_til_efterretning", _("Taget til efterretning")
    RECOMMENDED = "anbefales", _("Anbefales")
    POSTPONED = "udsat", _("Udsat")
    REJECTED = "afvist", _("Afvist")
    REFERRED = "oversendt", _("Oversendt")
    NOT_APPROVED = "ikke_godkendt", _("Ikke godkendt")
    OTHER = "other", _("Anden beslutning")


class Decision(models.Model):
    """What the organization decided on an item (oparl:AgendaItem.result / resolutionText)."""

    agenda_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="decision",
        verbose_name=_("dagsordenspunkt"),
    )
    outcome = models.CharField(
        _("udfald"), max_length=30, choices=DecisionOutcome.choices, default=DecisionOutcome.OTHER
    )
    text = models.TextField(_("beslutningstekst"), blank=True)
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")

    def __str__(self) -> str:
        return self.text or self.get_outcome_display()


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Til stede")
    ABSENT = "absent", _("Fravær")
    SUBSTITUTE = "substitute", _("Stedfortræder")


class Attendance(models.Model):
    """A person's attendance at the whole meeting (Mødedeltagere, Fravær)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("møde")
    )
    person = models.ForeignKey(
        "organizations.Person", on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    substitute_for = models.ForeignKey(
        "organizations.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
        verbose_name=_("stedfortræder for"),
    )
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deltagelse")
        verbose_name_plural = _("deltagelser")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class ItemParticipationKind(models.TextChoices):
    ABSENT = "absent", _("Fraværende")
    CONFLICT = "conflict", _("Inhabil")


class ItemParticipation(models.Model):
    """Absence from, or conflict of interest (inhabilitet) in, one item."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("dagsordenspunkt"),
    )
    person = models.ForeignKey(
        "organizations.Person", on_delete=models.PROTECT, related_name="item_participations"
    )
    kind = models.CharField(_("art"), max_length=20, choices=ItemParticipationKind.choices)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fravær eller inhabilitet")
        verbose_name_plural = _("fravær og inhabilitet")
        ordering = ["agenda_item", "kind", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "person", "kind"], name="itemparticipation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Imod")
    ABSTAIN = "abstain", _("Undlod")


class Vote(models.Model):
    """One member's vote on an item; the minutes summarise votes by party."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("dagsordenspunkt"),
    )
    person = models.ForeignKey(
        "organizations.Person", on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("stemme"), max_length=10, choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("stemme")
        verbose_name_plural = _("stemmer")
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "person"], name="vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class MinutesVersion(models.Model):
    """The minutes as published or corrected, frozen: what members approve and what is
    printed. `content` is the internal minutes without signatures in the JSON form of
    `lib.document_json`, names and texts as they stood; `sha256` is its fingerprint
    (`meetings.minutes.minutes_fingerprint`), which covers content only."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="minutes_versions", verbose_name=_("møde")
    )
    number = models.PositiveIntegerField(_("version"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    content = models.JSONField(_("indhold"))
    # person id → the name the person attended under, for the signature lines.
    participant_names = models.JSONField(default=dict, verbose_name=_("deltagernes navne"))
    created = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("referatversion")
        verbose_name_plural = _("referatversioner")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="minutesversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"


class Approval(models.Model):
    """A member's "Godkend" of the minutes, bound to the exact version by its sha256."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("møde")
    )
    person = models.ForeignKey(
        "organizations.Person", on_delete=models.PROTECT, related_name="approvals"
    )
    approved_at = models.DateTimeField(_("godkendt"))
    minutes_sha256 = models.CharField(_("referatets sha256"), max_length=64)
    version = models.ForeignKey(
        MinutesVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvals",
        verbose_name=_("referatversion"),
    )
    # The signer's name as it stood when they signed: a later rename changes no signature.
    person_name = models.CharField(_("navn ved godkendelsen"), max_length=200, blank=True)
    reservation = models.TextField(_("forbehold"), blank=True)
    reservation_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("forbehold for punkt"),
    )
    withdrawn_at = models.DateTimeField(_("trukket tilbage"), null=True, blank=True)
    # An addendum, or a new approval of a changed text by the same member, replaces it.
    superseded_at = models.DateTimeField(_("erstattet"), null=True, blank=True)

    class Meta:
        verbose_name = _("godkendelse")
        verbose_name_plural = _("godkendelser")
        ordering = ["meeting", "approved_at"]

    def __str__(self) -> str:
        return f"{self.person} {self.approved_at:%d-%m-%Y %H:%M}"


class Dissent(models.Model):
    """A protokoltilførsel: a member's statement entered under an item's decision."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="dissents",
        verbose_name=_("dagsordenspunkt"),
    )
    person = models.ForeignKey(
        "organizations.Person", on_delete=models.PROTECT, related_name="dissents"
    )
    text = models.TextField(_("tekst"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))

    class Meta:
        verbose_name = _("protokoltilførsel")
        verbose_name_plural = _("protokoltilførsler")
        ordering = ["agenda_item", "id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.text[:50]}"


class Addendum(models.Model):
    """A dated correction to approved minutes; the approved text itself never changes."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        related_name="addenda",
        verbose_name=_("dagsordenspunkt"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forfatter"),
    )
    author_name = models.CharField(_("forfatter"), max_length=200)
    date = models.DateTimeField(_("dato"))
    reason = models.TextField(_("begrundelse"))
    text = models.TextField(_("tilføjelse"))

    class Meta:
        verbose_name = _("tilføjelse")
        verbose_name_plural = _("tilføjelser")
        ordering = ["agenda_item", "date", "id"]

    def __str__(self) -> str:
        return f"{self.agenda_item} {self.date:%d-%m-%Y}"


class ItemDraft(models.Model):
    """An editor's unsaved text of an item, kept by the editor's autosave: per user and
    item, the whole form (title, flag, sections) and the item version it started from.
    Only its author sees it; it is offered back, never saved over the item unseen."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="item_drafts",
        verbose_name=_("bruger"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("punkt")
    )
    base_version = models.PositiveIntegerField(_("punktets version"))
    data = models.JSONField(_("kladde"))
    saved = models.DateTimeField(_("gemt"), auto_now=True)

    class Meta:
        verbose_name = _("kladde")
        verbose_name_plural = _("kladder")
        constraints = [
            models.UniqueConstraint(fields=["user", "agenda_item"], name="itemdraft_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agenda_item_id}"
