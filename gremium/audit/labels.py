"""Audit records in words a secretary reads: "Dagsordenspunkt: ændret" for the stored code
"agenda_item.update", "dagsordenspunkt 12" for "meetings.agendaitem" 12.

A code is a noun and a verb, so a new service's code reads well as soon as both parts are
known here; an unknown part is shown as stored rather than hidden.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from gremium.audit.models import AuditRecord

_NOUNS = {
    "admin": _("Administration"),
    "meeting": _("Møde"),
    "agenda_item": _("Dagsordenspunkt"),
    "section": _("Afsnit"),
    "attachment": _("Bilag"),
    "paper": _("Sag"),
    "consultation": _("Behandling"),
    "decision": _("Beslutning"),
    "attendance": _("Fremmøde"),
    "item_participation": _("Fravær eller inhabilitet"),
    "vote": _("Stemme"),
    "approval": _("Godkendelse"),
    "dissent": _("Protokoltilførsel"),
    "addendum": _("Tilføjelse"),
    "organization": _("Organisation"),
    "person": _("Person"),
}
_VERBS = {
    "add": _("tilføjet"),
    "create": _("oprettet"),
    "change": _("ændret"),
    "update": _("ændret"),
    "delete": _("slettet"),
    "remove": _("fjernet"),
    "record": _("registreret"),
    "set": _("registreret"),
    "renumber": _("omnummereret"),
    "move": _("flyttet"),
    "held": _("afholdt"),
    "cancel": _("aflyst"),
    "approve": _("godkendt"),
    "withdraw": _("trukket tilbage"),
    "remind": _("påmindelse sendt"),
    "supersede": _("afløst af en ny tekst"),
    "publish_agenda": _("dagsorden offentliggjort"),
    "publish_minutes": _("referat offentliggjort"),
    "reopen_for_approval": _("genåbnet til godkendelse"),
    "reimport": _("importeret igen"),
    "import": _("importeret"),
    "publish_imported_minutes": _("importeret referat offentliggjort"),
    "numbering": _("punktnummerering ændret"),
    "template": _("mødeskabelon ændret"),
}


def action_label(action: str) -> str:
    noun, _dot, verb = action.partition(".")
    return f"{_NOUNS.get(noun, noun)}: {_VERBS.get(verb, verb)}" if verb else action


def model_label(object_type: str) -> str:
    """ "meetings.agendaitem" → "dagsordenspunkt"; a model gremium no longer has, as stored."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_label(record: AuditRecord) -> str:
    return f"{model_label(record.object_type)} {record.object_id}"


def field_label(object_type: str, name: str) -> str:
    """A stored field name in the model's own (Danish) words: "outcome" → "udfald"; a
    field gremium no longer has, as stored."""
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError):
        return name
    return str(getattr(field, "verbose_name", name))


def changed_fields(record: AuditRecord) -> list[str]:
    """The labels of the fields a change touched: those whose stored values differ."""
    before, after = record.before or {}, record.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    names = [n for n in {**before, **after} if before.get(n) != after.get(n)]
    if not before or not after:  # created or deleted: the object, not its fields, changed
        return []
    return [field_label(record.object_type, n) for n in names]
