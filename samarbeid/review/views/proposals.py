"""Pages for cooperation proposals and their criteria."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_any_secretariat,
    require,
)
from samarbeid.core.forms import apply_validation_error, save_changes, submit
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
    proposal = submit(
        request,
        form,
        lambda: create_proposal(form.save(commit=False), actor=request.user),
        _("Forslaget er registrert."),
    ).saved
    if proposal is not None:
        return redirect(proposal)
    return render(request, "review/proposal_form.html", {"form": form, "proposal": None})


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require(can_edit_arena(request.user, proposal.arena))
    form = ProposalForm(request.POST or None, instance=proposal)
    result = submit(
        request,
        form,
        save_changes(request, form, update_proposal),
        _("Endringene er lagret."),
    )
    if result.saved is not None:
        return redirect(result.saved)
    return render(
        request,
        "review/proposal_form.html",
        {"form": form, "proposal": proposal, "conflict": result.conflict},
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
    form = CriterionForm(request.POST or None, instance=criterion)
    result = submit(
        request,
        form,
        save_changes(request, form, update_criterion),
        _("Kriteriet er oppdatert."),
    )
    if result.saved is not None:
        return redirect(proposal)
    return render(
        request,
        "review/criterion_form.html",
        {"form": form, "criterion": criterion, "proposal": proposal, "conflict": result.conflict},
    )


@login_required
def proposal_ready(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require(can_edit_arena(request.user, proposal.arena))
    form = ReadyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark_ready(
                proposal, override_reason=form.cleaned_data["override_reason"], actor=request.user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Forslaget er klart til vedtak."))
            return redirect(proposal)
    return render(request, "review/proposal_ready.html", {"form": form, "proposal": proposal})


@login_required
@require_POST
def proposal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require(can_edit_arena(request.user, proposal.arena))
    try:
        reopen_proposal(proposal, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Forslaget er åpnet for arbeid igjen."))
    return redirect(proposal)
