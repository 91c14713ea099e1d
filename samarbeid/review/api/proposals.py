"""API for cooperation proposals and their criteria: open reads, and writes (WRITE_AUTH) for
what the proposal pages can do."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import WRITE_ERRORS, Problem, VersionIn
from samarbeid.core.paging import Pagination
from samarbeid.lib import legal_forms
from samarbeid.review.api.references import not_null, plain, reference_arena
from samarbeid.review.models import (
    CooperationProposal,
    ProposalCriterion,
    ProposedForm,
)
from samarbeid.review.services.proposals import (
    create_proposal,
    mark_ready,
    reopen_proposal,
    update_criterion,
    update_proposal,
)

router = Router()


class CriterionOut(Schema):
    id: int
    version: int
    key: str
    label: str
    state: str
    evidence: str


class ProposalOut(Schema):
    id: int
    title: str
    need: str
    expected_effect: str
    arena: int | None
    partners_asked: str
    partners_asked_on: date | None
    proposed_form: str
    mandate: str
    needs: list[str]
    status: str
    ready_on: date | None
    override_reason: str
    is_example_data: bool
    version: int
    criteria: list[CriterionOut]


def proposal_out(proposal: CooperationProposal) -> dict[str, object]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "need": proposal.need,
        "expected_effect": proposal.expected_effect,
        "arena": proposal.arena_id,
        "partners_asked": proposal.partners_asked,
        "partners_asked_on": proposal.partners_asked_on,
        "proposed_form": proposal.proposed_form,
        "mandate": proposal.mandate,
        "needs": list(proposal.needs or []),
        "status": proposal.status,
        "ready_on": proposal.ready_on,
        "override_reason": proposal.override_reason,
        "is_example_data": proposal.is_example_data,
        "version": proposal.version,
        "criteria": [
            {
                "id": c.pk,
                "version": c.version,
                "key": c.key,
                "label": str(c.get_key_display()),
                "state": c.state,
                "evidence": c.evidence,
            }
            for c in proposal.criteria.all()
        ],
    }


class ProposalFilter(Schema):
    status: CooperationProposal.Status | None = None


@router.get("/proposals", response=list[ProposalOut], summary="List cooperation proposals")
@paginate(Pagination)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> list[dict[str, object]]:
    proposals = CooperationProposal.objects.visible_to(request.user).prefetch_related("criteria")
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    return [proposal_out(p) for p in proposals.order_by("title", "id")]


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, 404: Problem},
    summary="One cooperation proposal with its criteria checklist",
)
def get_proposal(request: HttpRequest, proposal_id: int) -> dict[str, object]:
    proposal = get_object_or_404(
        CooperationProposal.objects.visible_to(request.user), pk=proposal_id
    )
    return proposal_out(proposal)


# --- cooperation proposals ---


class CooperationProposalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    need: str = Field(min_length=1)
    expected_effect: str = ""
    arena: int | None = None
    partners_asked: str = ""
    partners_asked_on: date | None = None
    proposed_form: ProposedForm = ProposedForm.UNDECIDED
    mandate: str = ""
    needs: list[legal_forms.Need] = Field(
        default_factory=list, description="What the cooperation must be able to do"
    )
    published: bool = True


class CooperationProposalPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    title: str | None = Field(None, min_length=1, max_length=200)
    need: str | None = Field(None, min_length=1)
    expected_effect: str | None = None
    arena: int | None = None
    partners_asked: str | None = None
    partners_asked_on: date | None = None
    proposed_form: ProposedForm | None = None
    mandate: str | None = None
    needs: list[legal_forms.Need] | None = None
    published: bool | None = None


_PROPOSAL_NOT_NULL = {
    "title",
    "need",
    "expected_effect",
    "partners_asked",
    "proposed_form",
    "mandate",
    "needs",
    "published",
}


def _proposal_values(data: dict[str, Any], request: HttpRequest) -> dict[str, Any]:
    not_null(data, _PROPOSAL_NOT_NULL)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "version":
            continue
        if name == "arena":
            values[name] = reference_arena(value, request, name)
        elif name == "needs":
            values[name] = list(dict.fromkeys(plain(n) for n in value))
        else:
            values[name] = plain(value)
    return values


def _visible_proposal(request: HttpRequest, proposal_id: int) -> CooperationProposal:
    proposal = get_object_or_404(
        CooperationProposal.objects.visible_to(request.user)
        .select_related("arena")
        .filter(pk=proposal_id)
    )
    return proposal


@router.post(
    "/proposals",
    response={201: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Register a cooperation proposal (a draft with the eight criteria open)",
)
def post_proposal(
    request: HttpRequest, payload: CooperationProposalIn
) -> Status[dict[str, object]]:
    proposal = CooperationProposal(**_proposal_values(payload.dict(), request))
    create_proposal(proposal, actor=request.user, channel=Channel.API)
    return Status(201, proposal_out(proposal))


@router.patch(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a cooperation proposal (with the version read)",
    description="The status changes through /ready and /reopen.",
)
def patch_proposal(
    request: HttpRequest, proposal_id: int, payload: CooperationProposalPatch
) -> dict[str, object]:
    proposal = _visible_proposal(request, proposal_id)
    require(can_edit_arena(request.user, proposal.arena))
    changes = _proposal_values(payload.dict(exclude_unset=True), request)
    update_proposal(
        proposal, changes, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return proposal_out(proposal)


class ProposalReadyIn(Schema):
    override_reason: str = Field(
        "", description="Needed while a criterion is still open: why it goes ahead anyway"
    )
    version: int = Field(ge=1, description="The version read; a newer stored version answers 409")


@router.post(
    "/proposals/{proposal_id}/ready",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Mark a proposal ready for decision",
    description="Refused while a criterion is open, unless `override_reason` says why.",
)
def post_proposal_ready(
    request: HttpRequest, proposal_id: int, payload: ProposalReadyIn
) -> dict[str, object]:
    proposal = _visible_proposal(request, proposal_id)
    require(can_edit_arena(request.user, proposal.arena))
    mark_ready(
        proposal,
        override_reason=payload.override_reason,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return proposal_out(proposal)


@router.post(
    "/proposals/{proposal_id}/reopen",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Reopen a proposal that was ready for decision",
)
def post_proposal_reopen(
    request: HttpRequest, proposal_id: int, payload: VersionIn
) -> dict[str, object]:
    proposal = _visible_proposal(request, proposal_id)
    require(can_edit_arena(request.user, proposal.arena))
    reopen_proposal(
        proposal, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return proposal_out(proposal)


class ProposalCriterionPatch(Schema):
    version: int = Field(ge=1, description="The criterion's version the edit started from")
    state: ProposalCriterion.State | None = None
    evidence: str | None = None


@router.patch(
    "/proposal-criteria/{criterion_id}",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a proposal's criterion (open, in progress, met with evidence)",
    description="Only while the proposal is a draft. Answers the whole proposal.",
)
def patch_proposal_criterion(
    request: HttpRequest, criterion_id: int, payload: ProposalCriterionPatch
) -> dict[str, object]:
    criterion = get_object_or_404(
        ProposalCriterion.objects.select_related("proposal__arena").filter(
            pk=criterion_id,
            proposal__in=CooperationProposal.objects.visible_to(request.user),
        )
    )
    require(can_edit_arena(request.user, criterion.proposal.arena))
    data = payload.dict(exclude_unset=True)
    not_null(data, {"state", "evidence"})
    changes = {name: plain(value) for name, value in data.items() if name != "version"}
    update_criterion(
        criterion,
        changes,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return proposal_out(criterion.proposal)
