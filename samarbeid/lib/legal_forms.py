"""Legal forms of Norwegian inter-municipal cooperation (kommuneloven 2018 § 17-1), as data.

Deliberately coarse: it answers "which forms can do what we need at all", not "which is best".
`can_make_individual_decisions` means by the general rules of kommuneloven: only the host models
give a general right to delegate enkeltvedtak; for the others a special act must open for it.
Sources: kommuneloven kap. 17–20, IKS-loven, Prop. 45 L (2015–2016) and the ministry's
"Veileder om interkommunalt samarbeid".
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, get_args

__all__ = [
    "FORMS",
    "FORMS_BY_CODE",
    "FormAssessment",
    "LegalForm",
    "Need",
    "Reason",
    "assess_forms",
]

OwnLegalEntity = Literal["yes", "no", "can be"]

# A reason code followed by its parameters, e.g. ("abolished", "2016-04-05", "2020-01-01").
Reason = tuple[str, ...]


@dataclass(frozen=True)
class LegalForm:
    code: str
    name_nb: str
    name_en: str
    law: str
    can_produce_services: bool
    can_make_individual_decisions: bool
    own_legal_entity: OwnLegalEntity
    governing_bodies_nb: tuple[str, ...]
    historical: bool = False
    # The abbreviation the name must carry; the full form name is an accepted alternative.
    name_must_contain: str | None = None
    notes_nb: tuple[str, ...] = ()
    abolished_on: date | None = None
    wound_up_by: date | None = None


class Need(StrEnum):
    PRODUCE_SERVICES = "produce_services"
    INDIVIDUAL_DECISIONS = "individual_decisions"
    OWN_LEGAL_ENTITY = "own_legal_entity"
    NO_NEW_LEGAL_ENTITY = "no_new_legal_entity"
    POLITICAL_FORUM_ONLY = "political_forum_only"


def _form(row: dict[str, Any]) -> LegalForm:
    """One form from its table in legal_forms.toml (lists become tuples; an unknown key or a
    wrong kind of legal entity is an error when the module loads)."""
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
    if values.get("own_legal_entity") not in get_args(OwnLegalEntity):
        raise ValueError(f"{row.get('code')}: own_legal_entity must be one of yes, no, can be")
    return LegalForm(**values)


# The forms are data: one table each in legal_forms.toml, in the order they are offered.
FORMS: tuple[LegalForm, ...] = tuple(
    _form(row)
    for row in tomllib.loads(Path(__file__).with_suffix(".toml").read_text("utf-8"))["form"]
)

FORMS_BY_CODE: dict[str, LegalForm] = {form.code: form for form in FORMS}


@dataclass(frozen=True)
class FormAssessment:
    form: LegalForm
    suitable: bool
    reasons: tuple[Reason, ...]  # why not suitable; empty when suitable
    conditions: tuple[Reason, ...]  # what must hold for a suitable form to meet the needs


def _check(form: LegalForm, need: Need) -> tuple[Reason | None, Reason | None]:
    """Return (blocking reason, condition) for one need."""
    if need is Need.PRODUCE_SERVICES:
        if not form.can_produce_services:
            return ("cannot_produce_services",), None
        if form.code in ("host_admin", "host_board"):
            return None, ("services_produced_by_host",)
        return None, None
    if need is Need.INDIVIDUAL_DECISIONS:
        if not form.can_make_individual_decisions:
            return ("cannot_make_individual_decisions",), None
        return None, ("decision_authority_delegated_to_host",)
    if need is Need.OWN_LEGAL_ENTITY:
        if form.own_legal_entity == "no":
            return ("not_own_legal_entity",), None
        if form.own_legal_entity == "can be":
            return None, ("agreement_must_make_it_own_legal_entity",)
        return None, None
    if need is Need.NO_NEW_LEGAL_ENTITY:
        if form.own_legal_entity == "yes":
            return ("is_own_legal_entity",), None
        if form.own_legal_entity == "can be":
            return None, ("agreement_must_not_make_it_own_legal_entity",)
        return None, None
    # POLITICAL_FORUM_ONLY: purely political cooperation must be organised as an IPR
    # (Prop. 46 L (2017–2018) merknad til § 18-1).
    if form.code != "ipr":
        return ("political_forum_must_be_ipr",), None
    return None, None


def assess_forms(needs: Iterable[str]) -> list[FormAssessment]:
    parsed: list[Need] = []
    for need in needs:
        try:
            parsed.append(Need(need))
        except ValueError:
            known = ", ".join(n.value for n in Need)
            raise ValueError(f"unknown need {need!r}; known needs: {known}") from None
    wanted = sorted(set(parsed), key=list(Need).index)

    assessments: list[FormAssessment] = []
    for form in FORMS:
        reasons: list[Reason] = []
        conditions: list[Reason] = []
        if form.historical:
            abolished = form.abolished_on.isoformat() if form.abolished_on else ""
            wound_up = form.wound_up_by.isoformat() if form.wound_up_by else ""
            reasons.append(("abolished", abolished, wound_up))
        for need in wanted:
            blocker, condition = _check(form, need)
            if blocker:
                reasons.append(blocker)
            if condition:
                conditions.append(condition)
        if form.name_must_contain and not reasons:
            conditions.append(("name_must_contain", form.name_must_contain))
        assessments.append(
            FormAssessment(
                form=form,
                suitable=not reasons,
                reasons=tuple(reasons),
                conditions=tuple(conditions) if not reasons else (),
            )
        )
    return assessments
