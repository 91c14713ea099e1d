"""Pages for cooperation proposals and their criteria."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_any_secretariat,
)
from samarbeid.core.forms import edit_page, form_page, post_action
from samarbeid.planning.models import CooperationNeed, Theme
from samarbeid.planning.queries import current_needs, need_text, needs_by_theme
from samarbeid.review.access import find_proposal
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


def proposal_list(request: HttpRequest) -> HttpResponse:
    """The proposals, and per theme the municipalities whose planning strategy names a need
    for cooperation (to find partners early; a secretariat starts a proposal from them)."""
    proposals = CooperationProposal.objects.visible_to(request.user).select_related("arena")
    return render(
        request,
        "review/proposal_list.html",
        {
            "proposals": proposals,
            "can_create": is_any_secretariat(request.user),
            "themes": needs_by_theme(request.user, timezone.localdate()),
        },
    )


@login_required
def proposal_from_needs(request: HttpRequest) -> HttpResponse:
    """'Nytt forslag fra behov': a proposal that starts from the needs of one theme
    (`tema`) named in municipalities' current planning strategies; those chosen (`behov`,
    all of the theme's when none is named) are ticked and the proposal's need is written
    from them."""
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    theme = request.GET.get("tema", "")
    if theme not in Theme.values:
        return redirect(reverse("review:proposal_list") + "#behov")
    offered = current_needs(request.user, timezone.localdate()).filter(theme=theme)
    asked = {int(v) for v in request.GET.getlist("behov") if v.isdigit()}
    chosen = [n for n in offered if not asked or n.pk in asked]
    label = Theme(theme).label
    initial: dict[str, Any] = {
        "title": _("Samarbeid om %(theme)s") % {"theme": label},
        "need": need_text(chosen),
        "planning_needs": [n.pk for n in chosen],
    }
    form = ProposalForm(request.POST or None, initial=initial, planning_needs=offered)
    return form_page(
        request,
        form,
        lambda: create_proposal(
            form.save(commit=False),
            planning_needs=form.cleaned_data["planning_needs"],
            actor=request.user,
        ),
        success=_("Forslaget er registrert."),
        template="review/proposal_form.html",
        context={"proposal": None, "theme_label": label},
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
    proposal = find_proposal(request, pk, change=True)
    return edit_page(
        request,
        ProposalForm(
            request.POST or None,
            instance=proposal,
            planning_needs=_needs_offered(request, proposal),
        ),
        update_proposal,
        success=_("Endringene er lagret."),
        template="review/proposal_form.html",
        # the proposal as stored: validating the form writes what was typed into its
        # instance, and the heading names the record, not an unsaved title (a clerk's trial)
        context={"proposal": copy.copy(proposal)},
    )


def _needs_offered(request: HttpRequest, proposal: CooperationProposal) -> Any:
    """On the edit page, a proposal built on planning needs offers those and the current
    needs of the same themes (to add or take out); one without offers none (None)."""
    linked = list(proposal.need_links.values_list("need__theme", flat=True))
    if not linked:
        return None
    current = current_needs(request.user, timezone.localdate()).filter(theme__in=linked)
    return CooperationNeed.objects.filter(
        Q(proposal_links__proposal=proposal) | Q(pk__in=current.values("pk"))
    ).distinct()


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = find_proposal(request, pk)
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
            "comparisons": proposal.comparisons.visible_to(request.user),
            "planning_needs": proposal.planning_needs.select_related(
                "strategy__municipality"
            ).order_by("strategy__municipality__name", "pk"),
            "can_edit": can_edit,
            "ready_form": ReadyForm() if can_edit else None,
        },
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(ProposalCriterion.objects.select_related("proposal"), pk=pk)
    proposal = find_proposal(request, criterion.proposal_id, change=True)
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
    proposal = find_proposal(request, pk, change=True)
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
    proposal = find_proposal(request, pk, change=True)
    return post_action(
        request,
        lambda: reopen_proposal(proposal, actor=request.user),
        success=_("Forslaget er åpnet for arbeid igjen."),
        then=proposal,
    )
