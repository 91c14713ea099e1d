"""Correcting a part of a draft plan (a point, a focus area, a goal) instead of deleting it and
its links and adding it again: the page `planer/<kind>/<pk>/endre/` on the form that adds one,
`PATCH /api/v1/strategic-plans/{plan_id}/items|focus-areas|goals/{id}` on the same form, both
through `update_plan_part` (the arena's editors, drafts only, a goal's number unique in its
plan, from the version read)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import AuditEntry
from samarbeid.strategy.models import FocusArea, Goal, PlanItem, ProjectGoal, StrategicPlan
from samarbeid.strategy.services.plans import (
    add_focus_area,
    add_goal,
    add_plan_item,
    update_plan_part,
)
from samarbeid.strategy.tests.helpers import area, arena_of, call, goal, plan, project

pytestmark = pytest.mark.django_db

EMPTY = "Feltet kan ikke være tomt."
SENT = "Planen er sendt til politisk behandling og kan ikke lenger endres."
ADOPTED = "Planen er vedtatt og kan ikke lenger endres."


def _item(p: StrategicPlan, title: str = "Forankring") -> PlanItem:
    return PlanItem.objects.create(plan=p, kind=PlanItem.Kind.SUCCESS_FACTOR, title=title)


def _audited(obj: models.Model, channel: str) -> AuditEntry:
    return AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        action="update",
        channel=channel,
    )


def _outsider() -> Any:
    """Signed in, with no role: sees only what is published."""
    return get_user_model().objects.create_user(username="uten-rolle", password="x-123456")


def _edit_url(kind: str, part: models.Model) -> str:
    return reverse("strategy:part_edit", args=[kind, part.pk])


def _errors(response: Any) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def _by_field(body: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(error["loc"][-1:], error["msg"]) for error in body["errors"]]


# The page ---------------------------------------------------------------------------------


def test_a_goal_is_corrected_on_the_page_and_keeps_its_links(
    client: Client, secretariat: Any
) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    typo = goal(p, 1, "Betre tjenester")
    ProjectGoal.objects.create(project=project(arena), goal=typo)
    login(client, secretariat)
    url = _edit_url("mal", typo)

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Endre mål 1" in html
    assert 'name="version" value="1"' in html
    assert 'value="Betre tjenester"' in html

    response = client.post(
        url, {"version": 1, "number": 1, "title": "Bedre tjenester", "description": "Rettet"}
    )
    assert response.status_code == 302
    assert response["Location"] == p.get_absolute_url()
    typo.refresh_from_db()
    assert (typo.title, typo.description, typo.number, typo.version) == (
        "Bedre tjenester",
        "Rettet",
        1,
        2,
    )
    assert typo.project_links.count() == 1  # what deleting it would have lost
    entry = _audited(typo, "page")
    assert entry.actor == secretariat
    assert "title" in entry.changes


def test_a_point_and_a_focus_area_are_corrected_on_the_page(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]))
    point, focus = _item(p, "Forankirng"), area(p, "IKY")
    login(client, secretariat)
    moved = client.post(
        _edit_url("punkt", point),
        {"version": 1, "kind": "critical_factor", "order": 2, "title": "Forankring"},
    )
    assert moved.status_code == 302
    renamed = client.post(
        _edit_url("innsatsomrade", focus), {"version": 1, "order": 1, "title": "IKT"}
    )
    assert renamed.status_code == 302
    point.refresh_from_db()
    focus.refresh_from_db()
    assert (point.kind, point.order, point.title) == ("critical_factor", 2, "Forankring")
    assert focus.title == "IKT"
    _audited(point, "page")
    _audited(focus, "page")


def test_the_plan_page_offers_the_edit_beside_the_delete_to_editors_of_a_draft(
    client: Client, secretariat: Any, reader: Any
) -> None:
    p = plan(arena_of(["3909"]))
    g, point, focus = goal(p, 1), _item(p), area(p, "IKT")
    links = [_edit_url("mal", g), _edit_url("punkt", point), _edit_url("innsatsomrade", focus)]
    login(client, secretariat)
    html = client.get(p.get_absolute_url()).content.decode()
    assert all(f'href="{link}"' in html for link in links)
    assert "Endre mål 1" in html
    assert "Endre «Forankring»" in html
    login(client, reader)
    html = client.get(p.get_absolute_url()).content.decode()
    assert not any(link in html for link in links)
    StrategicPlan.objects.filter(pk=p.pk).update(status=StrategicPlan.Status.SENT)
    login(client, secretariat)
    html = client.get(p.get_absolute_url()).content.decode()
    assert not any(link in html for link in links)


def test_the_edit_links_add_no_query_per_part(client: Client, secretariat: Any) -> None:
    def queries(parts: int) -> int:
        p = plan(arena_of(["3909"]), title=f"Plan med {parts}")
        for n in range(1, parts + 1):
            goal(p, n)
            _item(p, f"Punkt {n}")
            area(p, f"Område {n}", n)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(p.get_absolute_url()).status_code == 200
        return len(captured)

    login(client, secretariat)
    assert queries(1) == queries(6)


def test_a_stale_edit_is_shown_and_not_saved(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    g = goal(p, 1, "Bedre tjenester")
    update_plan_part(g, {"title": "Lagret først"}, expected_version=1, actor=secretariat)
    login(client, secretariat)
    response = client.post(_edit_url("mal", g), {"version": 1, "number": 1, "title": "Min tittel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Noen andre har lagret en nyere versjon" in html
    assert "Lagret først" in html  # what is stored now, beside what the user sent
    g.refresh_from_db()
    assert (g.title, g.version) == ("Lagret først", 2)


def test_bad_input_is_said_on_its_field(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    first, second = goal(p, 1), goal(p, 2, "Lavere kostnader")
    login(client, secretariat)
    url = _edit_url("mal", second)
    empty = client.post(url, {"version": 1, "number": 2, "title": "  "})
    assert empty.status_code == 200
    assert _errors(empty) == {"title": ["Feltet er påkrevd."]}
    assert 'class="ds-error-summary' in empty.content.decode()
    taken = client.post(url, {"version": 1, "number": 1, "title": "Lavere kostnader"})
    assert taken.status_code == 200
    assert _errors(taken) == {"number": ["Mål nummer 1 finnes allerede."]}
    no_number = client.post(url, {"version": 1, "number": "", "title": "Lavere kostnader"})
    assert _errors(no_number) == {"number": ["Feltet er påkrevd."]}
    empty_point = client.post(
        _edit_url("punkt", _item(p)),
        {"version": 1, "kind": "prerequisite", "order": 1, "title": ""},
    )
    assert _errors(empty_point) == {"title": ["Feltet er påkrevd."]}
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.number, second.version, first.number) == (2, 1, 1)
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_sent_plan_is_not_changed_on_the_page(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]), status=StrategicPlan.Status.SENT)
    g = goal(p, 1, "Vedtatt ordlyd")
    login(client, secretariat)
    response = client.post(_edit_url("mal", g), {"version": 1, "number": 1, "title": "Ny"})
    assert response.status_code == 200
    assert SENT in response.content.decode()
    g.refresh_from_db()
    assert g.title == "Vedtatt ordlyd"


def test_readers_and_another_arenas_secretariat_may_not_edit_on_the_page(
    client: Client, reader: Any, arena_secretariat: Any, coordinator: Any
) -> None:
    p = plan(arena_of(["3909"]))
    g = goal(p, 1, "Bedre tjenester")
    url = _edit_url("mal", g)
    data = {"version": 1, "number": 1, "title": "Overtatt"}
    assert client.get(url).status_code == 302  # anonymous: to the log-in
    for user in (reader, arena_secretariat, coordinator):
        login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    hidden = goal(plan(arena_of(["3901"], published=False)), 1)
    login(client, _outsider())
    assert client.get(_edit_url("mal", hidden)).status_code == 404
    assert client.post(_edit_url("mal", hidden), data).status_code == 404
    g.refresh_from_db()
    assert g.title == "Bedre tjenester"


def test_unknown_parts_are_404_on_the_page(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    arena_goal = Goal.objects.create(arena=arena, plan=None, number=1, title="Hovedmål")
    login(client, secretariat)
    assert client.get(_edit_url("mal", arena_goal)).status_code == 404  # no plan
    assert client.get(reverse("strategy:part_edit", args=["tull", 1])).status_code == 404
    assert client.get(reverse("strategy:part_edit", args=["punkt", 999999])).status_code == 404


# The API ----------------------------------------------------------------------------------


def test_the_api_round_trip_from_the_plan_read(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    goal(p, 1, "Betre tjenester")
    _item(p, "Forankirng")
    area(p, "IKY")
    login(client, secretariat)
    read = client.get(f"/api/v1/strategic-plans/{p.pk}").json()
    base = f"/strategic-plans/{p.pk}"
    [g], [point], [focus] = read["goals"], read["items"], read["focus_areas"]

    answer = call(
        client, "PATCH", f"{base}/goals/{g['id']}", {"version": g["version"], "title": "Bedre"}
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["title"], answer.json()["number"], answer.json()["version"]) == (
        "Bedre",
        1,
        2,
    )
    answer = call(
        client,
        "PATCH",
        f"{base}/items/{point['id']}",
        {"version": point["version"], "title": "Forankring", "kind": "critical_factor"},
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["kind"], answer.json()["order"], answer.json()["version"]) == (
        "critical_factor",
        1,
        2,
    )
    answer = call(
        client,
        "PATCH",
        f"{base}/focus-areas/{focus['id']}",
        {"version": focus["version"], "title": "IKT", "order": 3},
    )
    assert answer.status_code == 200, answer.content

    again = client.get(f"/api/v1/strategic-plans/{p.pk}").json()
    assert [(x["title"], x["version"]) for x in again["goals"]] == [("Bedre", 2)]
    assert [(x["title"], x["kind"]) for x in again["items"]] == [("Forankring", "critical_factor")]
    assert [(x["title"], x["order"]) for x in again["focus_areas"]] == [("IKT", 3)]
    for model, pk in ((Goal, g["id"]), (PlanItem, point["id"]), (FocusArea, focus["id"])):
        assert _audited(model.objects.get(pk=pk), "api").actor == secretariat


def test_the_api_refuses_stale_versions_bad_input_and_nulls(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]))
    goal(p, 1)
    second = goal(p, 2, "Lavere kostnader")
    url = f"/strategic-plans/{p.pk}/goals/{second.pk}"
    login(client, secretariat)

    taken = _problem(call(client, "PATCH", url, {"version": 1, "number": 1}), 422)
    assert _by_field(taken) == [(["number"], "Mål nummer 1 finnes allerede.")]
    assert _by_field(_problem(call(client, "PATCH", url, {"version": 1, "title": None}), 422)) == [
        (["title"], EMPTY)
    ]
    assert _by_field(_problem(call(client, "PATCH", url, {"version": 1, "number": None}), 422)) == [
        (["number"], EMPTY)
    ]
    blank = _problem(call(client, "PATCH", url, {"version": 1, "title": "   "}), 422)
    assert [loc for loc, _msg in _by_field(blank)] == [["title"]]
    _problem(call(client, "PATCH", url, {"title": "Uten versjon"}), 422)
    _problem(call(client, "PATCH", url, {"version": 1, "plan": None, "title": "X"}), 422)

    assert call(client, "PATCH", url, {"version": 1, "number": 3}).status_code == 200
    stale = _problem(call(client, "PATCH", url, {"version": 1, "title": "Gammel"}), 409)
    assert stale["current_version"] == 2
    second.refresh_from_db()
    assert (second.number, second.title, second.version) == (3, "Lavere kostnader", 2)

    point = _item(p)
    point_url = f"/strategic-plans/{p.pk}/items/{point.pk}"
    bad_kind = _problem(call(client, "PATCH", point_url, {"version": 1, "kind": "tull"}), 422)
    assert [loc for loc, _msg in _by_field(bad_kind)] == [["kind"]]
    assert _by_field(
        _problem(call(client, "PATCH", point_url, {"version": 1, "description": None}), 422)
    ) == [(["description"], EMPTY)]


def test_the_api_refuses_readers_other_arenas_and_other_plans(
    client: Client, secretariat: Any, reader: Any, arena_secretariat: Any
) -> None:
    arena = arena_of(["3909"])
    p, other = plan(arena), plan(arena, 2030, 2033)
    point = _item(p)
    url = f"/strategic-plans/{p.pk}/items/{point.pk}"
    body = {"version": 1, "title": "Overtatt"}
    _problem(call(client, "PATCH", url, body), 401)
    for user in (reader, arena_secretariat):
        login(client, user)
        _problem(call(client, "PATCH", url, body), 403)
    hidden = plan(arena_of(["3901"], published=False))
    hidden_goal = goal(hidden, 1)
    hidden_url = f"/strategic-plans/{hidden.pk}/goals/{hidden_goal.pk}"
    login(client, reader)  # sees unpublished plans but may change nothing
    _problem(call(client, "PATCH", hidden_url, body), 403)
    login(client, _outsider())
    _problem(call(client, "PATCH", hidden_url, body), 404)
    login(client, secretariat)
    _problem(call(client, "PATCH", f"/strategic-plans/{other.pk}/items/{point.pk}", body), 404)
    _problem(call(client, "PATCH", f"/strategic-plans/{p.pk}/goals/{point.pk}", body), 404)
    point.refresh_from_db()
    assert (point.title, point.version) == ("Forankring", 1)


def test_a_sent_plans_part_is_refused_by_the_api(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]), status=StrategicPlan.Status.ADOPTED)
    focus = area(p, "IKT")
    login(client, secretariat)
    refused = _problem(
        call(
            client,
            "PATCH",
            f"/strategic-plans/{p.pk}/focus-areas/{focus.pk}",
            {"version": 1, "title": "Ny"},
        ),
        422,
    )
    assert refused["detail"] == ADOPTED
    focus.refresh_from_db()
    assert focus.title == "IKT"


# The service ------------------------------------------------------------------------------


def test_the_service_refuses_each_rule(
    secretariat: Any, reader: Any, arena_secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]))
    goal(p, 1)
    second = goal(p, 2)
    for user in (reader, arena_secretariat):
        with pytest.raises(PermissionDenied):
            update_plan_part(second, {"title": "X"}, expected_version=1, actor=user)
    refusals = [
        (second, {"number": 1}, {"number": ["Mål nummer 1 finnes allerede."]}),
        (second, {"number": 0}, {"number": ["Skriv målets nummer."]}),
        # fresh: a refused change stays on the instance (its number 0 above)
        (Goal.objects.get(pk=second.pk), {"title": " "}, {"title": ["Skriv målet."]}),
        (_item(p), {"title": ""}, {"title": ["Skriv punktet."]}),
        (area(p, "IKT"), {"title": ""}, {"title": ["Skriv navnet på innsatsområdet."]}),
    ]
    for part, changes, said in refusals:
        with pytest.raises(ValidationError) as refused:
            update_plan_part(part, changes, expected_version=1, actor=secretariat)
        assert refused.value.message_dict == said
    assert list(Goal.objects.filter(plan=p).values_list("number", flat=True)) == [1, 2]


def test_the_service_keeps_a_part_in_its_plan(secretariat: Any) -> None:
    p, elsewhere = plan(arena_of(["3909"])), plan(arena_of(["3901"]))
    g = goal(p, 1)
    update_plan_part(
        g,
        {"plan": elsewhere, "arena": elsewhere.arena, "number": 4},
        expected_version=1,
        actor=secretariat,
    )
    g.refresh_from_db()
    assert (g.plan_id, g.arena_id, g.number) == (p.pk, p.arena_id, 4)


def test_the_service_refuses_a_sent_plan(secretariat: Any) -> None:
    p = plan(arena_of(["3909"]), status=StrategicPlan.Status.SENT)
    with pytest.raises(ValidationError) as refused:
        update_plan_part(_item(p), {"title": "Ny"}, expected_version=1, actor=secretariat)
    assert refused.value.messages == [SENT]


# Adding: the same rule as correcting and deleting ------------------------------------------


def test_no_part_is_added_to_a_sent_plan_by_the_service(secretariat: Any) -> None:
    p = plan(arena_of(["3909"]), status=StrategicPlan.Status.ADOPTED)
    for adding in (
        lambda: add_goal(Goal(arena=p.arena, plan=p, number=0, title="Nytt"), actor=secretariat),
        lambda: add_plan_item(
            PlanItem(plan=p, kind=PlanItem.Kind.PREREQUISITE, title="Nytt"), actor=secretariat
        ),
        lambda: add_focus_area(FocusArea(plan=p, title="Nytt"), actor=secretariat),
    ):
        with pytest.raises(ValidationError) as refused:
            adding()
        assert refused.value.messages == [ADOPTED]
    assert (p.goals.count(), p.items.count(), p.focus_areas.count()) == (0, 0, 0)


def test_no_part_is_added_to_a_sent_plan_on_the_page_or_in_the_api(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]), status=StrategicPlan.Status.SENT)
    login(client, secretariat)
    page = client.post(reverse("strategy:goal_create", args=[p.pk]), {"title": "Nytt mål"})
    assert page.status_code == 200
    assert SENT in page.content.decode()
    refused = _problem(call(client, "POST", f"/strategic-plans/{p.pk}/goals", {"title": "X"}), 422)
    assert refused["detail"] == SENT
    assert not p.goals.exists()


def test_a_sent_plans_add_and_edit_pages_go_back_to_the_plan_and_say_why(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]), status=StrategicPlan.Status.ADOPTED)
    g = goal(p, 1, "Vedtatt ordlyd")
    login(client, secretariat)
    for url in (
        _edit_url("mal", g),
        reverse("strategy:goal_create", args=[p.pk]),
        reverse("strategy:item_create", args=[p.pk]),
        reverse("strategy:focus_area_create", args=[p.pk]),
    ):
        opened = client.get(url, follow=True)
        assert opened.redirect_chain == [(p.get_absolute_url(), 302)], url
        assert ADOPTED in opened.content.decode()
        assert SENT not in opened.content.decode()
