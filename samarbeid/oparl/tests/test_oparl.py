"""OParl 1.1: every object validates against the standard's shipped JSON schemas, lists
page and filter as the standard says, only public data is published, and lists run a
bounded number of queries."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.governance.models import Case, Decision
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2] / "lib" / "standards" / "oparl"


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.json").read_text())
    return loaded


@cache
def validator(name: str) -> Any:
    return jsonschema_rs.validator_for(schema(name), validate_formats=True)


def check(obj: dict[str, Any]) -> str:
    """`obj` validates against its type's schema, names only the schema's properties, and
    every property the schema types as a URL holds an absolute http(s) URL. Its type."""
    name = obj["type"].rsplit("/", 1)[-1]
    errors = [error.message for error in validator(name).iter_errors(obj)]
    assert not errors, (name, errors, obj)
    properties = schema(name)["properties"]
    unknown = set(obj) - set(properties)
    assert not unknown, (name, unknown)
    for key, value in obj.items():
        spec = properties[key]
        items = spec.get("items", {}) if spec.get("type") == "array" else {}
        urls = [value] if spec.get("format") == "url" else []
        if items.get("format") == "url":
            urls = value
        for url in urls:
            assert urlsplit(url).scheme in ("http", "https"), (name, key, url)
        # embedded objects ("schema": "Consultation.json") validate against their own schema
        embedded = [value] if "schema" in spec else value if "schema" in items else []
        for inner in embedded:
            assert f"{check(inner)}.json" == spec.get("schema", items.get("schema"))
    return name


def get(client: Client, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    data: dict[str, Any] = response.json()
    return data


def check_page(page: dict[str, Any]) -> list[dict[str, Any]]:
    assert set(page) == {"data", "pagination", "links"}
    for obj in page["data"]:
        check(obj)
    return list(page["data"])


@pytest.fixture
def world(secretariat: Any) -> dict[str, Any]:
    """A published arena with a published case treated by Larvik's council and the arena's
    board, an unpublished case, and an unpublished arena with a published case; written
    through the write path so the audit trail dates them."""

    def make(obj: Any) -> Any:
        return create_record(obj, actor=secretariat, channel=Channel.COMMAND)

    arena = make(ArenaFactory.build(name="Innherred samkommune", short_name="ISK", published=True))
    hidden_arena = make(ArenaFactory.build(short_name="HIDDEN", published=False))
    case = make(CaseFactory.build(arena=arena, title="Mandat for ISK 2", published=True))
    council = make(DecisionFactory.build(case=case, case_number="12/07"))
    board = make(
        DecisionFactory.build(
            case=case,
            body=Decision.Body.ARENA_BOARD,
            municipality=None,
            arena=arena,
            body_name="Samkommunestyret",
        )
    )
    make(CaseFactory.build(arena=arena, title="Intern sak", published=False))
    make(CaseFactory.build(arena=hidden_arena, title="Skjult arena", published=True))
    return {"arena": arena, "case": case, "council": council, "board": board}


def test_system_body_and_every_object_validate(client: Client, world: dict[str, Any]) -> None:
    system = get(client, reverse("oparl:system"))
    assert check(system) == "System"
    bodies = check_page(get(client, system["body"]))
    assert [b["name"] for b in bodies] == ["Innherred samkommune"]  # not the unpublished arena
    body = get(client, bodies[0]["id"])
    assert check(body) == "Body"
    assert body == bodies[0]
    for part in ("organization", "paper", "consultation", "person", "meeting", "agendaItem"):
        check_page(get(client, body[part]))
    papers = check_page(get(client, body["paper"]))
    assert [p["name"] for p in papers] == ["Mandat for ISK 2"]  # not the unpublished case
    paper = get(client, papers[0]["id"])
    assert paper == papers[0]
    assert paper["reference"] == f"{world['case'].opened.year}/{world['case'].pk}"
    consultations = paper["consultation"]
    assert len(consultations) == 2
    for embedded in consultations:
        assert get(client, embedded["id"]) == embedded
    organizations = check_page(get(client, body["organization"]))
    names = {o["name"] for o in organizations}
    assert names == {"Innherred samkommune", "Kommunestyret i Larvik"}
    for consultation in consultations:
        assert consultation["paper"] == paper["id"]
        for url in consultation["organization"]:
            assert check(get(client, url)) == "Organization"
            assert url in {o["id"] for o in organizations}


def test_objects_are_dated_by_the_audit_trail(
    client: Client, world: dict[str, Any], secretariat: Any
) -> None:
    case = world["case"]
    url = reverse("oparl:paper", args=[case.pk])
    before = get(client, url)
    # the paper's modified follows its embedded consultations (written after it)
    assert before["modified"] == max(c["modified"] for c in before["consultation"])
    assert before["created"] < before["modified"]
    update_record(
        case,
        {"title": "Mandat for ISK 2 (revidert)"},
        expected_version=case.version,
        actor=secretariat,
        channel=Channel.COMMAND,
    )
    after = get(client, url)
    assert after["created"] == before["created"]
    assert after["modified"] > before["modified"]
    council = world["council"]
    update_record(
        council,
        {"text": "Vedtatt som innstilt."},
        expected_version=council.version,
        actor=secretariat,
        channel=Channel.COMMAND,
    )
    again = get(client, url)
    assert again["modified"] > after["modified"]
    assert (
        again["modified"]
        == get(client, reverse("oparl:consultation", args=[council.pk]))["modified"]
    )


def test_modified_since_and_until_filter_and_keep_in_links(
    client: Client, world: dict[str, Any], secretariat: Any
) -> None:
    papers = reverse("oparl:paper_list", args=[world["arena"].pk])
    written = AuditEntry.objects.order_by("-at").first()
    assert written is not None
    later = (written.at + timedelta(seconds=1)).isoformat()
    earlier = (written.at - timedelta(days=1)).isoformat()
    assert check_page(get(client, papers, modified_since=later)) == []
    assert len(check_page(get(client, papers, modified_since=earlier))) == 1
    assert check_page(get(client, papers, modified_until=earlier)) == []
    assert check_page(get(client, papers, created_since=later)) == []
    page = get(client, papers, modified_since=earlier, limit=1)
    assert "modified_since=" in page["links"]["first"]
    for odd in ("0", "-1", "²", "9" * 5000, "1.5"):
        refused = client.get(papers, {"page": odd})
        assert refused.status_code == 400, odd
        assert client.get(papers, {"limit": odd}).status_code == 400, odd
    bad = client.get(papers, {"modified_since": "i går"})
    assert bad.status_code == 400
    assert "modified_since" in bad.json()["error"]


def test_a_deleted_paper_is_listed_as_deleted_with_modified_since(
    client: Client, world: dict[str, Any], secretariat: Any
) -> None:
    arena = world["arena"]
    since = timezone.now() - timedelta(minutes=1)
    gone = create_record(
        CaseFactory.build(arena=arena, title="Feilregistrert", published=True),
        actor=secretariat,
        channel=Channel.COMMAND,
    )
    gone_id = gone.pk
    delete_record(gone, actor=secretariat, channel=Channel.COMMAND)
    papers = reverse("oparl:paper_list", args=[arena.pk])
    plain = check_page(get(client, papers))
    assert all(not p.get("deleted") for p in plain)  # never without modified_since
    listed = check_page(get(client, papers, modified_since=since.isoformat()))
    tombstone = next(p for p in listed if p.get("deleted"))
    assert tombstone["id"].endswith(f"/paper/{gone_id}")
    assert {"id", "type", "created", "modified", "deleted"} == set(tombstone)
    assert check(get(client, tombstone["id"])) == "Paper"
    assert get(client, tombstone["id"])["deleted"] is True


def test_lists_page_with_links_and_pagination(client: Client, world: dict[str, Any]) -> None:
    arena = world["arena"]
    for n in range(4):
        CaseFactory(arena=arena, title=f"Sak {n}", published=True)
    url = reverse("oparl:paper_list", args=[arena.pk])
    first = get(client, url, limit=2)
    assert first["pagination"] == {
        "totalElements": 5,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": 3,
    }
    assert "prev" not in first["links"]
    seen = [p["id"] for p in check_page(first)]
    page = first
    while "next" in page["links"]:
        page = client.get(page["links"]["next"]).json()
        seen += [p["id"] for p in check_page(page)]
        assert "limit=2" in page["links"]["self"]
    assert len(seen) == len(set(seen)) == 5
    assert page["links"]["self"] == first["links"]["last"]
    assert page["links"]["prev"]
    limited = get(client, url, limit=1000)
    assert limited["pagination"]["elementsPerPage"] == 100


def test_only_public_data(client: Client, world: dict[str, Any]) -> None:
    hidden = Arena.objects.get(short_name="HIDDEN")
    internal = Case.objects.get(title="Intern sak")
    for url in (
        reverse("oparl:body", args=[hidden.pk]),
        reverse("oparl:paper_list", args=[hidden.pk]),
        reverse("oparl:paper", args=[internal.pk]),
        reverse("oparl:paper", args=[Case.objects.get(title="Skjult arena").pk]),
        reverse("oparl:organization", args=[f"arena-{hidden.pk}"]),
        reverse("oparl:organization", args=["council-9999"]),
        reverse("oparl:paper", args=[987654]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json")


def test_a_signed_in_user_sees_no_more(
    client: Client, world: dict[str, Any], secretariat: Any
) -> None:
    client.force_login(secretariat)
    url = reverse("oparl:paper_list", args=[world["arena"].pk])
    assert [p["name"] for p in get(client, url)["data"]] == ["Mandat for ISK 2"]


def test_writes_are_refused(client: Client, world: dict[str, Any]) -> None:
    assert client.post(reverse("oparl:paper_list", args=[world["arena"].pk])).status_code == 405


def test_lists_run_a_bounded_number_of_queries(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    arena = world["arena"]
    horten = Municipality.objects.current().get(number="3901")
    for n in range(30):
        case = CaseFactory(arena=arena, title=f"Sak {n}", published=True, opened=date(2024, 1, 1))
        DecisionFactory(case=case)
        DecisionFactory(case=case, municipality=horten, body=Decision.Body.EXECUTIVE_COMMITTEE)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    for name in ("paper_list", "consultation_list", "organization_list"):
        url = reverse(f"oparl:{name}", args=[arena.pk])
        with django_assert_max_num_queries(6):
            page = get(client, url, modified_since=since)
        with django_assert_max_num_queries(6):
            page = get(client, url)
        assert len(page["data"]) >= 3


def test_a_withdrawn_paper_is_listed_as_deleted(
    client: Client, world: dict[str, Any], secretariat: Any
) -> None:
    case = world["case"]
    since = timezone.now() - timedelta(minutes=1)
    update_record(
        case,
        {"published": False},
        expected_version=case.version,
        actor=secretariat,
        channel=Channel.COMMAND,
    )
    papers = reverse("oparl:paper_list", args=[world["arena"].pk])
    assert check_page(get(client, papers)) == []
    listed = check_page(get(client, papers, modified_since=since.isoformat()))
    assert [(p["id"], p["deleted"]) for p in listed] == [
        (f"http://testserver/oparl/v1/paper/{case.pk}", True)
    ]
    assert "name" not in listed[0]  # nothing of a withdrawn case is shown
    assert get(client, listed[0]["id"]) == listed[0]
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert check_page(get(client, papers, modified_since=later)) == []


def test_the_open_data_page_points_to_oparl(client: Client) -> None:
    page = client.get(reverse("core:open_data")).content.decode()
    assert f'href="{reverse("oparl:system")}"' in page


def test_an_unpublished_arenas_board_is_named_not_linked(
    client: Client, world: dict[str, Any]
) -> None:
    hidden = Arena.objects.get(short_name="HIDDEN")
    decision = DecisionFactory(
        case=world["case"],
        body=Decision.Body.ARENA_BOARD,
        municipality=None,
        arena=hidden,
        body_name="Styret",
    )
    found = get(client, reverse("oparl:consultation", args=[decision.pk]))
    check(found)
    assert "organization" not in found
    assert "Styret" in found["keyword"]
    assert "HIDDEN" not in json.dumps(found)  # nor the unpublished arena's name
