from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, can_link, is_internal
from samarbeid.arenas.access import arenas_seen_by, editable_arena
from samarbeid.arenas.forms import (
    ArenaForm,
    EndMembershipForm,
    MembershipForm,
    ReopenMembershipForm,
)
from samarbeid.arenas.jobs import start_successions
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import (
    add_membership,
    anchor_decision,
    create_arena,
    pending_successions,
    reopen_membership,
    reopen_refusals,
    update_arena,
    update_membership,
)
from samarbeid.audit.services import history
from samarbeid.core.forms import apply_validation_error, edit_page, form_page
from samarbeid.core.paging import CountCachedPaginator
from samarbeid.core.public_cache import public_cache
from samarbeid.core.records import record_for
from samarbeid.governance.forms import AnchorDecisionForm
from samarbeid.governance.models import Decision
from samarbeid.registry.counties import county_choices


def _with_project_count(request: HttpRequest, pk: int) -> Arena:
    """The arena for its page (404 to whom may not see it), with `project_count`: its
    projects this user may see, in the same query."""
    # the projects' rule of visibility (accounts.permissions.published_to) on the join
    mine = None if is_internal(request.user) else Q(projects__published=True)
    arenas = arenas_seen_by(request.user).annotate(project_count=Count("projects", filter=mine))
    return record_for(request.user, arenas, pk)


@public_cache
def arena_list(request: HttpRequest) -> HttpResponse:
    arenas = Arena.objects.visible_to(request.user).select_related("host_municipality", "parent")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    member = request.GET.get("member", "").strip()[:4]
    county = request.GET.get("county", "")
    parent_text = request.GET.get("parent", "")
    # the arenas under one (the arena page's "herav … underarenaer" links here)
    parent = (
        Arena.objects.visible_to(request.user).filter(pk=int(parent_text)).first()
        if parent_text.isdigit()
        else None
    )
    if parent is not None:
        arenas = arenas.filter(parent=parent)
    if kind:
        arenas = arenas.filter(kind=kind)
    if status:
        arenas = arenas.filter(status=status)
    # Filters on members as subqueries: no join, so no DISTINCT over the whole list.
    if member:
        arenas = arenas.filter(
            pk__in=Membership.objects.filter(municipality__number=member).values("arena_id")
        )
    if county:
        arenas = arenas.filter(
            pk__in=Membership.objects.filter(municipality__county_number=county).values("arena_id")
        )
    page = CountCachedPaginator(arenas.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    # Member counts for the page's arenas only (one query), not for every arena in the list.
    today = timezone.localdate()
    counts = dict(
        Membership.objects.filter(arena__in=[arena.pk for arena in page], joined__lte=today)
        .filter(Q(left__isnull=True) | Q(left__gte=today))
        .values("arena")
        .annotate(n=Count("pk"))
        .values_list("arena", "n")
    )
    for arena in page:
        arena.member_count = counts.get(arena.pk, 0)  # for the template
    return render(
        request,
        "arenas/arena_list.html",
        {
            "page": page,
            "kinds": Arena.Kind.choices,
            "statuses": Arena.Status.choices,
            "counties": county_choices(),
            "filters": {"kind": kind, "status": status, "member": member, "county": county},
            "parent": parent,
            "can_create": can_edit_arena(request.user, None),
        },
    )


@public_cache
def arena_detail(request: HttpRequest, pk: int) -> HttpResponse:
    arena = _with_project_count(request, pk)
    children = list(Arena.objects.visible_to(request.user).filter(parent=arena))
    # projects kept as sub-arenas (a project forum, e.g. KS Vestfold's 29) count as projects
    kept = sum(1 for child in children if child.kind == Arena.Kind.PROJECT_FORUM)
    today = timezone.localdate()
    memberships = arena.memberships.select_related(
        "municipality",
        "decision__municipality",
        "decision__arena",
        # the decision to leave is shown as the one to join (its body's municipality or arena)
        "leave_decision__municipality",
        "leave_decision__arena",
    ).order_by("municipality__number", "joined")
    current = [m for m in memberships if m.is_active_on(today)]
    past = [m for m in memberships if not m.is_active_on(today)]
    can_edit = can_edit_arena(request.user, arena)
    decisions = (
        # The members' decisions by id (an indexed IN), not through a join: an OR across a
        # join makes the database scan every decision in the country.
        Decision.objects.filter(
            Q(arena=arena) | Q(pk__in=Membership.objects.filter(arena=arena).values("decision_id"))
        )
        .select_related("municipality", "arena")
        .order_by("-meeting_date", "-id")[:30]
    )
    return render(
        request,
        "arenas/arena_detail.html",
        {
            "arena": arena,
            "current_members": current,
            "past_members": past,
            "children": children,
            "project_count": arena.project_count + kept,  # type: ignore[attr-defined]
            "projects_kept_as_arenas": kept,
            "decisions": decisions,
            "can_edit": can_edit,
            "history": history(arena)[:10] if can_edit else [],
            # Members whose municipality merged away: the secretariat is asked to carry them on.
            "successions": arena.memberships.open_after_cessation().count() if can_edit else 0,
            "today": today,
        },
    )


@login_required
def successions(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry memberships through municipality mergers and renumberings: shows which open
    memberships belong to municipalities that ceased and who took over; on confirmation
    each ends the day its municipality ceased and the successor becomes a member."""
    arena = editable_arena(request.user, pk)
    if request.method == "POST":
        # carried on by a background task (its page says what was done)
        return redirect(start_successions(arena, actor=request.user))
    return render(
        request,
        "arenas/successions.html",
        {"arena": arena, "successions": pending_successions(arena)},
    )


@login_required
def arena_create(request: HttpRequest) -> HttpResponse:
    if not can_edit_arena(request.user, None):
        raise PermissionDenied
    form = ArenaForm(request.POST or None)

    def save() -> Arena:
        arena = form.save(commit=False)
        try:
            return create_arena(arena, actor=request.user)
        except PermissionDenied:
            # a parent (or none: a top-level arena) or target outside the user's arenas
            if can_link(request.user, arena.parent):
                message = {"transferred_to": _("Du er ikke sekretariat for denne arenaen.")}
            elif arena.parent is None:
                message = {"parent": _("Velg den overordnede arenaen du er sekretariat for.")}
            else:
                message = {"parent": _("Du er ikke sekretariat for denne arenaen.")}
            raise ValidationError(message) from None

    return form_page(
        request,
        form,
        save,
        success=_("Arenaen er registrert."),
        template="arenas/arena_form.html",
        context={"arena": None},
    )


@login_required
def arena_edit(request: HttpRequest, pk: int) -> HttpResponse:
    arena = editable_arena(request.user, pk)
    return edit_page(
        request,
        ArenaForm(request.POST or None, instance=arena),
        update_arena,
        success=_("Endringene er lagret."),
        template="arenas/arena_form.html",
        context={"arena": arena},
    )


@login_required
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = editable_arena(request.user, pk)
    form = MembershipForm(request.POST or None, prefix="m")
    decision_form = AnchorDecisionForm(request.POST or None, prefix="d")

    def save() -> Membership:
        membership = form.save(commit=False)
        membership.arena = arena
        # the decision to join is recorded by the service with the membership, once all holds
        membership.decision = anchor_decision(
            decision_form.cleaned_data, arena=arena, municipality=membership.municipality
        )
        with _decision_date_on(decision_form):
            return add_membership(membership, actor=request.user)

    return form_page(
        request,
        form,
        save,
        success=_("Medlemskapet er registrert."),
        template="arenas/membership_form.html",
        context={"decision_form": decision_form, "arena": arena},
        then=arena,
        also=[decision_form],
    )


def _editable_membership(request: HttpRequest, pk: int) -> tuple[Membership, Arena]:
    """The membership and its arena, if this user may see the arena (404) and edit it (403)."""
    membership = get_object_or_404(
        Membership.objects.select_related("arena", "municipality", "decision", "leave_decision"),
        pk=pk,
    )
    arena = editable_arena(request.user, membership.arena_id)
    return membership, arena


@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership, arena = _editable_membership(request, pk)
    decision_form = AnchorDecisionForm(request.POST or None, prefix="d")
    form = EndMembershipForm(
        request.POST or None, instance=membership, prefix="m", decision=decision_form
    )

    def save() -> Membership:
        # the decision to leave is recorded by the service with the end, once all of it holds
        leave = form.leave_decision()
        assert leave is not None  # the forms are valid
        return update_membership(
            form.stored,
            form.changes() | {"leave_decision": leave},
            expected_version=form.cleaned_data.get("version"),
            actor=request.user,
        )

    return form_page(
        request,
        form,
        save,
        success=_("Medlemskapet er avsluttet."),
        template="arenas/membership_end.html",
        context={"decision_form": decision_form, "membership": membership, "arena": arena},
        then=arena,
        also=[decision_form],
    )


@login_required
def membership_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo an end made by mistake, on confirmation: the end date and the decision to leave
    are cleared (the API's `PATCH {"left": null}`)."""
    membership, arena = _editable_membership(request, pk)
    # bound on any POST: a confirmation carries nothing but its version
    form = ReopenMembershipForm(
        request.POST if request.method == "POST" else None, instance=membership
    )
    stored = copy.copy(membership)
    # what the service would refuse is said before the button, which is then not offered
    refusals = reopen_refusals(membership)

    def save() -> Membership:
        try:
            return reopen_membership(
                stored, expected_version=form.cleaned_data.get("version"), actor=request.user
            )
        except ValidationError as exc:  # the form has no fields: the refusal is the form's
            raise ValidationError(exc.messages) from None

    return form_page(
        request,
        form,
        save,
        success=_("Medlemskapet er gjenåpnet."),
        template="arenas/membership_reopen.html",
        context={"membership": membership, "arena": arena, "refusals": refusals},
        then=arena,
    )


@contextmanager
def _decision_date_on(decision_form: AnchorDecisionForm) -> Iterator[None]:
    """A refusal about the decision's date (after the membership began) is shown on the
    decision's date field too, not only on the membership's form."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "meeting_date" in exc.error_dict:
            apply_validation_error(
                decision_form, ValidationError({"meeting_date": exc.error_dict["meeting_date"]})
            )
        raise
