"""Permission-matrix rows for strategy: plans and their parts, goals and assessments,
administration costs, project results and links, and benefits realisation
(see samarbeid/tests/matrix.py).

Everything belongs to `world.arena` (Larvik is a member): the secretariat writes it all; a
municipality coordinator writes only their own municipality's benefits (and their
realisation), so Larvik's coordinator may, Horten's may not."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.portfolio.models import Participation, Project
from samarbeid.strategy.models import (
    Benefit,
    FocusArea,
    Goal,
    Indicator,
    PlanItem,
    ProjectFocusArea,
    ProjectGoal,
    Result,
    StrategicPlan,
)
from samarbeid.tests.matrix import (
    ApiRow,
    Builder,
    FormRow,
    World,
    delete_row,
    form_on,
    form_row,
    post_row,
    row,
    the_arena,
    versioned_form,
    versioned_row,
)

API = "/api/v1"


# Records ---------------------------------------------------------------------------------


def _plan(world: World, first: int = 2021, last: int = 2030) -> StrategicPlan:
    return StrategicPlan.objects.create(
        arena=world.arena, title="Strategisk plan", first_year=first, last_year=last
    )


def _goal(plan: StrategicPlan, number: int = 1) -> Goal:
    return Goal.objects.create(arena=plan.arena, plan=plan, number=number, title="Bedre tjenester")


def _item(plan: StrategicPlan) -> PlanItem:
    return PlanItem.objects.create(plan=plan, kind=PlanItem.Kind.PREREQUISITE, title="Likhet")


def _area(plan: StrategicPlan) -> FocusArea:
    return FocusArea.objects.create(plan=plan, title="IKT")


def _larvik_project(world: World, arena: Arena, code: str, title: str) -> Project:
    """An ongoing project of `arena` with Larvik taking part (joined through the world's
    membership decision)."""
    project = Project.objects.create(
        arena=arena, code=code, title=title, start=date(2024, 1, 1), status=Project.Status.ONGOING
    )
    Participation.objects.create(
        project=project,
        municipality=world.larvik,
        status=Participation.Status.JOINED,
        since=date(2024, 3, 1),
        decision=world.membership.decision,
    )
    return project


def _project(world: World) -> Project:
    """A project of the arena with Larvik taking part."""
    return _larvik_project(world, world.arena, "STR1", "Felles fakturering")


def _result(world: World) -> Result:
    return Result.objects.create(
        project=_project(world),
        kind=Result.Kind.PROFESSIONAL,
        title="Felles system",
        recorded_on=date(2024, 1, 5),
    )


def _indicator(world: World) -> Indicator:
    return Indicator.objects.create(result=_result(world), name="Saksbehandlingstid", unit="dager")


def _benefit(world: World) -> Benefit:
    return Benefit.objects.create(
        project=_project(world),
        municipality=world.larvik,
        description="Mindre tid på fakturering",
        owner="Økonomisjef",
        target_date=date(2030, 1, 1),
    )


def _ended_plan(world: World) -> StrategicPlan:
    """A plan whose period is over: it may be marked expired."""
    return _plan(world, 2008, 2011)


def _today() -> str:
    return timezone.localdate().isoformat()


BENEFIT = {
    "municipality": "3909",
    "description": "Mindre tid på fakturering",
    "expected_amount": "100000.00",
    "owner": "Økonomisjef",
    "target_date": "2030-01-01",
}
PLAN_FORM = {
    "title": "Ny plan",
    "first_year": 2026,
    "last_year": 2029,
    "summary": "",
    "published": "on",
}


# API -------------------------------------------------------------------------------------


def _post_plan(world: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/strategic-plans", {
        "arena": world.arena.pk,
        "title": "Ny plan",
        "first_year": 2026,
        "last_year": 2029,
    }


def _send_plan(world: World) -> tuple[str, dict[str, Any]]:
    plan = _plan(world)
    _goal(plan)
    return f"{API}/strategic-plans/{plan.pk}/send", {}


def _post_arena_goal(world: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/goals", {"arena": world.arena.pk, "title": "Hovedmål"}


def _plan_item(world: World) -> PlanItem:
    return _item(_plan(world))


def _plan_area(world: World) -> FocusArea:
    return _area(_plan(world))


def _plan_goal(world: World) -> Goal:
    return _goal(_plan(world))


def _post_assessment(world: World) -> tuple[str, dict[str, Any]]:
    goal = _goal(_plan(world))
    return f"{API}/goals/{goal.pk}/assessments", {
        "arena": world.arena.pk,
        "attainment": "partly_met",
        "evidence": "Evaluering",
        "assessed_on": "2024-03-01",
    }


def _link_goal(world: World) -> tuple[str, dict[str, Any]]:
    goal = _goal(_plan(world))
    return f"{API}/projects/{_project(world).pk}/goals", {"goal": goal.pk}


def _unlink_goal(world: World) -> tuple[str, dict[str, Any]]:
    link = ProjectGoal.objects.create(project=_project(world), goal=_goal(_plan(world)))
    return f"{API}/projects/{link.project_id}/goals/{link.goal_id}", {}


def _link_area(world: World) -> tuple[str, dict[str, Any]]:
    area = _area(_plan(world))
    return f"{API}/projects/{_project(world).pk}/focus-areas", {"focus_area": area.pk}


def _unlink_area(world: World) -> tuple[str, dict[str, Any]]:
    link = ProjectFocusArea.objects.create(project=_project(world), focus_area=_area(_plan(world)))
    return f"{API}/projects/{link.project_id}/focus-areas/{link.focus_area_id}", {}


def _post_realisation(world: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/benefits/{_benefit(world).pk}/realisations", {
        "recorded_on": _today(),
        "amount": "400.00",
        "status": "in_progress",
    }


SECRETARIAT_CREATES = row(secretariat=201)
BENEFIT_CREATES = row(secretariat=201, coordinator=201)

API_ROWS = [
    ApiRow("POST", "/api/v1/strategic-plans", SECRETARIAT_CREATES, _post_plan),
    versioned_row(
        "PATCH", "/api/v1/strategic-plans/{plan_id}", row(secretariat=200), _plan, summary="Nytt"
    ),
    ApiRow("POST", "/api/v1/strategic-plans/{plan_id}/send", row(secretariat=200), _send_plan),
    versioned_row(
        "POST",
        "/api/v1/strategic-plans/{plan_id}/status",
        row(secretariat=200),
        _ended_plan,
        status="expired",
    ),
    post_row(
        "/api/v1/strategic-plans/{plan_id}/goals", SECRETARIAT_CREATES, _plan, title="Nytt mål"
    ),
    ApiRow("POST", "/api/v1/goals", SECRETARIAT_CREATES, _post_arena_goal),
    post_row(
        "/api/v1/strategic-plans/{plan_id}/items",
        SECRETARIAT_CREATES,
        _plan,
        kind="working_method",
        title="Felles innkjøp",
    ),
    post_row(
        "/api/v1/strategic-plans/{plan_id}/focus-areas", SECRETARIAT_CREATES, _plan, title="Helse"
    ),
    versioned_row(
        "PATCH",
        "/api/v1/strategic-plans/{plan_id}/items/{item_id}",
        row(secretariat=200),
        _plan_item,
        title="Likhet og likeverd",
    ),
    versioned_row(
        "PATCH",
        "/api/v1/strategic-plans/{plan_id}/focus-areas/{focus_area_id}",
        row(secretariat=200),
        _plan_area,
        title="Helse",
    ),
    versioned_row(
        "PATCH",
        "/api/v1/strategic-plans/{plan_id}/goals/{goal_id}",
        row(secretariat=200),
        _plan_goal,
        number=2,
        title="Bedre tjenester for alle",
    ),
    delete_row(
        "/api/v1/strategic-plans/{plan_id}/items/{item_id}", row(secretariat=204), _plan_item
    ),
    delete_row(
        "/api/v1/strategic-plans/{plan_id}/focus-areas/{focus_area_id}",
        row(secretariat=204),
        _plan_area,
    ),
    delete_row(
        "/api/v1/strategic-plans/{plan_id}/goals/{goal_id}", row(secretariat=204), _plan_goal
    ),
    ApiRow("POST", "/api/v1/goals/{goal_id}/assessments", SECRETARIAT_CREATES, _post_assessment),
    post_row(
        "/api/v1/arenas/{arena_id}/administration-costs",
        SECRETARIAT_CREATES,
        the_arena,
        first_year=2024,
        last_year=2024,
        amount="1000.00",
        source="Regnskap 2024",
    ),
    ApiRow("POST", "/api/v1/projects/{project_id}/goals", SECRETARIAT_CREATES, _link_goal),
    ApiRow(
        "DELETE",
        "/api/v1/projects/{project_id}/goals/{goal_id}",
        row(secretariat=204),
        _unlink_goal,
    ),
    ApiRow("POST", "/api/v1/projects/{project_id}/focus-areas", SECRETARIAT_CREATES, _link_area),
    ApiRow(
        "DELETE",
        "/api/v1/projects/{project_id}/focus-areas/{focus_area_id}",
        row(secretariat=204),
        _unlink_area,
    ),
    post_row(
        "/api/v1/projects/{project_id}/results",
        SECRETARIAT_CREATES,
        _project,
        kind="unquantifiable",
        title="Tillit mellom kommunene",
        recorded_on="2024-06-01",
    ),
    post_row(
        "/api/v1/results/{result_id}/indicators",
        SECRETARIAT_CREATES,
        _result,
        name="Fakturaer per dag",
        unit="antall",
        baseline="10.00",
        target="25.00",
    ),
    post_row(
        "/api/v1/indicators/{indicator_id}/values",
        SECRETARIAT_CREATES,
        _indicator,
        measured_on="2024-06-01",
        value="12.50",
    ),
    post_row(
        "/api/v1/projects/{project_id}/economic-results",
        SECRETARIAT_CREATES,
        _project,
        kind="saving",
        basis="realised",
        municipality="3909",
        year=2024,
        amount="25000.00",
        source="Regnskap 2024",
    ),
    post_row("/api/v1/projects/{project_id}/benefits", BENEFIT_CREATES, _project, **BENEFIT),
    versioned_row(
        "PATCH",
        "/api/v1/benefits/{benefit_id}",
        row(secretariat=200, coordinator=200),
        _benefit,
        owner="Rådmann",
    ),
    ApiRow(
        "POST", "/api/v1/benefits/{benefit_id}/realisations", BENEFIT_CREATES, _post_realisation
    ),
]


# Form pages ------------------------------------------------------------------------------


def _send_form(world: World) -> tuple[str, dict[str, Any]]:
    plan = _plan(world)
    _goal(plan)
    return reverse("strategy:plan_send", args=[plan.pk]), {"planned_date": ""}


def _part_delete(kind: str) -> Builder:
    def build(world: World) -> tuple[str, dict[str, Any]]:
        plan = _plan(world)
        part: PlanItem | FocusArea | Goal
        if kind == "punkt":
            part = _item(plan)
        elif kind == "innsatsomrade":
            part = _area(plan)
        else:
            part = _goal(plan)
        return reverse("strategy:part_delete", args=[kind, part.pk]), {"version": part.version}

    return build


def _part_edit(kind: str) -> Builder:
    def build(world: World) -> tuple[str, dict[str, Any]]:
        plan = _plan(world)
        part: PlanItem | FocusArea | Goal
        data: dict[str, Any]
        if kind == "punkt":
            part = _item(plan)
            data = {"kind": "working_method", "order": 2, "title": "Likeverd", "description": ""}
        elif kind == "innsatsomrade":
            part = _area(plan)
            data = {"order": 2, "title": "Helse", "description": ""}
        else:
            part = _goal(plan)
            data = {"number": 3, "title": "Bedre tjenester for alle", "description": ""}
        url = reverse("strategy:part_edit", args=[kind, part.pk])
        return url, {"version": part.version, **data}

    return build


def _assessment_form(world: World) -> tuple[str, dict[str, Any]]:
    goal = _goal(_plan(world))
    return reverse("strategy:assessment_create", args=[world.arena.pk]), {
        "goal": goal.pk,
        "attainment": "met",
        "evidence": "Rapport",
        "assessed_on": "2024-05-01",
        "assessed_by": "",
    }


def _project_add(what: str) -> Builder:
    def build(world: World) -> tuple[str, dict[str, Any]]:
        data: dict[str, Any]
        if what == "mal":
            project = _project(world)
            data = {"goal": _goal(_plan(world)).pk}
        elif what == "innsatsomrade":
            project = _project(world)
            data = {"focus_area": _area(_plan(world)).pk}
        elif what == "resultat":
            project = _project(world)
            data = {"kind": "professional", "title": "Felles system", "recorded_on": "2024-01-05"}
        elif what == "indikator":
            result = _result(world)
            project = result.project
            data = {
                "result": result.pk,
                "name": "Tid",
                "unit": "dager",
                "baseline": "",
                "target": "",
            }
        elif what == "maling":
            indicator = _indicator(world)
            project = indicator.result.project
            data = {"indicator": indicator.pk, "measured_on": "2024-06-01", "value": "3.50"}
        elif what == "okonomi":
            project = _project(world)
            data = {
                "kind": "saving",
                "basis": "realised",
                "municipality": world.larvik.pk,
                "year": "2024",
                "to_year": "",
                "amount": "100.50",
                "source": "Regnskap",
                "note": "",
            }
        else:
            project = _project(world)
            data = {
                "municipality": world.larvik.pk,
                "description": "Mindre tid på fakturering",
                "expected_amount": "1000.00",
                "owner": "Økonomisjef",
                "target_date": "2030-01-01",
            }
        return reverse("strategy:project_add", args=[project.pk, what]), data

    return build


def _unlink(kind: str) -> Builder:
    def build(world: World) -> tuple[str, dict[str, Any]]:
        project = _project(world)
        link: ProjectGoal | ProjectFocusArea
        if kind == "mal":
            link = ProjectGoal.objects.create(project=project, goal=_goal(_plan(world)))
        else:
            link = ProjectFocusArea.objects.create(project=project, focus_area=_area(_plan(world)))
        return reverse("strategy:unlink", args=[kind, link.pk]), {}

    return build


def _realisation_form(world: World) -> tuple[str, dict[str, Any]]:
    benefit = _benefit(world)
    return reverse("strategy:realisation_create", args=[benefit.pk]), {
        "recorded_on": _today(),
        "amount": "400.00",
        "status": "in_progress",
        "note": "",
    }


SAVES = form_row(secretariat=302)
BENEFIT_SAVES = form_row(secretariat=302, coordinator=302)

FORM_ROWS = [
    form_on("strategy:plan_create", SAVES, the_arena, **PLAN_FORM),
    versioned_form(
        "strategy:plan_edit",
        SAVES,
        _plan,
        title="Strategisk plan",
        first_year=2021,
        last_year=2030,
        summary="Nytt sammendrag",
        published="on",
    ),
    form_on(
        "strategy:arena_goal_create", SAVES, the_arena, number="", title="Hovedmål", description=""
    ),
    form_on("strategy:goal_create", SAVES, _plan, number="", title="Nytt mål", description=""),
    form_on(
        "strategy:item_create",
        SAVES,
        _plan,
        kind="prerequisite",
        order=1,
        title="Likhet",
        description="",
    ),
    form_on("strategy:focus_area_create", SAVES, _plan, order=1, title="IKT", description=""),
    FormRow("strategy:plan_send", SAVES, _send_form),
    versioned_form("strategy:plan_status", SAVES, _ended_plan, status="expired"),
    *(
        FormRow("strategy:part_delete", SAVES, _part_delete(k))
        for k in ("punkt", "innsatsomrade", "mal")
    ),
    *(
        FormRow("strategy:part_edit", SAVES, _part_edit(k))
        for k in ("punkt", "innsatsomrade", "mal")
    ),
    FormRow("strategy:assessment_create", SAVES, _assessment_form),
    form_on(
        "strategy:admin_cost_create",
        SAVES,
        the_arena,
        first_year=2024,
        last_year=2024,
        amount="1000.00",
        source="Regnskap",
    ),
    *(
        FormRow("strategy:project_add", SAVES, _project_add(what))
        for what in ("mal", "innsatsomrade", "resultat", "indikator", "maling", "okonomi")
    ),
    FormRow("strategy:project_add", BENEFIT_SAVES, _project_add("gevinst")),
    *(FormRow("strategy:unlink", SAVES, _unlink(k)) for k in ("mal", "innsatsomrade")),
    versioned_form(
        "strategy:benefit_edit",
        BENEFIT_SAVES,
        _benefit,
        description="Mindre tid på fakturering",
        expected_amount="2000.00",
        owner="Rådmann",
        target_date="2030-01-01",
    ),
    FormRow("strategy:realisation_create", BENEFIT_SAVES, _realisation_form),
]

API_TAGS = {"strategy"}
NAMESPACES = {"strategy"}
READ_ONLY_PAGES = {
    "strategy:index",
    "strategy:arena_dashboard",
    "strategy:period_account",
    "strategy:plan_detail",
    "strategy:goal_detail",
    "strategy:project_results",
    "strategy:benefit_detail",
    "strategy:municipality_benefits",
}

# --- Across arenas (issue 23): the one-arena secretariat writes nothing of another arena ----


def _other_plan(world: World) -> StrategicPlan:
    return StrategicPlan.objects.create(
        arena=world.other_arena(), title="12Ks plan", first_year=2021, last_year=2030
    )


def _other_project(world: World) -> Project:
    """A project of another arena (12K's), Larvik taking part."""
    return _larvik_project(world, world.other_arena(), "12K1", "12Ks prosjekt")


def _plan_in_other_arena(world: World) -> tuple[str, dict[str, Any]]:
    url, body = _post_plan(world)
    return url, body | {"arena": world.other_arena().pk}


def _other_arenas_goal(world: World) -> Goal:
    return _goal(_other_plan(world))


def _edit_other_arenas_goal(world: World) -> tuple[str, dict[str, Any]]:
    goal = _other_arenas_goal(world)
    url = reverse("strategy:part_edit", args=["mal", goal.pk])
    return url, {"version": goal.version, "number": 1, "title": "12Ks mål", "description": ""}


def _assess_other_arenas_goal(world: World) -> tuple[str, dict[str, Any]]:
    goal = _goal(_other_plan(world))
    return f"{API}/goals/{goal.pk}/assessments", {
        "arena": goal.arena_id,
        "attainment": "met",
        "evidence": "Rapport",
        "assessed_on": "2024-05-01",
    }


def _assess_other_arenas_goal_as_own(world: World) -> tuple[str, dict[str, Any]]:
    """An assessment made in one's own arena of a goal of another: refused for everyone."""
    url, body = _assess_other_arenas_goal(world)
    return url, body | {"arena": world.arena.pk}


def _link_in_other_arena(world: World) -> tuple[str, dict[str, Any]]:
    goal = _goal(_other_plan(world))
    return f"{API}/projects/{_other_project(world).pk}/goals", {"goal": goal.pk}


def _benefit_in_other_arena(world: World) -> tuple[str, dict[str, Any]]:
    """Larvik's benefit of another arena's project: Larvik's coordinator records it."""
    return f"{API}/projects/{_other_project(world).pk}/benefits", dict(BENEFIT)


def _plan_form_in_other_arena(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("strategy:plan_create", args=[world.other_arena().pk]), dict(PLAN_FORM)


API_ROWS += [
    ApiRow(
        "POST",
        "/api/v1/strategic-plans",
        row(secretariat=201, arena_secretariat=403),
        _plan_in_other_arena,
    ),
    versioned_row(
        "PATCH",
        "/api/v1/strategic-plans/{plan_id}/goals/{goal_id}",
        row(secretariat=200, arena_secretariat=403),
        _other_arenas_goal,
        title="12Ks mål",
    ),
    ApiRow(
        "POST",
        "/api/v1/goals/{goal_id}/assessments",
        row(secretariat=201, arena_secretariat=403),
        _assess_other_arenas_goal,
    ),
    ApiRow(
        "POST",
        "/api/v1/goals/{goal_id}/assessments",
        row(secretariat=422),
        _assess_other_arenas_goal_as_own,
    ),
    ApiRow(
        "POST",
        "/api/v1/projects/{project_id}/goals",
        row(secretariat=201, arena_secretariat=403),
        _link_in_other_arena,
    ),
    ApiRow(
        "POST",
        "/api/v1/projects/{project_id}/benefits",
        row(secretariat=201, arena_secretariat=403, coordinator=201),
        _benefit_in_other_arena,
    ),
]

FORM_ROWS += [
    FormRow(
        "strategy:plan_create",
        form_row(secretariat=302, arena_secretariat=403),
        _plan_form_in_other_arena,
    ),
    FormRow(
        "strategy:part_edit",
        form_row(secretariat=302, arena_secretariat=403),
        _edit_other_arenas_goal,
    ),
]
