"""A project's strategy page: results, indicators, economic results and benefits, and its
links to goals and focus areas."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.portfolio.access import find_project
from samarbeid.strategy.forms import (
    BenefitForm,
    EconomicResultForm,
    IndicatorForm,
    IndicatorValueForm,
    LinkFocusAreaForm,
    LinkGoalForm,
    ResultForm,
)
from samarbeid.strategy.models import (
    Benefit,
    EconomicResult,
    Indicator,
    ProjectFocusArea,
    ProjectGoal,
    Result,
    realised_total,
)
from samarbeid.strategy.services.benefits import (
    add_benefit,
    benefit_municipalities,
    editable_benefit_municipalities,
)
from samarbeid.strategy.services.links import (
    link_focus_area,
    link_goal,
    linkable_focus_areas,
    linkable_goals,
)
from samarbeid.strategy.services.links import unlink as unlink_service
from samarbeid.strategy.services.results import (
    add_economic_result,
    add_indicator,
    add_indicator_value,
    add_result,
)
from samarbeid.strategy.views.form_page import form_page

# Projects: links, results, benefits ------------------------------------------------------


def project_results(request: HttpRequest, pk: int) -> HttpResponse:
    project = find_project(request, pk)
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
    project = find_project(request, pk)
    if what not in PROJECT_FORMS:
        raise Http404
    back = reverse("strategy:project_results", args=[project.pk])
    actor = request.user
    data = request.POST or None
    form: forms.BaseForm
    if what == "gevinst":
        municipalities = benefit_municipalities(project)
        if not can_edit_arena(actor, project.arena):
            # a coordinator records only their own municipality's benefits: offer those,
            # and refuse the page to whoever has none to record
            municipalities = municipalities.filter(pk__in=editable_benefit_municipalities(actor))
            require(municipalities.exists())
        form = BenefitForm(data, municipalities=municipalities)
    else:
        require(can_edit_arena(actor, project.arena))
    if what == "mal":
        form = LinkGoalForm(data, goals=linkable_goals(project))

        def save() -> None:
            link_goal(project, form.cleaned_data["goal"], actor=actor)

    elif what == "innsatsomrade":
        form = LinkFocusAreaForm(
            data,
            areas=linkable_focus_areas(project),
        )

        def save() -> None:
            link_focus_area(project, form.cleaned_data["focus_area"], actor=actor)

    elif what == "resultat":
        form = ResultForm(data, initial={"recorded_on": timezone.localdate()})

        def save() -> None:
            result = form.save(commit=False)  # type: ignore[attr-defined]
            result.project = project
            add_result(result, actor=actor)

    elif what == "indikator":
        form = IndicatorForm(data, results=project.results.filter(kind=Result.Kind.PROFESSIONAL))

        def save() -> None:
            add_indicator(form.save(commit=False), actor=actor)  # type: ignore[attr-defined]

    elif what == "maling":
        form = IndicatorValueForm(
            data,
            initial={"measured_on": timezone.localdate()},
            indicators=Indicator.objects.filter(result__project=project),
        )

        def save() -> None:
            add_indicator_value(form.save(commit=False), actor=actor)  # type: ignore[attr-defined]

    elif what == "okonomi":
        form = EconomicResultForm(data)

        def save() -> None:
            result: EconomicResult = form.save(commit=False)
            result.project = project
            add_economic_result(result, actor=actor)

    else:

        def save() -> None:
            benefit: Benefit = form.save(commit=False)  # type: ignore[attr-defined]
            benefit.project = project
            benefit.is_example_data = project.is_example_data
            add_benefit(benefit, actor=actor)

    return form_page(
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
    find_project(request, link.project_id)
    unlink_service(link, actor=request.user)
    messages.success(request, _("Koblingen er fjernet."))
    return redirect("strategy:project_results", link.project_id)
