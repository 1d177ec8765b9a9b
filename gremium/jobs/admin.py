from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gremium.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: what each job tried, and why it failed (the queue's own rows are listed
    under the tasks' database backend)."""

    list_display = ["result", "status", "meeting_id", "attempts", "worker_id", "lease_expires"]
    list_filter = ["result__status"]
    search_fields = ["result__task_path", "last_error"]
    readonly_fields = [
        "result",
        "meeting_id",
        "attempts",
        "worker_id",
        "lease_expires",
        "last_error",
    ]

    @admin.display(description=_("status"))
    def status(self, job: Job) -> str:
        return job.result.get_status_display()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
