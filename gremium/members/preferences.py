"""The member's choice of notices (each on or off, by mail or in the feed only) and their
private feed's address, which they can renew (the old address stops working) or revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gremium.notices.mails import absolute
from gremium.notices.models import Delivery, NoticeKind
from gremium.notices.services import feed_token_renew, feed_token_revoke, preference_for


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=gettext_lazy("Sådan vil jeg have meddelelser"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Meddelelser jeg vil have"),
        choices=NoticeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = preference_for(request.user)
    wanted = [kind for kind in NoticeKind.values if preference.wants(kind)]
    initial = {"delivery": preference.delivery, "kinds": wanted}
    if request.method == "POST":
        form = PreferenceForm(request.POST, prefix="meddelelser", initial=initial)
        if form.is_valid():
            chosen = set(form.cleaned_data["kinds"])
            preference.delivery = form.cleaned_data["delivery"]
            preference.muted = [kind for kind in NoticeKind.values if kind not in chosen]
            preference.save()
            messages.success(request, _("Dine valg er gemt."))
            return redirect("members:preferences")
    else:
        form = PreferenceForm(prefix="meddelelser", initial=initial)
    feed_url = (
        absolute(reverse("members:feed", args=[preference.feed_token]))
        if preference.feed_token
        else ""
    )
    return render(request, "members/preferences.html", {"form": form, "feed_url": feed_url})


@require_POST
@login_required
def feed_token(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        feed_token_revoke(request.user)
        messages.success(request, _("Feed-adressen er slået fra."))
    else:
        feed_token_renew(request.user)
        messages.success(request, _("Du har fået en ny feed-adresse. Den gamle virker ikke mere."))
    return redirect("members:preferences")
