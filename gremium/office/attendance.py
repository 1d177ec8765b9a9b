"""The whole meeting's attendance on one page and in one save: "alle til stede" is the
starting point; the secretary marks only the exceptions and who substituted for them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.access import access_meeting_for_edit
from gremium.meetings.models import AttendanceStatus, Meeting
from gremium.meetings.selectors import members_on_day
from gremium.office.actions import report_form_errors, run
from gremium.organizations.models import Person

PRESENT, ABSENT = AttendanceStatus.PRESENT.value, AttendanceStatus.ABSENT.value
STATUS_CHOICES = [(PRESENT, gettext_lazy("Til stede")), (ABSENT, gettext_lazy("Fraværende"))]


class MeetingAttendanceForm(forms.Form):
    """One row of fields per member: present or absent, a note (came late, left early)
    and, for an absent member, the substitute: a person of the body or a new name."""

    prefix = "attendance"

    def __init__(self, *args: Any, meeting: Meeting, members: list[Person], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.members = members
        body_people = Person.objects.filter(body_id=meeting.organization.body_id)
        for person in members:
            n = person.pk
            self.fields[f"status_{n}"] = forms.ChoiceField(
                label=gettext_lazy("Fremmøde"), choices=STATUS_CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"note_{n}"] = forms.CharField(
                label=gettext_lazy("Bemærkning (fx kom kl. 17.10, gik efter punkt 5)"),
                max_length=300,
                required=False,
            )
            self.fields[f"sub_{n}"] = forms.ModelChoiceField(
                label=gettext_lazy("Stedfortræder"), queryset=body_people, required=False
            )
            self.fields[f"sub_name_{n}"] = forms.CharField(
                label=gettext_lazy("eller ny stedfortræder: navn"), max_length=200, required=False
            )
            self.fields[f"sub_party_{n}"] = forms.CharField(
                label=gettext_lazy("Parti"), max_length=50, required=False
            )

    @classmethod
    def for_meeting(cls, meeting: Meeting, members: list[Person]) -> MeetingAttendanceForm:
        recorded = {a.person_id: a for a in meeting.attendances.all()}
        stood_in = {a.substitute_for_id: a for a in recorded.values() if a.substitute_for_id}
        initial: dict[str, Any] = {}
        for person in members:
            mine = recorded.get(person.pk)
            absent = mine is not None and mine.status == ABSENT
            initial[f"status_{person.pk}"] = ABSENT if absent else PRESENT
            initial[f"note_{person.pk}"] = mine.note if mine else ""
            if person.pk in stood_in:
                initial[f"sub_{person.pk}"] = stood_in[person.pk].person_id
        return cls(meeting=meeting, members=members, initial=initial)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "person": p,
                "status": self[f"status_{p.pk}"],
                "note": self[f"note_{p.pk}"],
                "sub": self[f"sub_{p.pk}"],
                "sub_name": self[f"sub_name_{p.pk}"],
                "sub_party": self[f"sub_party_{p.pk}"],
            }
            for p in self.members
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for person in self.members:
            n = person.pk
            chosen, name = data.get(f"sub_{n}"), (data.get(f"sub_name_{n}") or "").strip()
            if chosen and name:
                self.add_error(
                    f"sub_name_{n}",
                    _("%(member)s: vælg en stedfortræder eller skriv et nyt navn, ikke begge.")
                    % {"member": person},
                )
            if (chosen or name) and data.get(f"status_{n}") != ABSENT:
                self.add_error(
                    f"sub_{n}",
                    _("%(member)s er til stede; kun et fraværende medlem har en stedfortræder.")
                    % {"member": person},
                )
        return data

    def plan(self) -> services.AttendancePlan:
        data = self.cleaned_data
        absent = [p for p in self.members if data[f"status_{p.pk}"] == ABSENT]
        substitutes = [
            services.Substitute(
                member=p,
                person=data[f"sub_{p.pk}"],
                name=data[f"sub_name_{p.pk}"],
                party=data[f"sub_party_{p.pk}"],
            )
            for p in absent
            if data[f"sub_{p.pk}"] or data[f"sub_name_{p.pk}"].strip()
        ]
        notes = {p.pk: data[f"note_{p.pk}"].strip() for p in self.members}
        return services.AttendancePlan(absent=absent, substitutes=substitutes, notes=notes)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_for_edit(request.user, meeting_id)
    members = list(members_on_day(meeting))
    if request.method == "GET":
        form = MeetingAttendanceForm.for_meeting(meeting, members)
        return _page(request, meeting, form)
    form = MeetingAttendanceForm(request.POST, meeting=meeting, members=members)
    if not form.is_valid():
        report_form_errors(request, form)
        return _page(request, meeting, form, status=400)
    ok = run(
        request,
        lambda: services.attendance_record_all(
            meeting=meeting, members=members, plan=form.plan(), by=Actor.of(request.user)
        ),
        _("Fremmødet er gemt."),
    )
    if not ok:
        return _page(request, meeting, form, status=400)
    return redirect("office:meeting", meeting_id=meeting.pk)


def _page(
    request: HttpRequest, meeting: Meeting, form: MeetingAttendanceForm, status: int = 200
) -> HttpResponse:
    substitutes = meeting.attendances.filter(status=AttendanceStatus.SUBSTITUTE).select_related(
        "person", "substitute_for"
    )
    context = {"meeting": meeting, "form": form, "substitutes": substitutes}
    return render(request, "office/attendance.html", context, status=status)
