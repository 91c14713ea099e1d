"""The allocation preview: how an amount is split by given weights and participants."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema
from pydantic import Field

from samarbeid.core.api_forms import bind, valid
from samarbeid.core.api_schemas import Problem, money
from samarbeid.finance.api.components import with_figures, with_weights
from samarbeid.finance.forms import PreviewTotalForm
from samarbeid.finance.keys import weights_message
from samarbeid.lib.allocation import DECLARATION, AllocationError, Participant, Weights, allocate

# Allocation preview ---------------------------------------------------------------------------


router = Router(tags=["finance"])


class _WeightsIn(Schema):
    pass


class _ParticipantIn(Schema):
    municipality: str = Field(description="Municipality number (or any unique key)")


# A weight and a figure for each declared component (lib.allocation.DECLARATION).
if TYPE_CHECKING:  # the fields are added at runtime; mypy sees the fixed ones
    WeightsIn = _WeightsIn
    ParticipantIn = _ParticipantIn
else:
    WeightsIn = with_weights(
        _WeightsIn, lambda c: (Decimal, Field(Decimal(0), description="Percent"))
    )
    ParticipantIn = with_figures(_ParticipantIn)


class PreviewIn(Schema):
    total: str = Field(examples=["1000000.00"], description="Amount in NOK, at most 2 decimals")
    weights: WeightsIn
    participants: list[ParticipantIn]


class ShareOut(Schema):
    municipality: str
    amount: str


class PreviewOut(Schema):
    total: str
    shares: list[ShareOut]


@router.post(
    "/allocations/preview",
    response={200: PreviewOut, 422: Problem},
    summary="Split a total by an allocation key",
    description=(
        "Exact to the øre: each share is floored, the remaining øre go to the largest "
        "remainders (ties: lower municipality number). Shares are in the order given and "
        "add up to the total. Nothing is stored."
    ),
)
def allocation_preview(request: HttpRequest, payload: PreviewIn) -> dict[str, Any]:
    total = valid(bind(PreviewTotalForm, {"total": payload.total})).cleaned_data["total"]
    weights = Weights(**payload.weights.dict())
    participants = [
        Participant.with_figures(p.municipality, p.dict(exclude={"municipality"}))
        for p in payload.participants
    ]
    try:
        shares = allocate(total, weights, participants)
    except AllocationError as exc:
        raise preview_problem(exc, weights) from None
    return {
        "total": money(total),
        "shares": [{"municipality": s.key, "amount": money(s.amount)} for s in shares],
    }


def preview_problem(exc: AllocationError, weights: Weights) -> ValidationError:
    """The library's reason (English, for its own tests) in the request's language, on the
    field it is about; each figure's component is named by its label."""
    m = exc.participant_key or ""
    component = next((c for c in DECLARATION if exc.code.startswith(f"{c.code}_")), None)
    label = gettext(component.label) if component is not None else ""
    if exc.code in ("weights_sum", "weight_out_of_range"):
        return ValidationError({"weights": weights_message(weights.as_dict())})
    if exc.code == "total_negative":
        return ValidationError({"total": gettext("Beløpet kan ikke være negativt.")})
    if exc.code == "no_participants":
        return ValidationError({"participants": gettext("Oppgi minst én deltaker.")})
    if exc.code == "duplicate_key":
        words = gettext("Kommunen %(m)s står mer enn én gang.")
    elif exc.code.endswith("_missing"):
        words = gettext("%(m)s mangler tallet som «%(label)s» fordeler etter.")
    elif exc.code.endswith("_negative"):
        words = gettext("%(m)s har et negativt tall for «%(label)s».")
    elif exc.code.endswith("_zero"):
        words = gettext("Tallene for «%(label)s» er 0 for alle deltakerne: ingenting kan fordeles.")
    elif exc.code.endswith("_sum"):
        words = gettext("De faste prosentene summerer ikke til 100.")
    else:
        words = gettext("Tallene for %(m)s kan ikke brukes.") if m else gettext("Ugyldig verdi.")
    return ValidationError({"participants": words % {"m": m, "label": label}})
