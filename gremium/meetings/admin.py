"""Admin for staff data repair. It writes models directly, bypassing the services' guards
(not the audit chain, nor the lock on approved records: see gremium/adminsite/): use it
only to mend data, never for everyday work."""

from __future__ import annotations

from django.contrib import admin

from gremium.meetings.models import (
    AgendaItem,
    Approval,
    Attendance,
    Decision,
    ItemParticipation,
    Meeting,
    Section,
    Vote,
)
from gremium.papers.models import Attachment


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "number", "title", "public", "paper", "decision_required"]
    raw_id_fields = ["paper"]
    show_change_link = True


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fk_name = "meeting"
    extra = 0
    raw_id_fields = ["person", "substitute_for"]


class ApprovalInline(admin.TabularInline):
    model = Approval
    extra = 0
    raw_id_fields = ["person", "reservation_item"]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = ItemParticipation
    extra = 0
    raw_id_fields = ["person"]


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    raw_id_fields = ["person"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["order", "name", "file", "public", "mime_type", "size"]
    readonly_fields = ["mime_type", "size"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "start", "location", "state"]
    list_filter = ["state", "organization", "organization__body"]
    search_fields = ["name", "organization__name", "items__title"]
    date_hierarchy = "start"
    raw_id_fields = ["location"]
    inlines = [AttendanceInline, AgendaItemInline, ApprovalInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "meeting", "public", "paper"]
    list_filter = ["public", "organization", "year"]
    search_fields = ["title", "paper__reference", "sections__body"]
    raw_id_fields = ["meeting", "paper"]
    inlines = [SectionInline, DecisionInline, ParticipationInline, VoteInline, AttachmentInline]


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person", "approved_at", "withdrawn_at"]
    list_filter = ["meeting__organization"]
    search_fields = ["person__name"]
    raw_id_fields = ["meeting", "person", "reservation_item"]
