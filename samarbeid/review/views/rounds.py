"""Pages for the review index and review rounds (start, items, confirm, carry out)."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_any_secretariat,
    is_internal,
)
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import confirm_delete, edit_page, form_page, post_action
from samarbeid.core.stamps import cached_aggregate
from samarbeid.governance.forms import NOT_SECRETARIAT
from samarbeid.review.access import find_round
from samarbeid.review.forms import (
    AddItemForm,
    BulkRecommendationForm,
    ConfirmRoundForm,
    ReviewItemForm,
    ReviewRoundEditForm,
    ReviewRoundForm,
)
from samarbeid.review.models import (
    CooperationProposal,
    ModelComparison,
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.exits import due_reviews
from samarbeid.review.services.round_edit import (
    delete_round,
    locked_message,
    round_delete_refusal,
    update_round,
)
from samarbeid.review.services.round_items import recommend_items, remove_item
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


def _editable_item(request: HttpRequest, pk: int) -> ReviewItem:
    """An item of a round the user may change (`find_round` with `change=True`); its
    `round` is that round."""
    item = get_object_or_404(
        ReviewItem.objects.select_related("round__arena", "arena", "project"), pk=pk
    )
    item.round = find_round(request, item.round_id, change=True)
    return item


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


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a round's title, primary task or start date, or publish it; a decided
    round's page says what stays as decided and offers only publishing."""
    review = find_round(request, pk, change=True)
    return edit_page(
        request,
        ReviewRoundEditForm(request.POST or None, instance=review, lock_decided=True),
        update_round,
        success=_("Endringene er lagret."),
        template="review/round_edit.html",
        # the round as stored (validating the form writes what was typed into its instance)
        context={
            "review": copy.copy(review),
            "locked": locked_message() if review.decision_id else None,
        },
    )


@login_required
def round_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a round nothing builds on yet (with the version shown); what builds
    on it is said instead of the button."""
    return confirm_delete(
        request,
        "review/round_delete.html",
        load=lambda: find_round(request, pk, change=True),
        context=lambda review: {
            "review": review,
            "items": review.items.select_related("arena", "project").order_by("pk"),
            "refusal": round_delete_refusal(review),
        },
        delete=lambda review, version: delete_round(
            review, expected_version=version, actor=request.user
        ),
        success=lambda review: _("Gjennomgangen «%(t)s» er slettet.") % {"t": review.title},
        done=lambda review: reverse("review:index"),
    )


def _round_context(request: HttpRequest, review: ReviewRound) -> dict[str, Any]:
    facts = round_facts(review, request.user)
    return {
        "review": review,
        "facts": facts,
        "period": facts[0].period if facts else None,
        "can_edit": can_edit_arena(request.user, review.arena),
        "missing": sum(1 for f in facts if not f.item.recommendation),
    }


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = find_round(request, pk)
    context = _round_context(request, review)
    if context["can_edit"] and review.decision_id is None:
        context["bulk"] = BulkRecommendationForm(review=review)
    return render(request, "review/round_detail.html", context)


@login_required
@require_POST
def round_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """The round page's "recommend the chosen" form: all chosen items or none (a stale item
    refuses the batch); on refusal the round page again, with the errors and the choices."""
    review = find_round(request, pk, change=True)
    form = BulkRecommendationForm(request.POST, review=review)

    def save() -> list[ReviewItem]:
        data = form.cleaned_data
        return recommend_items(
            review,
            data["items"],
            recommendation=data["recommendation"],
            reason=data["reason"],
            target_arena=data.get("target_arena"),
            actor=request.user,
        )

    return form_page(
        request,
        form,
        save,
        success=lambda saved: (
            ngettext(
                "Anbefalingen er lagret for %(n)s punkt.",
                "Anbefalingen er lagret for %(n)s punkter.",
                len(saved),
            )
            % {"n": len(saved)}
        ),
        template="review/round_detail.html",
        context={**_round_context(request, review), "bulk": form},
        then=review,
        # a target arena outside the user's arenas: said on the form, nothing saved
        refused=("target_arena", NOT_SECRETARIAT),
    )


@login_required
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then take an item out of a round not yet decided (with the version shown)."""
    return confirm_delete(
        request,
        "review/item_remove.html",
        load=lambda: _editable_item(request, pk),
        context=lambda item: {"item": item, "review": item.round},
        delete=lambda item, version: remove_item(
            item, expected_version=version, actor=request.user
        ),
        success=lambda item: _("«%(item)s» er tatt ut av gjennomgangen.") % {"item": item},
        done=lambda item: item.round.get_absolute_url(),
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editable_item(request, pk)
    return edit_page(
        request,
        ReviewItemForm(request.POST or None, instance=item),
        update_item,
        success=_("Anbefalingen er lagret."),
        template="review/item_form.html",
        context={"item": item, "review": item.round},
        then=item.round,
    )


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = find_round(request, pk, change=True)
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
        success=lambda item: _("Lagt til i gjennomgangen: %(item)s.") % {"item": item},
        template="review/simple_form.html",
        context={"heading": _("Legg til i %(t)s") % {"t": review.title}, "review": review},
        then=review,
        # an arena or project outside the user's arenas: said on the form, nothing saved
        refused=(None, NOT_SECRETARIAT),
    )


@login_required
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    review = find_round(request, pk, change=True)
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
    review = find_round(request, pk, change=True)
    return post_action(
        request,
        lambda: apply_round(review, actor=request.user),
        success=_("Vedtaket er gjennomført."),
        then=review,
    )
