"""Recording a decision from a page that was loaded earlier: the form carries what the
decision was when the page was opened, so a decision someone else saved meanwhile is
never overwritten unseen."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gremium.audit.services import Actor, write_transaction
from gremium.meetings.models import AgendaItem, Decision, DecisionOutcome
from gremium.meetings.services.guards import StaleEdit
from gremium.meetings.services.recording import decision_record


def decision_fingerprint(decision: Decision | None) -> str:
    """What the editor saw: outcome and text, or "" for no decision yet."""
    if decision is None:
        return ""
    return f"{decision.outcome}\n{decision.text}"


def decision_record_checked(
    *, item: AgendaItem, outcome: DecisionOutcome, text: str, expected: str, by: Actor
) -> Decision:
    """`decision_record`, refused with `StaleEdit` when the stored decision is no longer
    the one the editor saw (`expected`, from `decision_fingerprint`)."""
    with write_transaction():
        current = Decision.objects.filter(agenda_item=item).first()
        if decision_fingerprint(current) != expected:
            raise StaleEdit(
                _(
                    "Beslutningen i punkt %(item)s er ændret af en anden, efter du åbnede "
                    "siden. Din beslutning er ikke gemt; se den nye og prøv igen."
                )
                % {"item": item.label}
            )
        return decision_record(item=item, outcome=outcome, text=text, by=by)
