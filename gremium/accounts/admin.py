from __future__ import annotations

from django.contrib import admin

from gremium.accounts.models import SecretaryAssignment


@admin.register(SecretaryAssignment)
class SecretaryAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "organization"]
    list_filter = ["organization"]
