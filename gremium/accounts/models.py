"""Roles beyond Django's own: a secretary prepares and records the meetings of given
organizations. Members are linked through `Person.user` and their memberships."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class SecretaryAssignment(models.Model):
    """The user is the secretary (sekretariat) of the organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="secretary_assignments",
        verbose_name=_("bruger"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="secretary_assignments",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("sekretær")
        verbose_name_plural = _("sekretærer")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="secretary_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization}"


class TwoFactorDevice(TOTPDevice):
    """A user's authenticator app (django-otp's TOTPDevice) under a Danish name, for the
    admin, where a lost device is removed so its owner can set up a new one."""

    class Meta:
        proxy = True
        verbose_name = _("totrinsenhed")
        verbose_name_plural = _("totrinsenheder")
