"""Pages for model comparisons: alternatives, criteria and weights, participants, scores."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_any_secretariat,
)
from samarbeid.core.forms import confirm_delete, edit_page, form_page
from samarbeid.review.access import find_comparison
from samarbeid.review.forms import (
    AlternativeForm,
    ComparisonCriterionForm,
    ComparisonEditForm,
    ComparisonForm,
    ParticipantForm,
    ScoresForm,
    WeightForm,
)
from samarbeid.review.models import (
    ComparisonCriterion,
    ComparisonParticipant,
    ModelComparison,
    Score,
)
from samarbeid.review.services.advisor import advise
from samarbeid.review.services.comparisons import (
    add_alternative,
    add_criterion,
    add_participant,
    comparison_delete_refusal,
    comparison_result,
    create_comparison,
    delete_comparison,
    set_scores,
    set_weight,
    update_comparison,
)


def comparison_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "review/comparison_list.html",
        {
            "comparisons": ModelComparison.objects.visible_to(request.user).select_related("arena"),
            "can_create": is_any_secretariat(request.user),
        },
    )


@login_required
def comparison_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    form = ComparisonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: create_comparison(form.save(commit=False), actor=request.user),
        success=_("Sammenligningen er opprettet."),
        template="review/simple_form.html",
        context={"heading": _("Ny sammenligning av modeller"), "back": "review:index"},
    )


@login_required
def comparison_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a comparison's title and description, or publish it."""
    comparison = find_comparison(request, pk, change=True)
    return edit_page(
        request,
        ComparisonEditForm(request.POST or None, instance=comparison),
        update_comparison,
        success=_("Endringene er lagret."),
        template="review/simple_form.html",
        # named as stored (validating the form writes what was typed into its instance)
        context={
            "heading": _("Endre %(t)s") % {"t": comparison.title},
            "comparison": copy.copy(comparison),
        },
    )


@login_required
def comparison_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a comparison not in use (no scores given), with its parts; when in
    use, say so instead of the button."""
    return confirm_delete(
        request,
        "review/comparison_delete.html",
        load=lambda: find_comparison(request, pk, change=True),
        context=lambda comparison: {
            "comparison": comparison,
            "alternatives": comparison.alternatives.order_by("pk"),
            "criteria": comparison.criteria.order_by("pk"),
            "participants": comparison.participants.order_by("pk"),
            "refusal": comparison_delete_refusal(comparison),
        },
        delete=lambda comparison, version: delete_comparison(
            comparison, expected_version=version, actor=request.user
        ),
        success=lambda comparison: (
            _("Sammenligningen «%(t)s» er slettet.") % {"t": comparison.title}
        ),
        done=lambda comparison: reverse("review:comparison_list"),
    )


def comparison_detail(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = find_comparison(request, pk)
    alternatives = list(comparison.alternatives.all())
    criteria = list(comparison.criteria.all())
    participants = list(comparison.participants.all())
    result = comparison_result(comparison)
    matrix = [(a, [result.means.get((a.pk, c.pk), "–") for c in criteria]) for a in alternatives]
    # the proposal compared for, named only to those who may read it
    proposal = comparison.proposal if getattr(comparison, "proposal_visible", False) else None
    advice = advise(proposal.needs) if proposal else None
    return render(
        request,
        "review/comparison_detail.html",
        {
            "comparison": comparison,
            "alternatives": alternatives,
            "criteria": criteria,
            "participants": participants,
            "result": result,
            "matrix": matrix,
            # the ranking as bars (core.templatetags.charts): label, score, no link, as shown
            "score_bars": [
                (r.alternative.name, r.total_rounded, "", r.total_display) for r in result.ranking
            ],
            "proposal": proposal,
            "advice": advice,
            "can_edit": can_edit_arena(request.user, comparison.arena),
        },
    )


def _comparison_part(
    request: HttpRequest, pk: int, form_class: Any, service: Any, heading: str
) -> HttpResponse:
    comparison = find_comparison(request, pk, change=True)
    form = form_class(request.POST or None)

    def save() -> Any:
        part = form.save(commit=False)
        part.comparison = comparison
        return service(part, actor=request.user)

    return form_page(
        request,
        form,
        save,
        success=_("Lagret."),
        template="review/simple_form.html",
        context={"heading": heading, "comparison": comparison},
        then=comparison,
    )


@login_required
def alternative_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _comparison_part(request, pk, AlternativeForm, add_alternative, _("Nytt alternativ"))


@login_required
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _comparison_part(
        request, pk, ComparisonCriterionForm, add_criterion, _("Nytt kriterium")
    )


@login_required
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _comparison_part(
        request, pk, ParticipantForm, add_participant, _("Ny deltaker eller gruppe")
    )


@login_required
def weight_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(ComparisonCriterion, pk=pk)
    comparison = find_comparison(request, criterion.comparison_id, change=True)
    form = WeightForm(
        request.POST or None, initial={"weight": criterion.weight, "version": criterion.version}
    )
    return form_page(
        request,
        form,
        lambda: set_weight(
            criterion,
            form.cleaned_data["weight"],
            expected_version=form.cleaned_data["version"],
            actor=request.user,
        ),
        success=_("Vekten er endret."),
        template="review/simple_form.html",
        context={
            "heading": _("Vekt for «%(c)s»") % {"c": criterion.name},
            "comparison": comparison,
        },
        then=comparison,
    )


@login_required
def scores_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = find_comparison(request, pk, change=True)
    participants = list(comparison.participants.all())
    alternatives = list(comparison.alternatives.all())
    criteria = list(comparison.criteria.all())
    chosen = request.POST.get("participant") or request.GET.get("participant")
    initial: dict[tuple[int, int], int] = {}
    if chosen and chosen.isdigit():
        initial = {
            (s.alternative_id, s.criterion_id): s.value
            for s in Score.objects.filter(
                participant_id=int(chosen), alternative__comparison=comparison
            )
        }
    form = ScoresForm(
        request.POST or None,
        participants=participants,
        alternatives=alternatives,
        criteria=criteria,
        initial_scores=initial,
        initial={"participant": chosen} if chosen else None,
    )

    def save() -> None:
        participant = ComparisonParticipant.objects.get(pk=int(form.cleaned_data["participant"]))
        cells = [
            (name, alternative, criterion, form.cleaned_data[name])
            for alternative, criterion, name in form.cells
            if form.cleaned_data.get(name) is not None
        ]
        set_scores(comparison, participant, cells, actor=request.user)

    return form_page(
        request,
        form,
        save,
        success=_("Poengene er lagret."),
        template="review/scores_form.html",
        context={
            "comparison": comparison,
            "has_parts": bool(participants and alternatives and criteria),
        },
        then=comparison,
    )
