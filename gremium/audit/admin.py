from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gremium.audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the chain is append-only, and an edit here would break it."""

    list_display = ["id", "at", "actor_name", "action", "object_type", "object_id", "meeting_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
