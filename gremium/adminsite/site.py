"""gremium's admin site: the admin for staff data repair, on the same terms as the office.

- Logging in is gremium's login (accounts): throttled per username and per address, and
  with the one-time code when the user has a device. /admin/login/ is that login.
- The admin demands a login verified with a one-time code when any body demands two-factor
  of those who edit or approve minutes, or when GREMIUM_ADMIN_REQUIRE_TWO_FACTOR is set
  (`access.admin_two_factor_missing`): staff edit every body's data here.
- Every write request runs in one write transaction (audit.services.write_transaction, so
  it takes turns with the services) in which each change is audited (adminsite/audit.py).
- The objects of a meeting whose approved record is locked are read-only here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gremium.accounts.views import login_view, logout_view
from gremium.adminsite.audit import changes_audited_as
from gremium.audit.services import Actor, write_transaction
from gremium.meetings.access import TwoFactorRequired, admin_two_factor_missing
from gremium.meetings.record_lock import locked_meeting, meeting_id_of

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _record_locked(obj: Any) -> bool:
    return isinstance(obj, models.Model) and locked_meeting(meeting_id_of(obj)) is not None


class LockedRecordAdmin(ModelAdmin):  # type: ignore[type-arg]
    """Mixed into every registered ModelAdmin: the objects of a locked meeting can be
    viewed, not changed or deleted (their inlines follow the parent)."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _record_locked(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _record_locked(obj)


class GremiumAdminSite(admin.AdminSite):
    site_header = gettext_lazy("gremium – administration")
    site_title = gettext_lazy("gremium – administration")
    index_title = gettext_lazy("Dataretning for administratorer")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not admin_two_factor_missing(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """gremium's login. A POST here meets the same throttle as /konto/log-ind/."""
        if request.method == "POST":
            return login_view(request)
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")

    # Django's logout renders a page; gremium's redirects to the front page.
    def logout(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]
        return logout_view(request)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        guarded = super().admin_view(view, cacheable)

        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not (user.is_active and user.is_staff) or self._is_logout(request):
                return guarded(request, *args, **kwargs)  # Django's own answer: log in
            if admin_two_factor_missing(user):
                raise TwoFactorRequired(_("Administrationen kræver totrinsbekræftelse."))
            if request.method in _SAFE_METHODS:
                return guarded(request, *args, **kwargs)
            # A write transaction, as the services': the locked-record check and the
            # audit records then hold against changes made at the same time.
            with write_transaction(), changes_audited_as(Actor.of(user)):
                return guarded(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def _is_logout(self, request: HttpRequest) -> bool:
        return request.path == reverse("admin:logout", current_app=self.name)

    def register(
        self,
        model_or_iterable: type[models.Model] | Iterable[type[models.Model]],
        admin_class: type[ModelAdmin] | None = None,  # type: ignore[type-arg]
        **options: Any,
    ) -> None:
        base = admin_class or ModelAdmin
        locked = type(base.__name__, (LockedRecordAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, locked, **options)


def replace_device_admin() -> None:
    """django-otp's device admin shows each user's TOTP secret and speaks English; gremium
    registers its own (accounts.admin), in which a lost device can only be removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)
