"""Legal forms of Norwegian inter-municipal cooperation (kommuneloven 2018 § 17-1), as data.

Deliberately coarse: it answers "which forms can do what we need at all", not "which is best".
`can_make_individual_decisions` means by the general rules of kommuneloven: only the host models
give a general right to delegate enkeltvedtak; for the others a special act must open for it.
Sources: kommuneloven kap. 17–20, IKS-loven, Prop. 45 L (2015–2016) and the ministry's
"Veileder om interkommunalt samarbeid".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

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


FORMS: tuple[LegalForm, ...] = (
    LegalForm(
        code="ipr",
        name_nb="Interkommunalt politisk råd",
        name_en="Inter-municipal political council",
        law="kommuneloven kap. 18",
        can_produce_services=False,
        can_make_individual_decisions=False,
        own_legal_entity="can be",
        governing_bodies_nb=("representantskap",),
        name_must_contain="IPR",
        notes_nb=(
            "Politisk samarbeidsforum om felles samfunnsspørsmål; produserer ikke tjenester.",
        ),
    ),
    LegalForm(
        code="ko",
        name_nb="Kommunalt oppgavefellesskap",
        name_en="Municipal joint task undertaking",
        law="kommuneloven kap. 19",
        can_produce_services=True,
        can_make_individual_decisions=False,
        own_legal_entity="can be",
        governing_bodies_nb=("representantskap",),
        name_must_contain="KO",
    ),
    LegalForm(
        code="host_admin",
        name_nb="Administrativt vertskommunesamarbeid",
        name_en="Administrative host-municipality cooperation",
        law="kommuneloven kap. 20",
        can_produce_services=True,
        can_make_individual_decisions=True,
        own_legal_entity="no",
        governing_bodies_nb=("vertskommunens administrasjon",),
        notes_nb=(
            "Tjenestene ytes av vertskommunen.",
            "Vertskommunen kan få delegert myndighet til å treffe vedtak i saker som ikke er av "
            "prinsipiell betydning.",
        ),
    ),
    LegalForm(
        code="host_board",
        name_nb="Vertskommunesamarbeid med felles folkevalgt nemnd",
        name_en="Host-municipality cooperation with a joint elected board",
        law="kommuneloven kap. 20",
        can_produce_services=True,
        can_make_individual_decisions=True,
        own_legal_entity="no",
        governing_bodies_nb=(
            "felles folkevalgt nemnd (minst to representanter fra hver deltaker)",
        ),
        notes_nb=("Nemnda er organisatorisk en del av vertskommunen.",),
    ),
    LegalForm(
        code="iks",
        name_nb="Interkommunalt selskap",
        name_en="Inter-municipal company",
        law="lov om interkommunale selskaper (IKS-loven)",
        can_produce_services=True,
        can_make_individual_decisions=False,
        own_legal_entity="yes",
        governing_bodies_nb=("representantskap", "styre"),
        name_must_contain="IKS",
        notes_nb=(
            "Hvert kommunestyre vedtar selskapsavtalen.",
            "Deltakerne hefter for selskapets forpliktelser etter sin eierandel.",
        ),
    ),
    LegalForm(
        code="as",
        name_nb="Aksjeselskap",
        name_en="Limited company",
        law="aksjeloven",
        can_produce_services=True,
        can_make_individual_decisions=False,
        own_legal_entity="yes",
        governing_bodies_nb=("generalforsamling", "styre"),
        name_must_contain="AS",
    ),
    LegalForm(
        code="samvirke",
        name_nb="Samvirkeforetak",
        name_en="Cooperative",
        law="samvirkelova",
        can_produce_services=True,
        can_make_individual_decisions=False,
        own_legal_entity="yes",
        governing_bodies_nb=("årsmøte", "styre"),
        name_must_contain="SA",
    ),
    LegalForm(
        code="forening",
        name_nb="Forening",
        name_en="Association",
        law="ulovfestet foreningsrett",
        can_produce_services=True,
        can_make_individual_decisions=False,
        own_legal_entity="yes",
        governing_bodies_nb=("årsmøte", "styre"),
    ),
    LegalForm(
        code="samkommune",
        name_nb="Samkommune",
        name_en="Joint municipality",
        law="kommuneloven (1992) kap. 5 B, opphevet",
        can_produce_services=True,
        can_make_individual_decisions=True,
        own_legal_entity="yes",
        governing_bodies_nb=("samkommunestyre",),
        historical=True,
        notes_nb=("Ingen nye samkommuner kan opprettes.",),
        abolished_on=date(2016, 4, 5),
        wound_up_by=date(2020, 1, 1),
    ),
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
