"""Pages for the review index and review rounds (start, items, confirm, carry out)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_any_secretariat,
    is_internal,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import edit_page, form_page, post_action
from samarbeid.core.stamps import cached_aggregate
from samarbeid.review.forms import (
    AddItemForm,
    ConfirmRoundForm,
    ReviewItemForm,
    ReviewRoundForm,
)
from samarbeid.review.models import (
    CooperationProposal,
    ModelComparison,
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.costs import costs_display
from samarbeid.review.services.exits import due_reviews
from samarbeid.review.services.rounds import (
    add_item,
    apply_round,
    confirm_round,
    create_round,
    round_facts,
    update_item,
)

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
                lambda: due_reviews(request.user, limit=25),
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
    return form_page(
        request,
        form,
        lambda: create_round(
            form.save(commit=False),
            actor=request.user,
            include_children=form.cleaned_data["include_children"],
            include_projects=form.cleaned_data["include_projects"],
        ),
        success=_("Gjennomgangen er startet."),
        template="review/round_form.html",
    )


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    facts = round_facts(review, request.user)
    rows = [(f, costs_display(f.costs)) for f in facts]
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
    return edit_page(
        request,
        ReviewItemForm(request.POST or None, instance=item),
        update_item,
        success=_("Anbefalingen er lagret."),
        template="review/item_form.html",
        context={"item": item, "review": review},
        then=review,
    )


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    require(can_edit_arena(request.user, review.arena))
    form = AddItemForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda: add_item(
            ReviewItem(
                round=review,
                arena=form.cleaned_data.get("arena"),
                project=form.cleaned_data.get("project"),
            ),
            actor=request.user,
        ),
        success=_("Lagt til i gjennomgangen."),
        template="review/simple_form.html",
        context={"heading": _("Legg til i %(t)s") % {"t": review.title}, "review": review},
        then=review,
        # an arena or project outside the user's arenas: said on the form, nothing saved
        refused=(None, _("Du er ikke sekretariat for denne arenaen.")),
    )


@login_required
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    require(can_edit_arena(request.user, review.arena))
    form = ConfirmRoundForm(request.POST or None, initial={"meeting_date": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda: confirm_round(review, actor=request.user, **form.cleaned_data),
        success=_("Vedtaket er registrert."),
        template="review/round_confirm.html",
        context={"review": review},
        then=review,
    )


@login_required
@require_POST
def round_apply(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_round(request, pk)
    require(can_edit_arena(request.user, review.arena))
    return post_action(
        request,
        lambda: apply_round(review, actor=request.user),
        success=_("Vedtaket er gjennomført."),
        then=review,
    )
