"""Strategic plan pages: a plan, writing it (points, focus areas, goals), sending it to the
councils and marking it adopted or expired."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.access import editable_arena
from samarbeid.core.forms import MISSING_VERSION, VersionedForm, save_changes
from samarbeid.core.templatetags.samarbeid import nok
from samarbeid.core.versioning import VersionConflict
from samarbeid.strategy.forms import (
    FocusAreaForm,
    GoalForm,
    PlanForm,
    PlanItemForm,
    PlanPublishedForm,
    PlanStatusForm,
    SendPlanForm,
)
from samarbeid.strategy.models import (
    FocusArea,
    Goal,
    PlanItem,
    StrategicPlan,
)
from samarbeid.strategy.services.attainment import latest_assessments
from samarbeid.strategy.services.links import Coverage, plan_coverage
from samarbeid.strategy.services.plans import (
    PLAN_MOVES,
    add_focus_area,
    add_goal,
    add_plan_item,
    allowed_moves,
    create_plan,
    delete_plan_part,
    move_refusal,
    plan_adoption,
    require_draft,
    send_for_treatment,
    set_plan_status,
    update_plan,
    update_plan_part,
)
from samarbeid.strategy.views.form_page import form_page
from samarbeid.strategy.visibility import (
    editable_plan,
    visible_plan,
)

# Plans ------------------------------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = editable_arena(request.user, arena_id)
    # A draft stays internal until the clerk publishes it (the model's default, published,
    # is kept for the records other code creates).
    form = PlanForm(request.POST or None, initial={"published": False})

    def save() -> StrategicPlan:
        plan = form.save(commit=False)
        plan.arena = arena
        return create_plan(plan, actor=request.user)

    return form_page(
        request,
        form,
        title=_("Ny strategisk plan for %(a)s") % {"a": arena.name},
        cancel=reverse("strategy:arena_dashboard", args=[arena.pk]),
        save=lambda: save().get_absolute_url(),
        success=_("Planen er opprettet som utkast."),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's title, period, summary and publishing; once sent, only its publishing (the
    councils treat the plan as it was sent: the page says so)."""
    plan = editable_plan(request, pk)
    stored = StrategicPlan.objects.select_related("arena").get(pk=pk)
    form: VersionedForm
    context: dict[str, Any] = {}
    if plan.status == StrategicPlan.Status.DRAFT:
        form = PlanForm(request.POST or None, instance=stored)
        title = _("Endre %(p)s") % {"p": plan}
    else:
        form = PlanPublishedForm(request.POST or None, instance=stored)
        title = _("Endre publisering av %(p)s") % {"p": plan}
        context["intro"] = " ".join([locked_message(plan), _("Bare publiseringen kan endres.")])

    return _edit_on_plan(request, plan, form, update_plan, title=title, context=context)


def _edit_on_plan(
    request: HttpRequest,
    plan: StrategicPlan,
    form: VersionedForm,
    update: Callable[..., Any],
    *,
    title: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """An edit of the plan or one of its parts through `update`, from the version read, back
    to the plan's page when saved."""
    changes = save_changes(request, form, update)

    def save() -> str:
        changes()
        return plan.get_absolute_url()

    return form_page(
        request,
        form,
        title=title,
        cancel=plan.get_absolute_url(),
        save=save,
        success=_("Endringene er lagret."),
        context=context,
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    goals = list(plan.goals.order_by("number"))
    latest = latest_assessments(goals)
    items = list(plan.items.order_by("kind", "order", "id"))
    sections = [
        (label, [i for i in items if i.kind == kind]) for kind, label in PlanItem.Kind.choices
    ]
    adoption = plan_adoption(plan)
    coverage = plan_coverage(plan)
    can_edit = can_edit_arena(request.user, plan.arena)
    return render(
        request,
        "strategy/plan_detail.html",
        {
            "plan": plan,
            "goal_rows": [(g, latest.get(g.pk)) for g in goals],
            "sections": sections,
            "focus_areas": plan.focus_areas.order_by("order", "id"),
            "adoption": adoption,
            "adopted_count": sum(1 for r in adoption if r.state == "adopted"),
            "rejected_count": sum(1 for r in adoption if r.state == "rejected"),
            "pending_count": sum(1 for r in adoption if r.state == "pending"),
            "coverage": coverage,
            "area_bars": area_bars(coverage),
            "can_edit": can_edit,
            # «Endre status» only when a move is allowed (the status page would only say
            # why not); from the council treatments read above, no query of its own
            "status_moves": can_edit and allowed_moves(plan, adoption=adoption),
            "is_draft": plan.status == StrategicPlan.Status.DRAFT,
            "can_edit_parts": can_edit and plan.status == StrategicPlan.Status.DRAFT,
            "send_form": SendPlanForm() if can_edit else None,
        },
    )


def area_bars(coverage: Coverage) -> list[tuple[str, Decimal, str, str]]:
    """Each focus area's budget for `{% bar_chart %}` (label, amount, no link, the amount as
    read, with its share), in the plan's order; nothing when no project has a budget."""
    if not any(share.budget for share in coverage.areas):
        return []
    return [
        (
            share.area.title if share.area else _("Utenfor innsatsområdene"),
            share.budget,
            "",
            f"{nok(share.budget)} kr ({number_format(share.share, 2)} %)",
        )
        for share in coverage.areas
    ]


def _parts_locked(request: HttpRequest, plan: StrategicPlan) -> HttpResponse | None:
    """A sent plan's parts are not changed: its add and edit pages, opened, go back to the
    plan and say why (a post is refused by the service all the same)."""
    if request.method != "GET" or plan.status == StrategicPlan.Status.DRAFT:
        return None
    messages.error(request, locked_message(plan))
    return redirect(plan.get_absolute_url())


def locked_message(plan: StrategicPlan) -> str:
    """Why a sent plan is not changed, in the service's words (`require_draft`)."""
    try:
        require_draft(plan)
    except ValidationError as exc:
        return str(exc.messages[0])
    return ""


def _plan_part(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.ModelForm],
    title: str,
    success: str,
    save_part: Callable[[Any, StrategicPlan], Any],
    new_part: Callable[[StrategicPlan], Any] | None = None,
) -> HttpResponse:
    """The add page of a part of the plan `pk`; `new_part(plan)` is the part the form fills
    (a goal knows its plan, so its form can say a taken number beside the title)."""
    plan = editable_plan(request, pk)
    if locked := _parts_locked(request, plan):
        return locked
    form = form_class(request.POST or None, instance=new_part(plan) if new_part else None)

    def save() -> str:
        save_part(form.save(commit=False), plan)
        return plan.get_absolute_url()

    return form_page(
        request,
        form,
        title=f"{title}: {plan}",
        cancel=plan.get_absolute_url(),
        save=save,
        success=success,
    )


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    def save(goal: Goal, plan: StrategicPlan) -> None:
        goal.plan, goal.arena = plan, plan.arena
        add_goal(goal, actor=request.user)

    return _plan_part(
        request,
        pk,
        GoalForm,
        _("Nytt mål"),
        _("Målet er lagt til."),
        save,
        lambda plan: Goal(plan=plan, arena=plan.arena),
    )


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    def save(item: PlanItem, plan: StrategicPlan) -> None:
        item.plan = plan
        add_plan_item(item, actor=request.user)

    return _plan_part(
        request,
        pk,
        PlanItemForm,
        _("Ny forutsetning, arbeidsmåte eller faktor"),
        _("Punktet er lagt til."),
        save,
    )


@login_required
def focus_area_create(request: HttpRequest, pk: int) -> HttpResponse:
    def save(area: FocusArea, plan: StrategicPlan) -> None:
        area.plan = plan
        add_focus_area(area, actor=request.user)

    return _plan_part(
        request, pk, FocusAreaForm, _("Nytt innsatsområde"), _("Innsatsområdet er lagt til."), save
    )


# A plan's parts in its URLs (planer/<kind>/<pk>/…): the record and the form that writes it.
_PARTS: dict[str, tuple[type[PlanItem | FocusArea | Goal], type[VersionedForm]]] = {
    "punkt": (PlanItem, PlanItemForm),
    "innsatsomrade": (FocusArea, FocusAreaForm),
    "mal": (Goal, GoalForm),
}


def _part(kind: str, pk: int) -> Any:
    """The part `kind` `pk` of a plan, with its plan and arena (404: no such part, or a goal
    of no plan)."""
    if kind not in _PARTS:
        raise Http404
    model: Any = _PARTS[kind][0]
    found = get_object_or_404(model.objects.select_related("plan__arena"), pk=pk)
    if found.plan_id is None:
        raise Http404
    return found


@login_required
def part_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Correct a point, focus area or goal of a plan on the form that adds one, from the
    version read (a part saved since is shown as it is now, not overwritten)."""
    part = _part(kind, pk)
    plan = editable_plan(request, part.plan_id)
    if locked := _parts_locked(request, plan):
        return locked
    if isinstance(part, Goal):
        title = _("Endre mål %(n)s") % {"n": part.number}
    else:
        title = _("Endre «%(t)s»") % {"t": part.title}
    form = _PARTS[kind][1](request.POST or None, instance=part)
    return _edit_on_plan(request, plan, form, update_plan_part, title=f"{title}: {plan}")


@login_required
@require_POST
def part_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _part(kind, pk)
    plan = obj.plan
    visible_plan(request, plan.pk)
    version_text = request.POST.get("version", "")
    if not version_text.isdigit():  # the version read: a part saved since is not deleted
        messages.error(request, MISSING_VERSION)
        return redirect(plan)
    try:
        delete_plan_part(obj, expected_version=int(version_text), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except VersionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Slettet."))
    return redirect(plan)


def _plan_action(
    request: HttpRequest,
    pk: int,
    make_form: Callable[[StrategicPlan], forms.BaseForm],
    act: Callable[[StrategicPlan, Any], Any],
    *,
    title: str,
    success: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form page acting on a plan the caller may edit: `act(plan, cleaned_data)` with the
    plan as stored, then back to the plan."""
    plan = editable_plan(request, pk)
    form = make_form(plan)

    def save() -> str:
        act(StrategicPlan.objects.select_related("arena").get(pk=pk), form.cleaned_data)
        return plan.get_absolute_url()

    return form_page(
        request,
        form,
        title=title % {"p": plan},
        cancel=plan.get_absolute_url(),
        save=save,
        success=success,
        context=context,
    )


@login_required
def plan_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        lambda plan: SendPlanForm(request.POST or None),
        lambda plan, data: send_for_treatment(
            plan, planned_date=data.get("planned_date"), actor=request.user
        ),
        title=_("Send %(p)s til politisk behandling"),
        success=_("Planen er sendt til kommunestyrene i alle medlemskommunene."),
        context={
            "intro": _(
                "Det opprettes én sak, og hvert medlems kommunestyre får en behandling som "
                "venter på vedtak."
            )
        },
    )


@login_required
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's status now and the moves the service allows from it (none chosen at
    first); a plan with no move allowed gets the reasons instead of a form."""
    plan = editable_plan(request, pk)
    now = _("Planen har nå status «%(s)s».") % {"s": plan.get_status_display()}
    if not allowed_moves(plan):
        reasons = [
            (StrategicPlan.Status(status).label, move_refusal(plan, status))
            for status in PLAN_MOVES
        ]
        context = {"plan": plan, "now": now, "reasons": reasons}
        return render(request, "strategy/plan_status_none.html", context)
    return _plan_action(
        request,
        pk,
        lambda plan: PlanStatusForm(
            request.POST or None, plan=plan, initial={"version": plan.version}
        ),
        lambda plan, data: set_plan_status(
            plan, data["status"], expected_version=data.get("version"), actor=request.user
        ),
        title=_("Endre status for %(p)s"),
        success=_("Statusen er endret."),
        context={"intro": now},
    )
