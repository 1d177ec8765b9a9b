"""The body (kommune), its terms, organizations, people and places, named after OParl 1.1."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gremium.lib.slugs import unique_slug
from gremium.lib.storage import stored_upload_to


class Body(models.Model):
    """A municipality: the tenant every other object belongs to (oparl:Body)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    # The body's address on the portal (/kommuner/<slug>/): set once from the name and kept
    # when the body is renamed, like a committee's.
    slug = models.SlugField(_("adressenavn"), max_length=80, unique=True, blank=True)
    short_name = models.CharField(_("kort navn"), max_length=50, blank=True)
    website = models.URLField(_("websted"), blank=True)
    logo = models.FileField(_("logo"), upload_to=stored_upload_to, blank=True)
    # Those who sign minutes hold the municipality's record: a stolen password alone must
    # not be enough to approve or rewrite it.
    require_two_factor_for_approvers = models.BooleanField(
        _("kræv totrinsbekræftelse for godkendere"),
        default=False,
        help_text=_(
            "Alle, der redigerer eller godkender referater, skal logge ind med en engangskode."
        ),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            others = Body.objects.exclude(pk=self.pk)
            taken = lambda s: others.filter(slug=s).exists()  # noqa: E731
            self.slug = unique_slug(self.name, taken, fallback="kommune")
        super().save(*args, **kwargs)


class LegislativeTerm(models.Model):
    """A valgperiode, e.g. 2026–2029 (oparl:LegislativeTerm)."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="legislative_terms", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=100)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("slut"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("valgperiode")
        verbose_name_plural = _("valgperioder")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="legislativeterm_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationClassification(models.TextChoices):
    COUNCIL = "council", _("Kommunalbestyrelse")
    COMMITTEE = "committee", _("Udvalg")
    PARTY_GROUP = "party_group", _("Partigruppe")
    OTHER = "other", _("Andet")


class SignatureRule(models.TextChoices):
    ALL_PARTICIPANTS = "all_participants", _("Alle deltagende medlemmer")
    CHAIR_AND_SECRETARY = "chair_and_secretary", _("Formand og sekretær")
    CHAIR_AND_MEMBERS = "chair_and_members", _("Formand og et antal medlemmer")


class ItemNumbering(models.TextChoices):
    """How an organization numbers its agenda items; sub-items (4.1) exist in both."""

    YEARLY = "yearly", _("Løbende gennem året")  # Haderslev: punkt 12 in February
    PER_MEETING = "per_meeting", _("Forfra ved hvert møde")  # Greve: punkt 1 every meeting


def default_standing_items() -> list[dict[str, object]]:
    """The items every meeting starts with unless the organization configures others."""
    return [
        {"title": "Godkendelse af dagsorden", "decision_required": True},
        {"title": "Gensidig orientering", "decision_required": False},
        {"title": "Eventuelt", "decision_required": False},
        {"title": "Underskriftsside", "decision_required": False},
    ]


class Organization(models.Model):
    """Kommunalbestyrelse, udvalg or partigruppe (oparl:Organization)."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=200)
    # The committee's address on the portal (/udvalg/<slug>/): set once from the name and
    # kept when the committee is renamed, so links and subscriptions keep working.
    slug = models.SlugField(
        _("adressenavn"), max_length=80, unique=True, blank=True, allow_unicode=False
    )
    short_name = models.CharField(_("kort navn"), max_length=50, blank=True)
    classification = models.CharField(
        _("type"),
        max_length=20,
        choices=OrganizationClassification.choices,
        default=OrganizationClassification.COMMITTEE,
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("slut"), null=True, blank=True)
    signature_rule = models.CharField(
        _("underskriftsregel"),
        max_length=30,
        choices=SignatureRule.choices,
        default=SignatureRule.ALL_PARTICIPANTS,
    )
    signature_members_required = models.PositiveSmallIntegerField(
        _("antal medlemmer der skal underskrive ud over formanden"), default=2
    )
    numbering = models.CharField(
        _("punktnummerering"),
        max_length=20,
        choices=ItemNumbering.choices,
        default=ItemNumbering.YEARLY,
        help_text=_(
            "Løbende: punkternes numre fortsætter gennem året. Forfra: hvert møde starter "
            "ved punkt 1."
        ),
    )
    standing_items = models.JSONField(
        _("faste punkter"),
        default=default_standing_items,
        blank=True,
        help_text=_(
            'Mødeskabelonen: en liste af {"title": ..., "decision_required": true/false, '
            '"sections": ["Sagsresume", "Indstilling", ...]}. Et afsnit kan også være '
            '{"heading": ..., "body": ...} med en tekst at starte fra.'
        ),
    )
    item_sections = models.JSONField(
        _("afsnit i nye punkter"),
        default=list,
        blank=True,
        help_text=_(
            'De afsnit et nyt punkt starter med: ["Sagsresume", ...] eller {"heading": ..., '
            '"body": ...}. Tom: kontorets standardoverskrifter.'
        ),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="organization_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            others = Organization.objects.exclude(pk=self.pk)
            self.slug = unique_slug(self.name, lambda s: others.filter(slug=s).exists())
        super().save(*args, **kwargs)


class Person(models.Model):
    """A member or substitute (oparl:Person); linked to a login when the person has one."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="persons", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=200)
    given_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    family_name = models.CharField(_("efternavn"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("bruger"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Formand")
    VICE_CHAIR = "vice_chair", _("Næstformand")
    MEMBER = "member", _("Medlem")
    SUBSTITUTE = "substitute", _("Stedfortræder")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def on(self, day: dt.date) -> MembershipQuerySet:
        """The seats held on `day`: both bounds of the period count; an empty bound is open."""
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Membership(models.Model):
    """A person's seat in an organization for a period (oparl:Membership)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("rolle"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    voting_right = models.BooleanField(_("stemmeret"), default=True)
    party = models.CharField(_("parti"), max_length=50, blank=True)
    start_date = models.DateField(_("fra"), null=True, blank=True)
    end_date = models.DateField(_("til"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        ordering = ["organization", "role", "person__name"]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization} ({self.get_role_display()})"


class Location(models.Model):
    """A meeting place (oparl:Location)."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="locations", verbose_name=_("kommune")
    )
    description = models.CharField(_("betegnelse"), max_length=200)
    street_address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    locality = models.CharField(_("by"), max_length=100, blank=True)
    room = models.CharField(_("lokale"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("oprettet"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("ændret"))

    class Meta:
        verbose_name = _("mødested")
        verbose_name_plural = _("mødesteder")
        ordering = ["description"]
        constraints = [
            models.UniqueConstraint(fields=["body", "description"], name="location_unique")
        ]

    def __str__(self) -> str:
        return self.description
