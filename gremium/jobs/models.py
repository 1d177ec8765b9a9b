"""What gremium adds to a queued task of the database backend: its attempts, the lease of
the worker running it, and the meeting it is about (so the office can show its trouble)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class Job(models.Model):
    result = models.OneToOneField(
        DBTaskResult,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="gremium_job",
        verbose_name=_("opgave"),
    )
    # Not a foreign key: a job may outlive its meeting (it then finds nothing to do).
    meeting_id = models.BigIntegerField(_("møde"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)
    worker_id = models.CharField(_("arbejder"), max_length=64, blank=True)
    lease_expires = models.DateTimeField(_("lejemål udløber"), null=True, blank=True)
    last_error = models.TextField(_("seneste fejl"), blank=True)

    class Meta:
        verbose_name = _("baggrundsjob")
        verbose_name_plural = _("baggrundsjob")

    def __str__(self) -> str:
        return f"{self.result.task_path} ({self.result_id})"
