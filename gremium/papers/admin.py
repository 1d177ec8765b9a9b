from __future__ import annotations

from django.contrib import admin

from gremium.papers.models import Attachment, Consultation, Paper


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 0
    raw_id_fields = ["agenda_item"]


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["reference", "name", "body", "modified"]
    list_filter = ["body"]
    search_fields = ["reference", "name"]
    inlines = [ConsultationInline]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["paper", "organization", "agenda_item", "authoritative"]
    list_filter = ["organization", "authoritative"]
    search_fields = ["paper__reference", "paper__name"]
    raw_id_fields = ["paper", "agenda_item"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "agenda_item", "mime_type", "size", "public"]
    list_filter = ["public", "mime_type"]
    search_fields = ["name", "sha256", "paper__reference"]
    raw_id_fields = ["agenda_item", "paper"]
    # Files arrive through the office, where they are checked and cleaned
    # (meetings/services/attachments.py); the admin shows them but takes none.
    readonly_fields = ["file", "mime_type", "sha256", "size"]
