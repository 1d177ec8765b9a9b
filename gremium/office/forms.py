"""Forms parse and validate input only; the rules live in the services.

Every form has its own `prefix`, so its fields' names and ids never repeat those of another
form on the same page: with Django's default ids, the label "Offentligt bilag" worked the
checkbox "Åbent punkt" of the item's text form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gremium.lib.document_structure import CLOSED_TITLE
from gremium.meetings.models import (
    AgendaItem,
    DecisionOutcome,
    ItemParticipationKind,
    VoteChoice,
)
from gremium.organizations.models import Location, Organization, Person

EXTRA_SECTIONS = 1
DEFAULT_HEADINGS = ["Sagsresume", "Indstilling", "Sagsfremstilling"]


class MeetingCreateForm(forms.Form):
    prefix = "meeting"
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none()
    )
    start = forms.DateTimeField(
        label=_("Mødestart"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    name = forms.CharField(label=_("Navn (valgfrit)"), max_length=300, required=False)
    location = forms.ModelChoiceField(
        label=_("Mødested"), queryset=Location.objects.all(), required=False
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class MeetingEditForm(forms.Form):
    """Time, place and name of a meeting; `version` detects an edit made meanwhile."""

    prefix = "meeting"
    version = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.DateTimeField(
        label=_("Mødestart"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    end = forms.DateTimeField(
        label=_("Mødeslut (valgfrit)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.ModelChoiceField(
        label=_("Mødested"), queryset=Location.objects.none(), required=False
    )
    name = forms.CharField(label=_("Navn (valgfrit)"), max_length=300, required=False)

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": meeting.version,
                "start": timezone.localtime(meeting.start),
                "end": timezone.localtime(meeting.end) if meeting.end else None,
                "location": meeting.location,
                "name": meeting.name,
            },
        )
        super().__init__(*args, **kwargs)
        body_id = meeting.organization.body_id
        self.fields["location"].queryset = Location.objects.filter(  # type: ignore[attr-defined]
            body_id=body_id
        )


PUBLIC_TITLE_HELP = _("Det, offentligheden ser i stedet for titlen, når punktet er lukket.")


def public_title_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Offentlig titel"),
        max_length=500,
        required=False,
        help_text=PUBLIC_TITLE_HELP,
        **kwargs,
    )


class ItemAddForm(forms.Form):
    prefix = "new-item"
    title = forms.CharField(label=_("Titel"), max_length=500)
    public = forms.BooleanField(label=_("Åbent punkt"), required=False, initial=True)
    # Proposed for every new item: closing one then needs no further step.
    public_title = public_title_field(initial=CLOSED_TITLE)
    reference = forms.CharField(label=_("Sagsnummer (valgfrit)"), max_length=100, required=False)
    paper_name = forms.CharField(label=_("Sagens titel (ny sag)"), max_length=500, required=False)


class ItemTextForm(forms.Form):
    """Title, open/closed flag and the sections; `version` detects a stale edit."""

    prefix = "item"
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Titel"), max_length=500)
    public = forms.BooleanField(label=_("Åbent punkt"), required=False)
    public_title = public_title_field()

    def __init__(self, *args: Any, section_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_count = section_count + EXTRA_SECTIONS
        for n in range(self.section_count):
            self.fields[f"heading_{n}"] = forms.CharField(
                label=_("Overskrift"), max_length=300, required=False
            )
            self.fields[f"body_{n}"] = forms.CharField(
                label=_("Tekst (Markdown)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    @classmethod
    def for_item(cls, item: AgendaItem) -> ItemTextForm:
        sections = list(item.sections.order_by("order"))
        initial: dict[str, Any] = {
            "version": item.version,
            "title": item.title,
            "public": item.public,
            # A closed item always shows the public a title: propose the neutral one.
            "public_title": item.public_title or ("" if item.public else CLOSED_TITLE),
        }
        for n, section in enumerate(sections):
            initial[f"heading_{n}"], initial[f"body_{n}"] = section.heading, section.body
        if not sections:
            initial["heading_0"] = DEFAULT_HEADINGS[0]
        return cls(initial=initial, section_count=len(sections))

    def sections(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data[f"heading_{n}"], data[f"body_{n}"]) for n in range(self.section_count)]

    def section_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"heading_{n}"], self[f"body_{n}"]) for n in range(self.section_count)]


class AttachmentForm(forms.Form):
    prefix = "attachment"
    file = forms.FileField(label=_("Fil"))
    public = forms.BooleanField(label=_("Offentligt bilag"), required=False, initial=True)


class DecisionForm(forms.Form):
    prefix = "decision"
    outcome = forms.ChoiceField(label=_("Udfald"), choices=DecisionOutcome.choices)
    text = forms.CharField(
        label=_("Beslutningstekst"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PersonChoiceForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Medlem"), queryset=Person.objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ParticipationForm(PersonChoiceForm):
    prefix = "participation"
    kind = forms.ChoiceField(label=_("Art"), choices=ItemParticipationKind.choices)
    note = forms.CharField(label=_("Bemærkning"), max_length=300, required=False)


class DissentForm(PersonChoiceForm):
    prefix = "dissent"
    text = forms.CharField(label=_("Protokoltilførsel"), widget=forms.Textarea(attrs={"rows": 3}))


class VoteForm(PersonChoiceForm):
    prefix = "vote"
    choice = forms.ChoiceField(label=_("Stemme"), choices=VoteChoice.choices)


class AddendumForm(forms.Form):
    prefix = "addendum"
    text = forms.CharField(label=_("Tilføjelse"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 2}))


class ApprovalForm(forms.Form):
    prefix = "approval"
    reservation_item = forms.ModelChoiceField(
        label=_("Forbehold for punkt (valgfrit)"),
        queryset=AgendaItem.objects.none(),
        required=False,
    )
    reservation = forms.CharField(
        label=_("Forbehold (valgfrit)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reservation_item"].queryset = items  # type: ignore[attr-defined]
