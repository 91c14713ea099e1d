from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_any_secretariat,
    is_internal,
    require,
)
from samarbeid.arenas.models import Arena, Membership
from samarbeid.core.forms import apply_validation_error, save_changes, submit
from samarbeid.core.stamps import cached_aggregate
from samarbeid.core.versioning import VersionConflict
from samarbeid.lib.money import format_nok
from samarbeid.review import services
from samarbeid.review.forms import (
    AddItemForm,
    AdvisorForm,
    AlternativeForm,
    ComparisonCriterionForm,
    ComparisonForm,
    ConfirmRoundForm,
    CriterionForm,
    OverlapScopeForm,
    ParticipantForm,
    ProposalForm,
    ReadyForm,
    ReviewItemForm,
    ReviewRoundForm,
    ScoresForm,
    WeightForm,
)
from samarbeid.review.models import (
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposalCriterion,
    ReviewItem,
    ReviewRound,
    Score,
)


def _costs_display(costs: dict[int, Any] | None) -> list[str]:
    if not costs:
        return []
    return [f"{year}: {format_nok(amount)}" for year, amount in costs.items()]


# --- index ---


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "review/index.html",
        {
            "rounds": ReviewRound.objects.visible_to(request.user).select_related("arena")[:20],
            "proposals": CooperationProposal.objects.visible_to(request.user)[:20],
            "comparisons": ModelComparison.objects.visible_to(request.user)[:20],
            # counted over every arena and membership in the country: cached (core.stamps)
            "due": cached_aggregate(
                "due-reviews",
                lambda: services.due_reviews(request.user, limit=25),
                is_internal(request.user),
                timezone.localdate(),
            ),
            "can_create": is_any_secretariat(request.user),
            "today": timezone.localdate(),
        },
    )


# --- review rounds ---


def _visible_round(request: HttpRequest, pk: int) -> ReviewRound:
    return get_object_or_404(
        ReviewRound.objects.visible_to(request.user).select_related("arena", "decision", "case"),
        pk=pk,
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    arenas = Arena.objects.active().order_by("name")
    form = ReviewRoundForm(
        request.POST or None, arenas=arenas, initial={"opened": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.create_round(
                form.save(commit=False),
                actor=request.user,
                include_children=form.cleaned_data["include_children"],
                include_projects=form.cleaned_data["include_projects"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Gjennomgangen er startet."))
            return redirect(review)
    return render(request, "review/round_form.html", {"form": form})


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    facts = services.round_facts(review, request.user)
    rows = [(f, _costs_display(f.costs)) for f in facts]
    return render(
        request,
        "review/round_detail.html",
        {
            "review": review,
            "rows": rows,
            "can_edit": can_edit_arena(request.user, review.arena),
            "missing": sum(1 for f in facts if not f.item.recommendation),
        },
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ReviewItem.objects.select_related("round__arena", "arena", "project"), pk=pk
    )
    review = _visible_round(request, item.round_id)
    require(can_edit_arena(request.user, review.arena))
    form = ReviewItemForm(request.POST or None, instance=item)
    result = submit(
        request,
        form,
        save_changes(request, form, services.update_item),
        _("Anbefalingen er lagret."),
    )
    if result.saved is not None:
        return redirect(review)
    return render(request, "review/item_form.html", {"form": form, "item": item, "review": review})


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    require(can_edit_arena(request.user, review.arena))
    form = AddItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(
                ReviewItem(
                    round=review,
                    arena=form.cleaned_data.get("arena"),
                    project=form.cleaned_data.get("project"),
                ),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied:
            # an arena or project outside the user's arenas: said on the form, nothing saved
            form.add_error(None, _("Du er ikke sekretariat for denne arenaen."))
        else:
            messages.success(request, _("Lagt til i gjennomgangen."))
            return redirect(review)
    return render(
        request,
        "review/simple_form.html",
        {"form": form, "heading": _("Legg til i %(t)s") % {"t": review.title}, "review": review},
    )


@login_required
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    require(can_edit_arena(request.user, review.arena))
    form = ConfirmRoundForm(request.POST or None, initial={"meeting_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_round(review, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Vedtaket er registrert."))
            return redirect(review)
    return render(request, "review/round_confirm.html", {"form": form, "review": review})


@login_required
@require_POST
def round_apply(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    require(can_edit_arena(request.user, review.arena))
    try:
        services.apply_round(review, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Vedtaket er gjennomført."))
    return redirect(review)


# --- overlap and load ---


def overlap(request: HttpRequest) -> HttpResponse:
    """Pairs of arenas by overlap: active on a date, in a period, or (the default) every
    arena over its whole life; the load per municipality is today's."""
    form = OverlapScopeForm(request.GET if request.GET else None)
    scope: services.OverlapScope | None = services.OverlapScope()
    if form.is_bound:
        scope = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                scope = services.check_overlap_scope(data["on"], data["start"], data["end"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
    visible = Arena.objects.visible_to(request.user)
    rows = (
        services.overlap_list(list(visible), min_score=0.15, scope=scope)
        if scope is not None
        else []
    )
    load = services.municipality_load(list(visible.active()))
    return render(
        request,
        "review/overlap.html",
        {"rows": rows[:100], "load": load, "form": form, "scope": scope},
    )


# --- proposals ---


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
        lambda: services.create_proposal(form.save(commit=False), actor=request.user),
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
        save_changes(request, form, services.update_proposal),
        _("Endringene er lagret."),
    )
    if result.saved is not None:
        return redirect(result.saved)
    return render(request, "review/proposal_form.html", {"form": form, "proposal": proposal})


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
            "advice": services.advise(proposal.needs or []),
            "need_labels": dict(services.need_choices()),
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
        save_changes(request, form, services.update_criterion),
        _("Kriteriet er oppdatert."),
    )
    if result.saved is not None:
        return redirect(proposal)
    return render(
        request,
        "review/criterion_form.html",
        {"form": form, "criterion": criterion, "proposal": proposal},
    )


@login_required
def proposal_ready(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require(can_edit_arena(request.user, proposal.arena))
    form = ReadyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_ready(
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
        services.reopen_proposal(proposal, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Forslaget er åpnet for arbeid igjen."))
    return redirect(proposal)


# --- legal-form advisor ---


def advisor(request: HttpRequest) -> HttpResponse:
    form = AdvisorForm(request.GET or None)
    advice = None
    if form.is_bound and form.is_valid():
        advice = services.advise(form.cleaned_data["needs"])
    elif not form.is_bound:
        advice = services.advise([])
    return render(request, "review/advisor.html", {"form": form, "advice": advice})


# --- model comparison ---


def _visible_comparison(request: HttpRequest, pk: int) -> ModelComparison:
    return get_object_or_404(
        ModelComparison.objects.visible_to(request.user).select_related("arena", "proposal"),
        pk=pk,
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
    if request.method == "POST" and form.is_valid():
        try:
            comparison = services.create_comparison(form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Sammenligningen er opprettet."))
            return redirect(comparison)
    return render(
        request,
        "review/simple_form.html",
        {"form": form, "heading": _("Ny sammenligning av modeller"), "back": "review:index"},
    )


def comparison_detail(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = _visible_comparison(request, pk)
    alternatives = list(comparison.alternatives.all())
    criteria = list(comparison.criteria.all())
    participants = list(comparison.participants.all())
    result = services.comparison_result(comparison)
    matrix = [(a, [result.means.get((a.pk, c.pk), "–") for c in criteria]) for a in alternatives]
    advice = services.advise(comparison.proposal.needs) if comparison.proposal else None
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
            "advice": advice,
            "can_edit": can_edit_arena(request.user, comparison.arena),
        },
    )


def _comparison_part(
    request: HttpRequest, pk: int, form_class: Any, service: Any, heading: str
) -> HttpResponse:
    comparison = _visible_comparison(request, pk)
    require(can_edit_arena(request.user, comparison.arena))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.comparison = comparison
        try:
            service(obj, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Lagret."))
            return redirect(comparison)
    return render(
        request,
        "review/simple_form.html",
        {"form": form, "heading": heading, "comparison": comparison},
    )


@login_required
def alternative_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _comparison_part(
        request, pk, AlternativeForm, services.add_alternative, _("Nytt alternativ")
    )


@login_required
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _comparison_part(
        request, pk, ComparisonCriterionForm, services.add_criterion, _("Nytt kriterium")
    )


@login_required
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _comparison_part(
        request, pk, ParticipantForm, services.add_participant, _("Ny deltaker eller gruppe")
    )


@login_required
def weight_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(ComparisonCriterion, pk=pk)
    comparison = _visible_comparison(request, criterion.comparison_id)
    require(can_edit_arena(request.user, comparison.arena))
    form = WeightForm(
        request.POST or None, initial={"weight": criterion.weight, "version": criterion.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_weight(
                criterion,
                form.cleaned_data["weight"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except VersionConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Vekten er endret."))
            return redirect(comparison)
    return render(
        request,
        "review/simple_form.html",
        {
            "form": form,
            "heading": _("Vekt for «%(c)s»") % {"c": criterion.name},
            "comparison": comparison,
        },
    )


@login_required
def scores_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = _visible_comparison(request, pk)
    require(can_edit_arena(request.user, comparison.arena))
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
    if request.method == "POST" and form.is_valid():
        participant = ComparisonParticipant.objects.get(pk=int(form.cleaned_data["participant"]))
        cells = [
            (name, alternative, criterion, form.cleaned_data[name])
            for alternative, criterion, name in form.cells
            if form.cleaned_data.get(name) is not None
        ]
        try:
            services.set_scores(comparison, participant, cells, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Poengene er lagret."))
            return redirect(comparison)
    return render(
        request,
        "review/scores_form.html",
        {
            "form": form,
            "comparison": comparison,
            "has_parts": bool(participants and alternatives and criteria),
        },
    )


# --- exit analysis ---


def exit_index(request: HttpRequest) -> HttpResponse:
    """Pick an arena, then a current membership, to see what leaving would mean."""
    arenas = Arena.objects.visible_to(request.user).active().order_by("name")
    chosen = request.GET.get("arena", "")
    arena = arenas.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    memberships = (
        Membership.objects.active_on(timezone.localdate())
        .filter(arena=arena)
        .select_related("municipality")
        .order_by("municipality__number")
        if arena
        else Membership.objects.none()
    )
    return render(
        request,
        "review/exit_index.html",
        {"arenas": arenas, "arena": arena, "memberships": memberships},
    )


def exit_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("arena", "municipality", "decision__municipality"),
        pk=pk,
        arena__in=Arena.objects.visible_to(request.user),
    )
    analysis = services.exit_analysis(membership)
    return render(
        request,
        "review/exit.html",
        {
            "membership": membership,
            "analysis": analysis,
            "costs": _costs_display(analysis.costs),
        },
    )
