from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gremium.audit.labels import action_label, model_label, object_label
from gremium.audit.models import AuditRecord


class _StoredCodeFilter(admin.SimpleListFilter):
    """Filter by a stored code (an action, a model label), offered in Danish words."""

    field = ""
    # How a stored code reads in Danish; each filter names its own.
    label: Callable[[str], str] = staticmethod(str)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditRecord.objects.order_by(self.field).values_list(self.field, flat=True)
        return [(code, self.label(code)) for code in codes.distinct()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditRecord]) -> Any:
        value = self.value()
        return queryset.filter(**{self.field: value}) if value else queryset


class ActionFilter(_StoredCodeFilter):
    title = _("handling")
    parameter_name = field = "action"
    label = staticmethod(action_label)


class ObjectTypeFilter(_StoredCodeFilter):
    title = _("objekttype")
    parameter_name = field = "object_type"
    label = staticmethod(model_label)


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the chain is append-only, and an edit here would break it."""

    list_display = ["id", "at", "actor_name", "action_text", "object_text", "meeting_id"]
    list_filter = [ActionFilter, ObjectTypeFilter]
    search_fields = ["actor_name", "object_id", "action"]

    @admin.display(description=_("handling"), ordering="action")
    def action_text(self, record: AuditRecord) -> str:
        return action_label(record.action)

    @admin.display(description=_("objekt"), ordering="object_type")
    def object_text(self, record: AuditRecord) -> str:
        return object_label(record)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
