"""Pages for cooperation proposals and their criteria."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_any_secretariat,
    require,
)
from samarbeid.core.forms import edit_page, form_page, post_action
from samarbeid.review.forms import (
    CriterionForm,
    ProposalForm,
    ReadyForm,
)
from samarbeid.review.models import (
    CooperationProposal,
    ProposalCriterion,
)
from samarbeid.review.services.advisor import advise, need_choices
from samarbeid.review.services.proposals import (
    create_proposal,
    mark_ready,
    reopen_proposal,
    update_criterion,
    update_proposal,
)


def _visible_proposal(request: HttpRequest, pk: int) -> CooperationProposal:
    return get_object_or_404(
        CooperationProposal.objects.visible_to(request.user).select_related("arena"), pk=pk
    )


def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = CooperationProposal.objects.visible_to(request.user).select_related("arena")
    return render(
        request,
        "review/proposal_list.html",
        {"proposals": proposals, "can_create": is_any_secretariat(request.user)},
    )


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: create_proposal(form.save(commit=False), actor=request.user),
        success=_("Forslaget er registrert."),
        template="review/proposal_form.html",
        context={"proposal": None},
    )


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require(can_edit_arena(request.user, proposal.arena))
    return edit_page(
        request,
        ProposalForm(request.POST or None, instance=proposal),
        update_proposal,
        success=_("Endringene er lagret."),
        template="review/proposal_form.html",
        context={"proposal": proposal},
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    criteria = list(proposal.criteria.all())
    can_edit = can_edit_arena(request.user, proposal.arena)
    return render(
        request,
        "review/proposal_detail.html",
        {
            "proposal": proposal,
            "criteria": criteria,
            "open_count": sum(1 for c in criteria if c.state == ProposalCriterion.State.OPEN),
            "advice": advise(proposal.needs or []),
            "need_labels": dict(need_choices()),
            "comparisons": proposal.comparisons.all(),
            "can_edit": can_edit,
            "ready_form": ReadyForm() if can_edit else None,
        },
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(ProposalCriterion.objects.select_related("proposal"), pk=pk)
    proposal = _visible_proposal(request, criterion.proposal_id)
    require(can_edit_arena(request.user, proposal.arena))
    return edit_page(
        request,
        CriterionForm(request.POST or None, instance=criterion),
        update_criterion,
        success=_("Kriteriet er oppdatert."),
        template="review/criterion_form.html",
        context={"criterion": criterion, "proposal": proposal},
        then=proposal,
    )


@login_required
def proposal_ready(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require(can_edit_arena(request.user, proposal.arena))
    form = ReadyForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: mark_ready(
            proposal, override_reason=form.cleaned_data["override_reason"], actor=request.user
        ),
        success=_("Forslaget er klart til vedtak."),
        template="review/proposal_ready.html",
        context={"proposal": proposal},
        then=proposal,
    )


@login_required
@require_POST
def proposal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require(can_edit_arena(request.user, proposal.arena))
    return post_action(
        request,
        lambda: reopen_proposal(proposal, actor=request.user),
        success=_("Forslaget er åpnet for arbeid igjen."),
        then=proposal,
    )
