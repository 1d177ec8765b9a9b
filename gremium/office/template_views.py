"""The secretary edits the committee's meeting template: its standing items and the
sections a new item starts with. Only that organization's secretaries and the
administrators; anyone else finds no such page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.access import organizations_for_office
from gremium.office.actions import report_form_errors, run
from gremium.office.template_forms import standing_items_of, template_forms


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_object_or_404(organizations_for_office(request.user), pk=organization_id)
    posted = request.POST if request.method == "POST" else None
    form, formset = template_forms(organization, posted)
    if posted is not None:
        if form.is_valid() and formset.is_valid():
            saved = run(
                request,
                lambda: services.organization_template_set(
                    organization=organization,
                    standing_items=standing_items_of(formset),
                    item_sections=form.cleaned_data["item_sections"],
                    by=Actor.of(request.user),
                ),
                _("Skabelonen er gemt."),
            )
            if saved:
                return redirect("office:template", organization_id=organization.pk)
        else:
            report_form_errors(request, form)
            for number, row in enumerate(formset.forms, start=1):
                for name, errors in row.errors.items():
                    label = row.fields[name].label if name in row.fields else name
                    for error in errors:
                        messages.error(
                            request,
                            _("Række %(row)d, %(field)s: %(error)s")
                            % {"row": number, "field": label, "error": error},
                        )
            for error in formset.non_form_errors():
                messages.error(request, error)
    context = {"organization": organization, "form": form, "formset": formset}
    return render(request, "office/template.html", context)
