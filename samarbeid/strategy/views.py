from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from samarbeid.accounts.permissions import can_edit_arena, is_internal, require
from samarbeid.arenas.models import Arena, with_visible_arena
from samarbeid.core.forms import apply_validation_error, save_changes, submit
from samarbeid.core.paging import CountCachedPaginator
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality
from samarbeid.strategy import services
from samarbeid.strategy.forms import (
    AdministrationCostForm,
    AssessmentForm,
    BenefitForm,
    EconomicResultForm,
    FocusAreaForm,
    GoalForm,
    IndicatorForm,
    IndicatorValueForm,
    LinkFocusAreaForm,
    LinkGoalForm,
    PeriodForm,
    PlanForm,
    PlanItemForm,
    PlanStatusForm,
    RealisationForm,
    ResultForm,
    SendPlanForm,
)
from samarbeid.strategy.models import (
    Benefit,
    EconomicResult,
    FocusArea,
    Goal,
    GoalAssessment,
    Indicator,
    PlanItem,
    ProjectFocusArea,
    ProjectGoal,
    Result,
    StrategicPlan,
    realised_total,
)

# Lookups that answer 404 to those who may not see ----------------------------------------


def visible_arena(request: HttpRequest, pk: int) -> Arena:
    return get_object_or_404(Arena.objects.visible_to(request.user), pk=pk)


def visible_plans(user: Any) -> QuerySet[StrategicPlan]:
    plans = with_visible_arena(StrategicPlan.objects.all(), user)
    return plans if is_internal(user) else plans.filter(published=True)


def visible_plan(request: HttpRequest, pk: int) -> StrategicPlan:
    return get_object_or_404(visible_plans(request.user).select_related("arena", "case"), pk=pk)


def visible_project(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(request.user).select_related("arena"), pk=pk
    )


def visible_goal(request: HttpRequest, pk: int) -> Goal:
    goal = get_object_or_404(Goal.objects.select_related("arena", "plan"), pk=pk)
    if not Arena.objects.visible_to(request.user).filter(pk=goal.arena_id).exists():
        raise Http404
    if (
        goal.plan_id is not None
        and not visible_plans(request.user).filter(pk=goal.plan_id).exists()
    ):
        raise Http404
    return goal


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    cancel: str,
    save: Callable[[], Any],
    success: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, call the service, redirect with a message; or re-render with its errors."""
    # `submit` reads None as not saved: a save that returns nothing goes back to `cancel`
    target = submit(request, form, lambda: save() or cancel, success).saved
    if target is not None:
        return redirect(target if isinstance(target, str) else cancel)
    return render(
        request,
        "strategy/form.html",
        {"form": form, "title": title, "cancel": cancel, **(context or {})},
    )


# Overview and arena dashboard -------------------------------------------------------------


ARENAS_WITH_GOALS = 50


def index(request: HttpRequest) -> HttpResponse:
    # both lists paged or bounded: a national service holds thousands of arenas
    plans = CountCachedPaginator(
        visible_plans(request.user)
        .select_related("arena")
        .order_by("arena__name", "-first_year", "pk"),
        50,
    ).get_page(request.GET.get("page"))
    with_goals = list(
        Arena.objects.visible_to(request.user)
        .filter(pk__in=Goal.objects.values("arena_id"))
        .order_by("name", "pk")
        .only("pk", "name")[: ARENAS_WITH_GOALS + 1]
    )
    municipality = None
    if request.user.is_authenticated:
        from samarbeid.accounts.permissions import coordinator_municipality_ids

        ids = coordinator_municipality_ids(request.user)
        municipality = Municipality.objects.filter(pk__in=ids).first()
    return render(
        request,
        "strategy/index.html",
        {
            "plans": plans,
            "page": plans,
            "arenas": with_goals[:ARENAS_WITH_GOALS],
            "more_arenas": len(with_goals) > ARENAS_WITH_GOALS,
            "municipality": municipality,
        },
    )


def arena_dashboard(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request, arena_id)
    plans = visible_plans(request.user).filter(arena=arena).order_by("-first_year")
    goals = list(
        Goal.objects.filter(arena=arena)
        .filter(plan__in=plans)
        .select_related("plan")
        .order_by("-plan__first_year", "number")
    ) + list(Goal.objects.filter(arena=arena, plan__isnull=True).order_by("number"))
    latest = services.latest_assessments(goals)
    benefits = services.benefits_for_arena(arena)
    flagged = [b for b in benefits if b.is_unrealised]
    projects = (
        Project.objects.visible_to(request.user)
        .filter(arena_id__in=services.arena_family_ids(arena))
        .order_by("code")
    )
    return render(
        request,
        "strategy/arena_dashboard.html",
        {
            "arena": arena,
            "plans": plans,
            "goal_rows": [(g, latest.get(g.pk)) for g in goals],
            "benefits": benefits,
            "flagged": flagged,
            "projects": projects,
            "can_edit": can_edit_arena(request.user, arena),
            "today": timezone.localdate(),
        },
    )


def period_account(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request, arena_id)
    year = timezone.localdate().year
    data = request.GET if "first_year" in request.GET else None
    form = PeriodForm(data, initial={"first_year": year - 4, "last_year": year})
    account = None
    if form.is_valid():
        try:
            account = services.period_account(
                arena, form.cleaned_data["first_year"], form.cleaned_data["last_year"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return render(
        request,
        "strategy/period_account.html",
        {
            "arena": arena,
            "form": form,
            "account": account,
            "can_edit": can_edit_arena(request.user, arena),
        },
    )


@login_required
def admin_cost_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request, arena_id)
    require(can_edit_arena(request.user, arena))
    form = AdministrationCostForm(request.POST or None)

    def save() -> str:
        cost = form.save(commit=False)
        cost.arena = arena
        services.add_administration_cost(cost, actor=request.user)
        return reverse("strategy:period_account", args=[arena.pk]) + (
            f"?first_year={cost.first_year}&last_year={cost.last_year}"
        )

    return _form_page(
        request,
        form,
        title=_("Registrer administrasjonskostnad for %(a)s") % {"a": arena.name},
        cancel=reverse("strategy:period_account", args=[arena.pk]),
        save=save,
        success=_("Administrasjonskostnaden er registrert."),
    )


# Plans ------------------------------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request, arena_id)
    require(can_edit_arena(request.user, arena))
    form = PlanForm(request.POST or None)

    def save() -> StrategicPlan:
        plan = form.save(commit=False)
        plan.arena = arena
        return services.create_plan(plan, actor=request.user)

    return _form_page(
        request,
        form,
        title=_("Ny strategisk plan for %(a)s") % {"a": arena.name},
        cancel=reverse("strategy:arena_dashboard", args=[arena.pk]),
        save=lambda: save().get_absolute_url(),
        success=_("Planen er opprettet som utkast."),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    require(can_edit_arena(request.user, plan.arena))
    form = PlanForm(
        request.POST or None, instance=StrategicPlan.objects.select_related("arena").get(pk=pk)
    )

    update = save_changes(request, form, services.update_plan)

    def save() -> str:
        update()
        return plan.get_absolute_url()

    return _form_page(
        request,
        form,
        title=_("Endre %(p)s") % {"p": plan},
        cancel=plan.get_absolute_url(),
        save=save,
        success=_("Endringene er lagret."),
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    goals = list(plan.goals.order_by("number"))
    latest = services.latest_assessments(goals)
    items = list(plan.items.order_by("kind", "order", "id"))
    sections = [
        (label, [i for i in items if i.kind == kind]) for kind, label in PlanItem.Kind.choices
    ]
    adoption = services.plan_adoption(plan)
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
            "coverage": services.plan_coverage(plan),
            "can_edit": can_edit,
            "is_draft": plan.status == StrategicPlan.Status.DRAFT,
            "send_form": SendPlanForm() if can_edit else None,
            "status_form": PlanStatusForm(initial={"version": plan.version}) if can_edit else None,
        },
    )


def _plan_part(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.ModelForm],
    title: str,
    success: str,
    save_part: Callable[[Any, StrategicPlan], Any],
) -> HttpResponse:
    plan = visible_plan(request, pk)
    require(can_edit_arena(request.user, plan.arena))
    form = form_class(request.POST or None)

    def save() -> str:
        save_part(form.save(commit=False), plan)
        return plan.get_absolute_url()

    return _form_page(
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
        services.add_goal(goal, actor=request.user)

    return _plan_part(request, pk, GoalForm, _("Nytt mål"), _("Målet er lagt til."), save)


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    def save(item: PlanItem, plan: StrategicPlan) -> None:
        item.plan = plan
        services.add_plan_item(item, actor=request.user)

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
        services.add_focus_area(area, actor=request.user)

    return _plan_part(
        request, pk, FocusAreaForm, _("Nytt innsatsområde"), _("Innsatsområdet er lagt til."), save
    )


@login_required
@require_POST
def part_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    models: dict[str, Any] = {"punkt": PlanItem, "innsatsomrade": FocusArea, "mal": Goal}
    if kind not in models:
        raise Http404
    obj = get_object_or_404(models[kind], pk=pk)
    plan = obj.plan
    if plan is None:
        raise Http404
    visible_plan(request, plan.pk)
    try:
        services.delete_plan_part(obj, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Slettet."))
    return redirect(plan)


@login_required
def plan_send(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    require(can_edit_arena(request.user, plan.arena))
    form = SendPlanForm(request.POST or None)

    def save() -> str:
        services.send_for_treatment(
            StrategicPlan.objects.select_related("arena").get(pk=pk),
            planned_date=form.cleaned_data.get("planned_date"),
            actor=request.user,
        )
        return plan.get_absolute_url()

    return _form_page(
        request,
        form,
        title=_("Send %(p)s til politisk behandling") % {"p": plan},
        cancel=plan.get_absolute_url(),
        save=save,
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
    plan = visible_plan(request, pk)
    require(can_edit_arena(request.user, plan.arena))
    form = PlanStatusForm(request.POST or None, initial={"version": plan.version})

    def save() -> str:
        services.set_plan_status(
            StrategicPlan.objects.select_related("arena").get(pk=pk),
            form.cleaned_data["status"],
            expected_version=form.cleaned_data.get("version"),
            actor=request.user,
        )
        return plan.get_absolute_url()

    return _form_page(
        request,
        form,
        title=_("Endre status for %(p)s") % {"p": plan},
        cancel=plan.get_absolute_url(),
        save=save,
        success=_("Statusen er endret."),
    )


# Goals and assessments -------------------------------------------------------------------


def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = visible_goal(request, pk)
    projects = Project.objects.visible_to(request.user).filter(goal_links__goal=goal)
    return render(
        request,
        "strategy/goal_detail.html",
        {
            "goal": goal,
            "assessments": goal.assessments.order_by("-assessed_on", "-id"),
            "projects": projects.order_by("code"),
            "can_edit": can_edit_arena(request.user, goal.arena),
        },
    )


@login_required
def arena_goal_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request, arena_id)
    require(can_edit_arena(request.user, arena))
    form = GoalForm(request.POST or None)

    def save() -> str:
        goal = form.save(commit=False)
        goal.arena, goal.plan = arena, None
        services.add_goal(goal, actor=request.user)
        return reverse("strategy:arena_dashboard", args=[arena.pk])

    return _form_page(
        request,
        form,
        title=_("Nytt mål for %(a)s (uten plan)") % {"a": arena.name},
        cancel=reverse("strategy:arena_dashboard", args=[arena.pk]),
        save=save,
        success=_("Målet er lagt til."),
    )


@login_required
def assessment_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request, arena_id)
    require(can_edit_arena(request.user, arena))
    initial: dict[str, Any] = {"assessed_on": timezone.localdate()}
    if request.GET.get("goal", "").isdigit():
        initial["goal"] = int(request.GET["goal"])
    form = AssessmentForm(
        request.POST or None,
        initial=initial,
        goals=Goal.objects.filter(arena=arena).select_related("plan").order_by("plan", "number"),
    )

    def save() -> str:
        assessment: GoalAssessment = form.save(commit=False)
        services.assess_goal(assessment, arena=arena, actor=request.user)
        return assessment.goal.get_absolute_url()

    return _form_page(
        request,
        form,
        title=_("Vurder måloppnåelse i %(a)s") % {"a": arena.name},
        cancel=reverse("strategy:arena_dashboard", args=[arena.pk]),
        save=save,
        success=_("Vurderingen er lagret. Tidligere vurderinger beholdes."),
    )


# Projects: links, results, benefits ------------------------------------------------------


def _plans_for_project(project: Project) -> QuerySet[StrategicPlan]:
    arena_ids = [project.arena_id]
    current = project.arena.parent
    while current is not None and len(arena_ids) < 10:
        arena_ids.append(current.pk)
        current = current.parent
    return StrategicPlan.objects.filter(arena_id__in=arena_ids)


def project_results(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    results = list(project.results.prefetch_related("indicators__values"))
    economic = project.economic_results.select_related("municipality").order_by(
        "year", "municipality__number"
    )
    benefits = list(
        project.benefits.select_related("municipality").prefetch_related("realisations")
    )
    return render(
        request,
        "strategy/project_results.html",
        {
            "project": project,
            "goal_links": project.goal_links.select_related("goal__plan"),
            "area_links": project.focus_area_links.select_related("focus_area__plan"),
            "professional": [r for r in results if r.kind == Result.Kind.PROFESSIONAL],
            "unquantifiable": [r for r in results if r.kind == Result.Kind.UNQUANTIFIABLE],
            "economic": economic,
            "benefit_rows": [(b, realised_total(b)) for b in benefits],
            "can_edit": can_edit_arena(request.user, project.arena),
            "add_links": list(PROJECT_FORMS.items()),
            "is_signed_in": request.user.is_authenticated,
        },
    )


PROJECT_FORMS = {
    "mal": gettext_lazy("Knytt til mål"),
    "innsatsomrade": gettext_lazy("Knytt til innsatsområde"),
    "resultat": gettext_lazy("Nytt resultat"),
    "indikator": gettext_lazy("Ny indikator"),
    "maling": gettext_lazy("Ny måling av indikator"),
    "okonomi": gettext_lazy("Nytt økonomisk resultat"),
    "gevinst": gettext_lazy("Ny gevinstrealiseringsplan"),
}


@login_required
def project_add(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    project = visible_project(request, pk)
    if what not in PROJECT_FORMS:
        raise Http404
    back = reverse("strategy:project_results", args=[project.pk])
    actor = request.user
    data = request.POST or None
    form: forms.BaseForm
    if what == "gevinst":
        municipalities = Municipality.objects.filter(
            pk__in=Participation.objects.filter(project=project).values("municipality")
        ).order_by("number", "valid_from")
        if not municipalities.exists():
            municipalities = Municipality.objects.order_by("number", "valid_from")
        if not can_edit_arena(actor, project.arena):
            # a coordinator records only their own municipality's benefits: offer those,
            # and refuse the page to whoever has none to record
            municipalities = municipalities.filter(
                pk__in=services.editable_benefit_municipalities(actor)
            )
            require(municipalities.exists())
        form = BenefitForm(data, municipalities=municipalities)
    else:
        require(can_edit_arena(actor, project.arena))
    if what == "mal":
        form = LinkGoalForm(data, goals=Goal.objects.filter(plan__in=_plans_for_project(project)))

        def save() -> None:
            services.link_goal(project, form.cleaned_data["goal"], actor=actor)

    elif what == "innsatsomrade":
        form = LinkFocusAreaForm(
            data,
            areas=FocusArea.objects.filter(plan__in=_plans_for_project(project)).select_related(
                "plan"
            ),
        )

        def save() -> None:
            services.link_focus_area(project, form.cleaned_data["focus_area"], actor=actor)

    elif what == "resultat":
        form = ResultForm(data, initial={"recorded_on": timezone.localdate()})

        def save() -> None:
            result = form.save(commit=False)  # type: ignore[attr-defined]
            result.project = project
            services.add_result(result, actor=actor)

    elif what == "indikator":
        form = IndicatorForm(data, results=project.results.filter(kind=Result.Kind.PROFESSIONAL))

        def save() -> None:
            services.add_indicator(form.save(commit=False), actor=actor)  # type: ignore[attr-defined]

    elif what == "maling":
        form = IndicatorValueForm(
            data,
            initial={"measured_on": timezone.localdate()},
            indicators=Indicator.objects.filter(result__project=project),
        )

        def save() -> None:
            services.add_indicator_value(form.save(commit=False), actor=actor)  # type: ignore[attr-defined]

    elif what == "okonomi":
        form = EconomicResultForm(data)

        def save() -> None:
            result: EconomicResult = form.save(commit=False)
            result.project = project
            services.add_economic_result(result, actor=actor)

    else:

        def save() -> None:
            benefit: Benefit = form.save(commit=False)  # type: ignore[attr-defined]
            benefit.project = project
            benefit.is_example_data = project.is_example_data
            services.add_benefit(benefit, actor=actor)

    return _form_page(
        request,
        form,
        title=f"{PROJECT_FORMS[what]}: {project.title}",
        cancel=back,
        save=save,
        success=_("Lagret."),
    )


@login_required
@require_POST
def unlink(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    link: ProjectGoal | ProjectFocusArea
    if kind == "mal":
        link = get_object_or_404(ProjectGoal.objects.select_related("project__arena"), pk=pk)
    elif kind == "innsatsomrade":
        link = get_object_or_404(ProjectFocusArea.objects.select_related("project__arena"), pk=pk)
    else:
        raise Http404
    visible_project(request, link.project_id)
    services.unlink(link, actor=request.user)
    messages.success(request, _("Koblingen er fjernet."))
    return redirect("strategy:project_results", link.project_id)


def _visible_benefit(request: HttpRequest, pk: int) -> Benefit:
    benefit = get_object_or_404(
        Benefit.objects.select_related("project__arena", "municipality"), pk=pk
    )
    visible_project(request, benefit.project_id)
    return benefit


@require_safe
def benefit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan and its realisation; the form posts to `realisation_create`."""
    benefit = _visible_benefit(request, pk)
    can_edit = services.can_edit_benefit(request.user, benefit.project, benefit.municipality)
    form = RealisationForm(initial={"recorded_on": timezone.localdate(), "status": benefit.status})
    return render(
        request,
        "strategy/benefit_detail.html",
        {
            "benefit": benefit,
            "realisations": benefit.realisations.order_by("recorded_on", "id"),
            "realised": realised_total(benefit),
            "form": form if can_edit else None,
        },
    )


@login_required
def realisation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a step of a benefit's realisation (the form is also on the benefit's page)."""
    benefit = _visible_benefit(request, pk)
    require(services.can_edit_benefit(request.user, benefit.project, benefit.municipality))
    form = RealisationForm(
        request.POST or None,
        initial={"recorded_on": timezone.localdate(), "status": benefit.status},
    )

    def save() -> str:
        realisation = form.save(commit=False)
        realisation.benefit = benefit
        realisation.is_example_data = benefit.is_example_data
        services.record_realisation(realisation, actor=request.user)
        return reverse("strategy:benefit_detail", args=[benefit.pk])

    return _form_page(
        request,
        form,
        title=_("Registrer realisering"),
        cancel=reverse("strategy:benefit_detail", args=[benefit.pk]),
        save=save,
        success=_("Realiseringen er registrert."),
    )


@login_required
def benefit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    benefit = _visible_benefit(request, pk)
    require(services.can_edit_benefit(request.user, benefit.project, benefit.municipality))
    form = BenefitForm(
        request.POST or None,
        instance=Benefit.objects.select_related("project__arena", "municipality").get(pk=pk),
    )
    form.fields["municipality"].disabled = True

    update = save_changes(request, form, services.update_benefit)

    def save() -> str:
        update()
        return reverse("strategy:benefit_detail", args=[pk])

    return _form_page(
        request,
        form,
        title=_("Endre gevinstrealiseringsplan"),
        cancel=reverse("strategy:benefit_detail", args=[pk]),
        save=save,
        success=_("Endringene er lagret."),
    )


def municipality_benefits(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code)
    visible = set(Project.objects.visible_to(request.user).values_list("pk", flat=True))
    benefits = [
        b for b in services.benefits_for_municipality(municipality) if b.project_id in visible
    ]
    return render(
        request,
        "strategy/municipality_benefits.html",
        {
            "municipality": municipality,
            "rows": [(b, realised_total(b)) for b in benefits],
            "flagged": [b for b in benefits if b.is_unrealised],
            "today": timezone.localdate(),
        },
    )
