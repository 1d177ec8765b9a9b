"""Forms of the order and clearing views (office.reorder)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MoveToForm(forms.Form):
    """The keyboard way to reorder: the position to move to, 1 being the first."""

    position = forms.IntegerField(label=_("Flyt til position"), min_value=1)


class AttachmentRenameForm(forms.Form):
    name = forms.CharField(label=_("Nyt navn"), max_length=500)
