"""The example council decisions the other apps' demos record: a municipality's council
adopts joining an arena or a project, leaving one, or a case's mandate."""

from __future__ import annotations

from datetime import date

from samarbeid.audit.services import Actor
from samarbeid.core.examples import example
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.services.decisions import record_decision
from samarbeid.registry.models import Municipality


def council_adopted(
    actor: Actor,
    municipality: Municipality,
    *,
    meeting_date: date,
    text: str,
    case_number: str = "",
    case: Case | None = None,
) -> Decision:
    """An example decision adopted by `municipality`'s council on `meeting_date` (in
    `case`, when the council treated one), recorded by governance's service as `actor`."""
    return example(
        record_decision,
        Decision,
        actor,
        case=case,
        body=Decision.Body.COUNCIL,
        municipality=municipality,
        case_number=case_number,
        meeting_date=meeting_date,
        outcome=Decision.Outcome.ADOPTED,
        text=text,
    )
