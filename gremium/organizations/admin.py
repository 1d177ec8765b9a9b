"""Admin for staff data repair; everyday work happens in the office."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext as _

from gremium.lib.item_numbers import number_label
from gremium.organizations.models import (
    Body,
    ItemNumbering,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "website"]
    search_fields = ["name", "short_name"]


@admin.register(LegislativeTerm)
class LegislativeTermAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "start_date", "end_date"]
    list_filter = ["body"]


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = "__all__"  # noqa: DJ007 - the admin shows every field for data repair

    def clean_numbering(self) -> str:
        """Numbering on through the year needs each number once a year: a committee that
        numbered per meeting keeps that until its duplicates are repaired."""
        value = self.cleaned_data["numbering"]
        if value != ItemNumbering.YEARLY or self.instance.pk is None:
            return value
        twice = (
            self.instance.agenda_items.filter(number__isnull=False)
            .values("year", "number", "sub_number")
            .annotate(times=Count("id"))
            .filter(times__gt=1)
            .order_by("year", "number")
            .first()
        )
        if twice:
            raise forms.ValidationError(
                _("Punkt %(number)s findes flere gange i %(year)s; nummereringen kan ikke "
                  "være løbende gennem året.")
                % {"number": number_label(twice["number"], twice["sub_number"]),
                   "year": twice["year"]}
            )  # fmt: skip
        return value


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = ["name", "body", "classification", "numbering", "start_date", "end_date"]
    list_filter = ["body", "classification"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "email", "user"]
    list_filter = ["body"]
    search_fields = ["name", "email"]
    raw_id_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "organization",
        "role",
        "party",
        "voting_right",
        "start_date",
        "end_date",
    ]
    list_filter = ["organization", "role", "voting_right"]
    search_fields = ["person__name", "organization__name", "party"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["description", "street_address", "locality", "body"]
    search_fields = ["description", "street_address", "locality"]
