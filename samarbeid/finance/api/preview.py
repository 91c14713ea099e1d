"""The allocation preview: how an amount is split by given weights and participants."""

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from samarbeid.core.api_schemas import Problem, money
from samarbeid.finance.api.components import with_figures, with_weights
from samarbeid.lib.allocation import AllocationError, Participant, Weights, allocate

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
    try:
        total = Decimal(payload.total.strip())
    except InvalidOperation:
        raise ValidationError({"total": f"{payload.total!r} is not an amount."}) from None
    weights = Weights(**payload.weights.dict())
    participants = [
        Participant.with_figures(p.municipality, p.dict(exclude={"municipality"}))
        for p in payload.participants
    ]
    try:
        shares = allocate(total, weights, participants)
    except AllocationError as exc:
        field = "participants" if exc.participant_key else "total"
        if exc.code.startswith("weight"):
            field = "weights"
        raise ValidationError({field: str(exc)}) from None
    return {
        "total": money(total),
        "shares": [{"municipality": s.key, "amount": money(s.amount)} for s in shares],
    }
