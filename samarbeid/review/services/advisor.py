"""The legal-form advisor: which forms of cooperation meet the needs, in the user's words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.core.dates import shown
from samarbeid.lib import legal_forms

NEED_LABELS: dict[str, Any] = {
    legal_forms.Need.PRODUCE_SERVICES: gettext_lazy("Må kunne produsere tjenester"),
    legal_forms.Need.INDIVIDUAL_DECISIONS: gettext_lazy("Må kunne treffe enkeltvedtak"),
    legal_forms.Need.OWN_LEGAL_ENTITY: gettext_lazy("Må være et eget rettssubjekt"),
    legal_forms.Need.NO_NEW_LEGAL_ENTITY: gettext_lazy("Skal ikke være et nytt rettssubjekt"),
    legal_forms.Need.POLITICAL_FORUM_ONLY: gettext_lazy("Bare et politisk samarbeidsforum"),
}


def need_choices() -> list[tuple[str, str]]:
    return [(need.value, str(NEED_LABELS[need])) for need in legal_forms.Need]


def reason_text(reason: tuple[str, ...]) -> str:
    """A reason code of `samarbeid.lib.legal_forms` in Norwegian."""
    code, *params = reason
    texts = {
        "cannot_produce_services": _("kan ikke produsere tjenester (et politisk forum)"),
        "cannot_make_individual_decisions": _(
            "kan ikke treffe enkeltvedtak; bare vertskommunesamarbeid (kommuneloven kap. 20) "
            "gir generell adgang til å delegere dem"
        ),
        "not_own_legal_entity": _("er ikke et eget rettssubjekt; vertskommunen handler"),
        "is_own_legal_entity": _("er alltid et eget rettssubjekt"),
        "political_forum_must_be_ipr": _(
            "et rent politisk samarbeid skal organiseres som interkommunalt politisk råd"
        ),
        "services_produced_by_host": _("tjenestene ytes av vertskommunen"),
        "decision_authority_delegated_to_host": _(
            "myndighet til å treffe vedtak må delegeres til vertskommunen"
        ),
        "agreement_must_make_it_own_legal_entity": _(
            "avtalen må gjøre det til et eget rettssubjekt"
        ),
        "agreement_must_not_make_it_own_legal_entity": _(
            "avtalen må ikke gjøre det til et eget rettssubjekt"
        ),
    }
    if code == "abolished":
        abolished = date.fromisoformat(params[0]) if params and params[0] else None
        wound_up = date.fromisoformat(params[1]) if len(params) > 1 and params[1] else None
        return _("opphevet av Stortinget %(a)s, avviklet innen %(w)s") % {
            "a": shown(abolished) if abolished else "?",
            "w": shown(wound_up) if wound_up else "?",
        }
    if code == "name_must_contain":
        return _("navnet må inneholde «%(n)s»") % {"n": params[0] if params else ""}
    return texts.get(code, code)


@dataclass
class FormAdvice:
    form: legal_forms.LegalForm
    suitable: bool
    reasons: list[str]
    conditions: list[str]


def advise(needs: Iterable[str]) -> list[FormAdvice]:
    """Which legal forms can serve these needs; those that cannot, with the reason."""
    try:
        assessments = legal_forms.assess_forms(list(needs))
    except ValueError as exc:
        raise ValidationError({"needs": _("Ukjent krav.")}) from exc
    return [
        FormAdvice(
            form=a.form,
            suitable=a.suitable,
            reasons=[reason_text(r) for r in a.reasons],
            conditions=[reason_text(c) for c in a.conditions],
        )
        for a in assessments
    ]
