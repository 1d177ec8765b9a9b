"""Mail as a background job: a notice never makes the request wait for the mail server,
and a server that is down is tried again (the worker's backoff) instead of losing the
notice."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from gremium.jobs.labels import name_task


@task()
def send_mail(*, subject: str, body: str, to: list[str], meeting_id: int | None = None) -> int:
    """Send one plain-text message; `meeting_id` names the meeting it is about, so that a
    failure shows on that meeting's page in the office. Returns the number sent (1)."""
    if not to:
        raise ValueError("send_mail: no recipients")
    # fail_silently=False: an error fails the job, which is then tried again.
    return EmailMessage(subject=subject, body=body, to=to).send(fail_silently=False)


name_task(send_mail.module_path, _("E-mail"))
