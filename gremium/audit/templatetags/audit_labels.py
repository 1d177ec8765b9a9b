from __future__ import annotations

from django import template

from gremium.audit.labels import action_label, changed_fields, object_label
from gremium.audit.models import AuditRecord

register = template.Library()


@register.filter
def audit_action(record: AuditRecord) -> str:
    return action_label(record.action)


@register.filter
def audit_object(record: AuditRecord) -> str:
    return object_label(record)


@register.filter
def audit_fields(record: AuditRecord) -> str:
    return ", ".join(changed_fields(record))
