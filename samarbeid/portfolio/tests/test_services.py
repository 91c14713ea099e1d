from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samarbeid.arenas.tests.factories import current
from samarbeid.governance.models import Decision
from samarbeid.portfolio.models import Participation, Project, ProjectStatusChange
from samarbeid.portfolio.services import (
    change_status,
    create_project,
    participants_in_year,
    set_participation,
)
from samarbeid.portfolio.tests.helpers import (
    arena_of,
    council_decision,
    join_project,
    on,
    project_in,
)

pytestmark = pytest.mark.django_db


def test_create_project_records_initial_status(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    project = create_project(
        Project(arena=arena, code="X1", title="Felles innkjøp av strøm", start=date(2024, 1, 1)),
        actor=secretariat,
    )
    change = project.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_on) == (
        "",
        "idea",
        date(2024, 1, 1),
    )
    assert change.actor == secretariat


def test_create_project_needs_secretariat(coordinator: Any) -> None:
    arena = arena_of(["3909"])
    with pytest.raises(PermissionDenied):
        create_project(Project(arena=arena, code="X", title="T"), actor=coordinator)
    assert not Project.objects.exists()


def test_lifecycle_through_service(secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    for step, day in [("proposed", 2), ("approved", 3), ("ongoing", 4), ("completed", 5)]:
        change_status(
            project, step, changed_on=date(2024, 1, day), reason="Neste fase", actor=secretariat
        )
    project.refresh_from_db()
    assert project.status == "completed"
    assert [c.to_status for c in project.status_changes.all()] == [
        "idea",
        "proposed",
        "approved",
        "ongoing",
        "completed",
    ]


def test_forbidden_jump_is_refused_and_nothing_saved(secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    with pytest.raises(ValidationError) as exc:
        change_status(
            project, "completed", changed_on=date(2024, 2, 1), reason="Ferdig", actor=secretariat
        )
    assert "kan ikke få status «gjennomført»" in str(exc.value)
    project.refresh_from_db()
    assert project.status == "idea"
    assert ProjectStatusChange.objects.filter(project=project).count() == 1


def test_transfer_needs_target(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    other = arena_of(["3909"])
    project = project_in(arena, secretariat)
    with pytest.raises(ValidationError, match="overføres til"):
        change_status(
            project, "transferred", changed_on=date(2024, 2, 1), reason="R", actor=secretariat
        )
    change_status(
        project,
        "transferred",
        changed_on=date(2024, 2, 1),
        reason="Hører hjemme i en annen arena",
        actor=secretariat,
        transferred_to=other,
    )
    project.refresh_from_db()
    assert project.transferred_to == other


def test_status_change_needs_reason(secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    with pytest.raises(ValidationError, match="hvorfor"):
        change_status(
            project, "proposed", changed_on=date(2024, 2, 1), reason=" ", actor=secretariat
        )


def test_join_with_decision_and_history(secretariat: Any, larvik: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    set_participation(
        project, larvik, "invited", since=date(2024, 1, 1), decision=None, actor=secretariat
    )
    decision = council_decision(larvik, date(2024, 2, 1))
    joined = set_participation(
        project, larvik, "joined", since=date(2024, 2, 15), decision=decision, actor=secretariat
    )
    first = Participation.objects.get(status="invited")
    assert first.until == date(2024, 2, 14)
    assert joined.until is None
    assert joined.decision == decision


def test_join_without_decision_is_refused(secretariat: Any, larvik: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    with pytest.raises(ValidationError) as exc:
        set_participation(
            project, larvik, "joined", since=date(2024, 5, 1), decision=None, actor=secretariat
        )
    assert "må bygge på et vedtak" in str(exc.value)
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": Decision.Outcome.REJECTED}, "må være vedtatt"),
        ({"meeting_date": date(2024, 9, 1)}, "datert etter"),
        ({"body": Decision.Body.OTHER, "body_name": "Styret"}, "kommunestyre eller formannskap"),
    ],
)
def test_join_with_unfit_decision(
    secretariat: Any, larvik: Any, fields: dict[str, Any], message: str
) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    day = fields.pop("meeting_date", date(2024, 2, 1))
    decision = council_decision(larvik, day, **fields)
    with pytest.raises(ValidationError, match=message):
        set_participation(
            project, larvik, "joined", since=date(2024, 5, 1), decision=decision, actor=secretariat
        )


def test_decision_of_another_municipality_is_refused(
    secretariat: Any, larvik: Any, horten: Any
) -> None:
    project = project_in(arena_of(["3909", "3901"]), secretariat)
    decision = council_decision(horten, date(2024, 2, 1))
    with pytest.raises(ValidationError, match="selv"):
        set_participation(
            project, larvik, "joined", since=date(2024, 5, 1), decision=decision, actor=secretariat
        )


def test_non_member_cannot_join(secretariat: Any, horten: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    decision = council_decision(horten, date(2024, 2, 1))
    with pytest.raises(ValidationError, match="ikke medlem"):
        set_participation(
            project, horten, "joined", since=date(2024, 5, 1), decision=decision, actor=secretariat
        )


def test_coordinator_only_for_own_municipality(
    coordinator: Any, secretariat: Any, larvik: Any, horten: Any
) -> None:
    project = project_in(arena_of(["3909", "3901"]), secretariat)
    join_project(project, "3909", coordinator)
    with pytest.raises(PermissionDenied):
        set_participation(
            project,
            horten,
            "considering",
            since=date(2024, 5, 1),
            decision=None,
            actor=coordinator,
        )


def test_withdraw_only_after_joining(secretariat: Any, larvik: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    decision = council_decision(larvik, date(2024, 2, 1))
    with pytest.raises(ValidationError, match="trekke seg"):
        set_participation(
            project,
            larvik,
            "withdrawn",
            since=date(2024, 5, 1),
            decision=decision,
            actor=secretariat,
        )


def test_change_must_be_after_previous(secretariat: Any, larvik: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    set_participation(
        project, larvik, "invited", since=date(2024, 3, 1), decision=None, actor=secretariat
    )
    with pytest.raises(ValidationError, match="etter"):
        set_participation(
            project, larvik, "considering", since=date(2024, 3, 1), decision=None, actor=secretariat
        )


def test_participants_in_year_follow_merger(secretariat: Any) -> None:
    day = date(2016, 1, 1)
    arena = arena_of(["0722", "0723", "0704"], joined=day)
    project = project_in(arena, secretariat, start=day)
    for number in ("0722", "0704"):
        municipality = on(number, day)
        set_participation(
            project,
            municipality,
            "joined",
            since=date(2016, 3, 1),
            decision=council_decision(municipality, date(2016, 2, 1)),
            actor=secretariat,
        )
    tjome = on("0723", day)
    set_participation(
        project,
        tjome,
        "declined",
        since=date(2016, 3, 1),
        decision=council_decision(tjome, date(2016, 2, 1)),
        actor=secretariat,
    )
    names_2017 = [m.name for m in participants_in_year(project, 2017)]
    assert names_2017 == ["Tønsberg", "Nøtterøy"]
    in_2018 = participants_in_year(project, 2018)
    assert [m.number for m in in_2018] == ["0704", "0729"]
    in_2021 = participants_in_year(project, 2021)
    assert "Færder" in [m.name for m in in_2021]
    # The history is unchanged: Nøtterøy's record stays.
    assert Participation.objects.filter(municipality__number="0722").count() == 1


def test_participants_in_year_counts_those_who_left_during_the_year(
    secretariat: Any, larvik: Any
) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    join_project(project, "3909", secretariat, since=date(2024, 3, 1))
    set_participation(
        project,
        larvik,
        "withdrawn",
        since=date(2025, 6, 1),
        decision=council_decision(larvik, date(2025, 5, 1)),
        reason="Prioriterer andre tiltak",
        actor=secretariat,
    )
    assert participants_in_year(project, 2025) == [larvik]
    assert participants_in_year(project, 2026) == []
    assert participants_in_year(project, 2023) == []
    assert current("3909") == larvik


def test_no_change_after_the_project_ended(secretariat: Any, larvik: Any) -> None:
    # a clerk's trial recorded «deltar fra 01.02.2025» on a project that ended in 2006
    project = project_in(arena_of(["3909"]), secretariat, end=date(2024, 6, 30))
    with pytest.raises(ValidationError) as exc:
        set_participation(
            project, larvik, "invited", since=date(2024, 7, 1), decision=None, actor=secretariat
        )
    assert exc.value.message_dict == {
        "since": ["Prosjektet sluttet 30.06.2024; en endring kan ikke gjelde fra etter det."]
    }
    assert not Participation.objects.exists()
    on_the_last_day = set_participation(
        project, larvik, "invited", since=date(2024, 6, 30), decision=None, actor=secretariat
    )
    assert on_the_last_day.since == date(2024, 6, 30)
