"""Admin for staff data repair; everyday work happens in the office."""

from __future__ import annotations

from django.contrib import admin

from gremium.organizations.models import (
    Body,
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


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "classification", "start_date", "end_date"]
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
