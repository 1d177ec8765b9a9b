"""Log in (password, then a one-time code when the user has a TOTP device), log out, and
set up two-factor authentication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from gremium.accounts.ratelimit import client_ip, login_blocked, login_failed, login_succeeded
from gremium.accounts.two_factor import (
    confirmed_device,
    manual_key,
    qr_svg,
    unconfirmed_device,
)
from gremium.lib.error_pages import too_many_attempts

_PENDING = "gremium_2fa_user"
_NEXT = "gremium_2fa_next"


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Engangskode"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Engangskoden er 6 cifre.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("office:dashboard")


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username, ip = request.POST.get("username", ""), client_ip(request.META)
        if login_blocked(username, ip):
            return _blocked(request)
        if form.is_valid():
            login_succeeded(username, ip)
            return _password_ok(request, form.get_user(), next_url)
        login_failed(username, ip)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _blocked(request: HttpRequest) -> HttpResponse:
    return too_many_attempts(request, settings.GREMIUM_LOGIN_WINDOW_MINUTES)


def _password_ok(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    if confirmed_device(user) is None:
        login(request, user)
        return redirect(_next_url(request, next_url))
    # The password was right; the session is not logged in until the code is, too.
    request.session[_PENDING] = user.pk
    request.session[_NEXT] = next_url
    return redirect("accounts:verify")


@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(_PENDING)
    user = get_user_model().objects.filter(pk=pending).first() if pending else None
    device = confirmed_device(user) if user else None
    if user is None or device is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST if request.method == "POST" else None)
    ip = client_ip(request.META)
    if request.method == "POST":
        if login_blocked(user.get_username(), ip):
            return _blocked(request)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"].strip()):
            next_url = request.session.get(_NEXT, "")
            login(request, user)
            otp_login(request, device)
            return redirect(_next_url(request, next_url))
        login_failed(user.get_username(), ip)
        form.add_error("token", _("Engangskoden er forkert eller udløbet."))
    return render(request, "accounts/verify.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Du er logget ud."))
    return redirect("portal:home")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add a TOTP app: scan the QR code, type the code it shows, and the device is active."""
    existing = confirmed_device(request.user)
    if existing is not None and request.method == "GET":
        return render(request, "accounts/two_factor_setup.html", {"active": True})
    device = unconfirmed_device(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Totrinsbekræftelse er slået til."))
            return redirect(_next_url(request, request.GET.get("next")))
        form.add_error("token", _("Engangskoden er forkert eller udløbet."))
    context = {"form": form, "qr": qr_svg(device.config_url), "secret": manual_key(device)}
    return render(request, "accounts/two_factor_setup.html", context)
