"""What each kind of job is called for the secretary: a task module names its tasks here,
so this low layer never imports the layers whose work it runs."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Promise | str] = {}


def name_task(module_path: str, label: Promise | str) -> None:
    _LABELS[module_path] = label


def task_label(module_path: str) -> Promise | str:
    return _LABELS.get(module_path, _("Baggrundsjob"))
