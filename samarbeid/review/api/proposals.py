"""API for cooperation proposals and their criteria: open reads, and writes (WRITE_AUTH) for
what the proposal pages can do."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, narrowed, not_null, sent, through, writes
from samarbeid.core.api_forms import api_create, api_update, bind, valid
from samarbeid.core.api_schemas import Problem, VersionIn, ref
from samarbeid.core.paging import Pagination
from samarbeid.lib import legal_forms
from samarbeid.planning.models import CooperationNeed
from samarbeid.review.access import find_proposal
from samarbeid.review.forms import CriterionForm, ProposalForm, ReadyForm
from samarbeid.review.models import (
    CooperationProposal,
    Criterion,
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
    key: Criterion
    label: str
    state: ProposalCriterion.State
    evidence: str

    @staticmethod
    def resolve_label(criterion: ProposalCriterion) -> str:
        return str(criterion.get_key_display())


class ProposalOut(Schema):
    id: int
    title: str
    need: str
    expected_effect: str
    arena: int | None = ref("arena")
    partners_asked: str
    partners_asked_on: date | None
    proposed_form: ProposedForm
    mandate: str
    needs: list[legal_forms.Need]
    status: CooperationProposal.Status
    ready_on: date | None
    override_reason: str
    published: bool = Field(description="Whether the public sees it (internal users see all)")
    is_example_data: bool
    version: int
    criteria: list[CriterionOut]
    planning_needs: list[int] = Field(
        default_factory=list, description="The planning-strategy needs it starts from"
    )

    @staticmethod
    def resolve_needs(proposal: CooperationProposal) -> list[str]:
        return list(proposal.needs or [])

    @staticmethod
    def resolve_planning_needs(proposal: CooperationProposal) -> list[int]:
        return [need.pk for need in proposal.planning_needs.all()]


class ProposalFilter(Schema):
    status: CooperationProposal.Status | None = None


@router.get("/proposals", response=list[ProposalOut], summary="List cooperation proposals")
@paginate(Pagination)
def list_proposals(
    request: HttpRequest, filters: Query[ProposalFilter]
) -> QuerySet[CooperationProposal]:
    proposals = CooperationProposal.objects.visible_to(request.user).prefetch_related(
        "criteria", "planning_needs"
    )
    return narrowed(proposals, status=filters.status).order_by("title", "id")


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, 404: Problem},
    summary="One cooperation proposal with its criteria checklist",
)
def get_proposal(request: HttpRequest, proposal_id: int) -> CooperationProposal:
    return find_proposal(request, proposal_id)


# --- writes (see the package's docstring) ---


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
    planning_needs: list[int] = Field(
        default_factory=list,
        description="Ids of needs of planning strategies (/planning-needs) it starts from",
    )


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
    planning_needs: list[int] | None = Field(
        None, description="All of them: the links become these"
    )


_PROPOSAL_NOT_NULL = {
    "title",
    "need",
    "expected_effect",
    "partners_asked",
    "proposed_form",
    "mandate",
    "needs",
    "published",
    "planning_needs",
}


def _proposal_form(
    data: dict[str, Any], request: HttpRequest, proposal: CooperationProposal | None = None
) -> ProposalForm:
    """The proposal page's form, filled from the payload (validated by `api_create` or
    `api_update` with the page's rules)."""
    not_null(data, _PROPOSAL_NOT_NULL)
    values = dict(data)
    if "needs" in values:
        values["needs"] = list(dict.fromkeys(values["needs"]))
    if proposal is not None and "planning_needs" not in values:
        values["planning_needs"] = [n.pk for n in proposal.planning_needs.all()]
    form = bind(
        ProposalForm,
        values,
        instance=proposal,
        planning_needs=CooperationNeed.objects.visible_to(request.user),
    )
    # the page's choice of arenas, limited to what the caller may see
    form.fields["arena"].queryset = Arena.objects.visible_to(request.user)  # type: ignore[attr-defined]
    return form


# A criterion of a proposal the caller may see (404); its arena's editors change it.
_criterion = Finder(
    lambda user: ProposalCriterion.objects.select_related("proposal__arena").filter(
        proposal__in=CooperationProposal.objects.visible_to(user)
    ),
    through("proposal.arena", can_edit_arena),
)


@router.post(
    "/proposals",
    **writes(201, ProposalOut),
    summary="Register a cooperation proposal (a draft with the eight criteria open)",
)
def post_proposal(
    request: HttpRequest, payload: CooperationProposalIn
) -> Status[CooperationProposal]:
    form = _proposal_form(payload.dict(), request)
    proposal = api_create(
        request,
        form,
        lambda record, **how: create_proposal(
            record, planning_needs=form.cleaned_data["planning_needs"], **how
        ),
    )
    return Status(201, proposal)


@router.patch(
    "/proposals/{proposal_id}",
    **writes(200, ProposalOut),
    summary="Change a cooperation proposal (with the version read)",
    description="The status changes through /ready and /reopen.",
)
def patch_proposal(
    request: HttpRequest, proposal_id: int, payload: CooperationProposalPatch
) -> CooperationProposal:
    proposal = find_proposal(request, proposal_id, change=True)
    form = _proposal_form(sent(payload), request, proposal)
    return api_update(request, form, update_proposal, version=payload.version)


class ProposalReadyIn(Schema):
    override_reason: str = Field(
        "", description="Needed while a criterion is still open: why it goes ahead anyway"
    )
    version: int = Field(ge=1, description="The version read; a newer stored version answers 409")


@router.post(
    "/proposals/{proposal_id}/ready",
    **writes(200, ProposalOut),
    summary="Mark a proposal ready for decision",
    description="Refused while a criterion is open, unless `override_reason` says why.",
)
def post_proposal_ready(
    request: HttpRequest, proposal_id: int, payload: ProposalReadyIn
) -> CooperationProposal:
    proposal = find_proposal(request, proposal_id, change=True)
    form = valid(bind(ReadyForm, payload.dict(exclude={"version"})))
    mark_ready(
        proposal,
        override_reason=form.cleaned_data["override_reason"],
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return proposal


@router.post(
    "/proposals/{proposal_id}/reopen",
    **writes(200, ProposalOut),
    summary="Reopen a proposal that was ready for decision",
)
def post_proposal_reopen(
    request: HttpRequest, proposal_id: int, payload: VersionIn
) -> CooperationProposal:
    proposal = find_proposal(request, proposal_id, change=True)
    reopen_proposal(
        proposal, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return proposal


class ProposalCriterionPatch(Schema):
    version: int = Field(ge=1, description="The criterion's version the edit started from")
    state: ProposalCriterion.State | None = None
    evidence: str | None = None


@router.patch(
    "/proposal-criteria/{criterion_id}",
    **writes(200, ProposalOut),
    summary="Change a proposal's criterion (open, in progress, met with evidence)",
    description="Only while the proposal is a draft. Answers the whole proposal.",
)
def patch_proposal_criterion(
    request: HttpRequest, criterion_id: int, payload: ProposalCriterionPatch
) -> CooperationProposal:
    criterion = _criterion(request, criterion_id, change=True)
    data = sent(payload)
    not_null(data, {"state", "evidence"})
    form = bind(CriterionForm, data, instance=criterion)
    api_update(request, form, update_criterion, version=payload.version)
    return criterion.proposal


# --- reads of a proposal's criteria ---


@router.get(
    "/proposals/{proposal_id}/criteria",
    response={200: list[CriterionOut], 404: Problem},
    summary="A proposal's eight criteria (open, in progress, met with evidence)",
)
def list_proposal_criteria(request: HttpRequest, proposal_id: int) -> QuerySet[ProposalCriterion]:
    return find_proposal(request, proposal_id).criteria.all()


@router.get(
    "/proposal-criteria/{criterion_id}",
    response={200: CriterionOut, 404: Problem},
    summary="One criterion of a proposal",
)
def get_proposal_criterion(request: HttpRequest, criterion_id: int) -> ProposalCriterion:
    return _criterion(request, criterion_id)
