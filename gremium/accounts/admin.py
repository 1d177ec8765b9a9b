"""Admin for staff data repair: secretaries, and users' two-factor devices."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gremium.accounts.models import SecretaryAssignment, TwoFactorDevice


@admin.register(SecretaryAssignment)
class SecretaryAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "organization"]
    list_filter = ["organization"]


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Devices are added by their owners (/konto/totrin/) and never shown with their secret.
    A lost one is deleted here; its owner then sets up a new one at the next login."""

    list_display = fields = readonly_fields = (
        "owner",
        "device_name",
        "active",
        "created",
        "last_used",
    )
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    @admin.display(description=_("bruger"), ordering="user__username")
    def owner(self, obj: TwoFactorDevice) -> str:
        return str(obj.user)

    @admin.display(description=_("navn"))
    def device_name(self, obj: TwoFactorDevice) -> str:
        return obj.name

    @admin.display(description=_("taget i brug"), boolean=True)
    def active(self, obj: TwoFactorDevice) -> bool:
        return obj.confirmed

    @admin.display(description=_("oprettet"), ordering="created_at")
    def created(self, obj: TwoFactorDevice) -> Any:
        return obj.created_at

    @admin.display(description=_("senest brugt"))
    def last_used(self, obj: TwoFactorDevice) -> Any:
        return obj.last_used_at

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
