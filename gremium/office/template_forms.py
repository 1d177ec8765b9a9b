"""The committee's meeting template as one form: the sections a new item starts with, and a
formset of standing items (add, remove and reorder rows).

Sections are written as text: a line "# Overskrift" opens a section, the lines after it
are its starting text (Markdown; use "##" for headings inside it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gremium.meetings.services.templates import standing_item_sections
from gremium.organizations.models import Organization, default_standing_items

HEADING_MARK = "# "
SECTIONS_HELP = _(
    'Én linje "# Overskrift" pr. afsnit; linjerne under den er afsnittets starttekst.'
)


def sections_to_text(raw: object) -> str:
    parts = []
    for heading, body in standing_item_sections({"sections": raw}):
        parts.append(HEADING_MARK + heading + ("\n" + body.strip() if body.strip() else ""))
    return "\n".join(parts)


def sections_from_text(text: str) -> list[object]:
    """Each section as a plain heading, or {"heading", "body"} when it has a starting text;
    text before the first heading is refused."""
    sections: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(HEADING_MARK) or line.strip() == "#":
            heading = line[1:].strip()
            if not heading:
                raise forms.ValidationError(
                    _("Linje %(line)d: overskriften er tom."), params={"line": number}
                )
            if len(heading) > 300:
                raise forms.ValidationError(
                    _("Linje %(line)d: overskriften er længere end 300 tegn."),
                    params={"line": number},
                )
            sections.append((heading, []))
        elif not sections:
            if line.strip():
                raise forms.ValidationError(
                    _('Linje %(line)d: teksten skal stå under en overskrift ("# ...").'),
                    params={"line": number},
                )
        else:
            sections[-1][1].append(line)
    result: list[object] = []
    for heading, lines in sections:
        body = "\n".join(lines).strip()
        result.append({"heading": heading, "body": body} if body else heading)
    return result


class SectionsField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(required=False, help_text=SECTIONS_HELP, **kwargs)

    def clean(self, value: Any) -> list[object]:  # type: ignore[override]
        return sections_from_text(super().clean(value) or "")


class TemplateForm(forms.Form):
    prefix = "template"
    item_sections = SectionsField(label=_("Afsnit i nye punkter"))


class StandingItemForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=500, required=False)
    decision_required = forms.BooleanField(
        label=_("Kræver beslutning (ellers et afsluttende punkt)"), required=False
    )
    sections = SectionsField(label=_("Afsnit"))


StandingItemFormSet = forms.formset_factory(
    StandingItemForm, extra=1, can_delete=True, can_order=True
)
STANDING_PREFIX = "standing"


def template_forms(organization: Organization, data: Any = None) -> tuple[TemplateForm, Any]:
    """The page's two forms, bound to `data` on a POST, else filled from the organization."""
    if data is not None:
        return TemplateForm(data), StandingItemFormSet(data, prefix=STANDING_PREFIX)
    entries = organization.standing_items or default_standing_items()
    initial = [
        {
            "title": str(entry.get("title", "")),
            "decision_required": bool(entry.get("decision_required", True)),
            "sections": sections_to_text(entry.get("sections")),
            "ORDER": n,
        }
        for n, entry in enumerate(entries, start=1)
    ]
    form = TemplateForm(initial={"item_sections": sections_to_text(organization.item_sections)})
    return form, StandingItemFormSet(initial=initial, prefix=STANDING_PREFIX)


def standing_items_of(formset: Any) -> list[dict[str, object]]:
    """The kept rows in their chosen order; a new row left empty is no row."""
    rows = []
    for form in formset.ordered_forms:
        data = form.cleaned_data
        if not data.get("title") and not data.get("sections") and not form.has_changed():
            continue
        entry: dict[str, object] = {
            "title": data.get("title", "").strip(),
            "decision_required": bool(data.get("decision_required")),
        }
        if data.get("sections"):
            entry["sections"] = data["sections"]
        rows.append(entry)
    return rows
