"""The meetings API: reads for what the caller may see, writes for the arena's secretariat,
errors as problem+json."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from conftest import bearer, problem_of
from samarbeid.arenas.tests.factories import MembershipFactory, current
from samarbeid.meetings.models import Meeting
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_write_and_read(client: Client, secretariat: Any) -> None:
    one = body()
    MembershipFactory(arena=one.arena, municipality=current("3909"), joined=date(2024, 1, 1))
    auth = bearer(secretariat)
    response = client.post(
        f"/api/v1/meetings/arenas/{one.arena_id}/bodies",
        {"kind": "mayors", "name": "Ordførermøtet"},
        content_type=JSON,
        headers=auth,
    )
    assert response.status_code == 201, response.content
    body_id = response.json()["id"]
    response = client.post(
        f"/api/v1/meetings/bodies/{body_id}/members",
        {
            "municipality": "3909",
            "person": "Ordfører",
            "role": "leader",
            "valid_from": "2024-01-01",  # 3909 Larvik since 2024
        },
        content_type=JSON,
        headers=auth,
    )
    assert response.status_code == 201, response.content
    assert response.json()["municipality"] == "3909"
    response = client.post(
        f"/api/v1/meetings/bodies/{body_id}/meetings",
        {"date": "2025-06-01", "start_time": "09:00", "place": "Larvik"},
        content_type=JSON,
        headers=auth,
    )
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    response = client.patch(
        f"/api/v1/meetings/{meeting_id}",
        {"version": 1, "place": "Sandefjord"},
        content_type=JSON,
        headers=auth,
    )
    assert response.json()["place"] == "Sandefjord"
    got = client.get(f"/api/v1/meetings/{meeting_id}").json()
    assert got["status"] == "planned"
    assert got["modified"]
    assert client.get(f"/api/v1/meetings/bodies/{body_id}").json()["members"][0]["role"] == "leader"


def test_errors_are_problems(client: Client, secretariat: Any, arena_secretariat: Any) -> None:
    one = meeting()
    problem = problem_of(
        client.post(
            f"/api/v1/meetings/bodies/{one.body_id}/meetings",
            {"date": "2025-06-01", "start_time": "09:00"},
            content_type=JSON,
            headers=bearer(secretariat),
        ),
        422,
    )
    assert problem["errors"][0]["loc"] == ["place"]
    problem_of(
        client.post(
            f"/api/v1/meetings/{one.pk}/status",
            {"version": 1, "status": "held"},
            content_type=JSON,
            headers=bearer(secretariat),
        ),
        422,
    )
    problem_of(
        client.patch(
            f"/api/v1/meetings/{one.pk}",
            {"version": 1, "place": "X"},
            content_type=JSON,
            headers=bearer(arena_secretariat),
        ),
        403,
    )
    hidden = meeting(body(name="Lukket"), published=False)
    problem_of(client.get(f"/api/v1/meetings/{hidden.pk}"), 404)


def test_lists_hide_unpublished_and_bound_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    one = body()
    meeting(one)
    meeting(one, published=False)
    member(one)
    for n in range(8):
        meeting(body(one.arena, name=f"Organ {n}"))
    with django_assert_max_num_queries(4):
        listed = client.get("/api/v1/meetings").json()
    assert listed["count"] == 9
    with django_assert_max_num_queries(5):
        bodies = client.get(f"/api/v1/meetings/bodies?arena={one.arena_id}").json()
    assert bodies["count"] == 9
    assert Meeting.objects.count() == 10


@pytest.mark.usefixtures("noticed_early")
def test_the_agenda_through_the_api(client: Client, secretariat: Any, reader: Any) -> None:
    one = meeting()
    member(one.body)  # a member to send the notice to
    auth = bearer(secretariat)
    response = client.post(
        f"/api/v1/meetings/{one.pk}/items", {"title": "Budsjett 2026"}, content_type=JSON,
        headers=auth,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["number"] is None
    problem_of(
        client.post(f"/api/v1/meetings/{one.pk}/items", {"title": ""}, content_type=JSON,
                    headers=auth),
        422,
    )  # fmt: skip
    response = client.post(
        f"/api/v1/meetings/{one.pk}/notice", {"version": 1}, content_type=JSON, headers=auth
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "notice_sent"
    items = client.get(f"/api/v1/meetings/{one.pk}/items").json()
    assert items[0]["reference"] == "Sak 1/25"
    problem_of(
        client.delete(f"/api/v1/meetings/items/{items[0]['id']}?version=2", headers=auth), 422
    )
    problem_of(
        client.post(f"/api/v1/meetings/{one.pk}/notice", {"version": 2}, content_type=JSON,
                    headers=bearer(reader)),
        403,
    )  # fmt: skip
