"""Permission-matrix rows for workshops (see samarbeid/tests/matrix.py).

Everything a facilitator does (workshops, groups and their links, participants, questions,
merging themes, turning a theme into a project or proposal) is for the secretariat of the
workshop's arena only: coordinators write their municipality's participations, decisions,
votes, population and benefits, not workshops, so both get 403 like the reader.

The group's own page (`workshops:group_page`, /samlinger/g/<token>/) is not in the form
matrix: anyone holding the group's secret link may answer there, signed in or not, by
design; the public is never sent to the log-in page, so the matrix's "public is redirected
to /logg-inn/" does not fit. It is in READ_ONLY_PAGES, and its token access (every persona
with the link may answer, a wrong/renewed/expired link is 404, the rate limit) is tested
in samarbeid/workshops/tests/test_views.py and test_api_writes.py. Its API twin
(`POST /api/v1/workshop-group-links/{token}/answers`) has a row: 200 for every persona
holding the link; its refusals are tested in test_api_twins.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from samarbeid.audit.models import Channel
from samarbeid.tests.matrix import (
    ApiRow,
    FormRow,
    World,
    delete_row,
    form_on,
    form_row,
    post_row,
    row,
    versioned_form,
    versioned_row,
)
from samarbeid.workshops.models import Group, Participant, Question, ThemeMerge, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.groups import add_group, add_participant
from samarbeid.workshops.services.themes import merge_themes
from samarbeid.workshops.services.workshops import create_question, create_workshop

C = Channel.COMMAND


def _workshop(world: World) -> Workshop:
    return create_workshop(
        Workshop(arena=world.arena, title="Samling i Larvik", date=date(2024, 9, 12)),
        actor=world.users["secretariat"],
        channel=C,
    )


def _group(world: World) -> Group:
    return add_group(_workshop(world), "Gruppe 1", actor=world.users["secretariat"], channel=C)


def _participant(world: World) -> Participant:
    return add_participant(
        Participant(workshop=_workshop(world), name="Kari", municipality=world.larvik),
        actor=world.users["secretariat"],
        channel=C,
    )


def _question(world: World, **fields: Any) -> Question:
    fields.setdefault("kind", Question.Kind.OPEN)
    fields.setdefault("text", "Hva bør vi samarbeide om?")
    return create_question(
        Question(workshop=_workshop(world), **fields),
        actor=world.users["secretariat"],
        channel=C,
    )


def _answered_ranked(world: World) -> Question:
    """A ranked question two groups have answered: themes to merge and to turn into work."""
    actor = world.users["secretariat"]
    question = _question(world, kind=Question.Kind.RANKED, status=Question.Status.OPEN)
    one = add_group(question.workshop, "Gruppe 1", actor=actor, channel=C)
    two = add_group(question.workshop, "Gruppe 2", actor=actor, channel=C)
    submit_answer(one, question, themes=["IKT-drift", "Skole"], channel=C)
    submit_answer(two, question, themes=["felles IKT"], channel=C)
    return question


def _merge(world: World) -> ThemeMerge:
    question = _answered_ranked(world)
    return merge_themes(
        question, "felles IKT", "IKT-drift", actor=world.users["secretariat"], channel=C
    )


# --- API -------------------------------------------------------------------------------------


def _post_workshop(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/workshops", {
        "arena": world.arena.pk,
        "title": "Ny samling",
        "date": "2025-03-01",
        "place": "Larvik",
    }


def _group_links(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/workshops/{_group(world).workshop_id}/group-links", {}


def _merge_suggestions(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/workshop-questions/{_answered_ranked(world).pk}/merge-suggestions", {}


def _group_answer(world: World) -> tuple[str, dict[str, Any]]:
    question = _question(world, status=Question.Status.OPEN)
    group = add_group(question.workshop, "Gruppe 1", actor=world.users["secretariat"], channel=C)
    return f"/api/v1/workshop-group-links/{group.token}/answers", {
        "question": question.pk,
        "text": "Felles IKT",
    }


# The group's link is the permission: whoever holds it may answer (as on the group's page).
ANYONE_WITH_THE_LINK = dict.fromkeys(
    ["secretariat", "arena_secretariat", "coordinator", "other_coordinator", "reader", "public"],
    200,
)

API_ROWS = [
    ApiRow(
        "POST",
        "/api/v1/workshop-group-links/{token}/answers",
        ANYONE_WITH_THE_LINK,
        _group_answer,
        # It writes (an answer, audited), but with the link, not a token: the matrix counts
        # the token writes (`writes`) against the operations that require one.
        writes=False,
    ),
    # Reads for the facilitator only (the groups' secret links, the themes page's
    # suggestions): the matrix holds their refusals too.
    ApiRow(
        "GET",
        "/api/v1/workshops/{workshop_id}/group-links",
        row(secretariat=200),
        _group_links,
        writes=False,
    ),
    ApiRow(
        "GET",
        "/api/v1/workshop-questions/{question_id}/merge-suggestions",
        row(secretariat=200),
        _merge_suggestions,
        writes=False,
    ),
    ApiRow("POST", "/api/v1/workshops", row(secretariat=201), _post_workshop),
    versioned_row(
        "PATCH", "/api/v1/workshops/{workshop_id}", row(secretariat=200), _workshop, place="Stavern"
    ),
    post_row(
        "/api/v1/workshops/{workshop_id}/groups", row(secretariat=201), _workshop, name="Gruppe 2"
    ),
    post_row("/api/v1/workshop-groups/{group_id}/renew-link", row(secretariat=200), _group),
    delete_row("/api/v1/workshop-groups/{group_id}", row(secretariat=204), _group),
    post_row(
        "/api/v1/workshops/{workshop_id}/participants",
        row(secretariat=201),
        _workshop,
        name="Ola",
        municipality="3909",
        role="rådmann",
    ),
    delete_row(
        "/api/v1/workshop-participants/{participant_id}", row(secretariat=204), _participant
    ),
    post_row(
        "/api/v1/workshops/{workshop_id}/questions",
        row(secretariat=201),
        _workshop,
        label="A",
        kind="pros_cons",
        text="Fordeler og ulemper",
        alternatives=["Vertskommune", "Interkommunalt selskap"],
    ),
    versioned_row(
        "PATCH",
        "/api/v1/workshop-questions/{question_id}",
        row(secretariat=200),
        _question,
        text="Hva er viktigst?",
    ),
    versioned_row(
        "POST",
        "/api/v1/workshop-questions/{question_id}/status",
        row(secretariat=200),
        _question,
        status="open",
    ),
    post_row(
        "/api/v1/workshop-questions/{question_id}/merges",
        row(secretariat=201),
        _answered_ranked,
        source="felles IKT",
        target="IKT-drift",
    ),
    delete_row("/api/v1/workshop-merges/{merge_id}", row(secretariat=204), _merge),
    post_row(
        "/api/v1/workshop-questions/{question_id}/outcomes",
        row(secretariat=201),
        _answered_ranked,
        theme="IKT-drift",
        kind="project",
        code="WS-IKT-1",
    ),
]


# --- Form pages ----------------------------------------------------------------------------


def _workshop_fields(world: World) -> dict[str, Any]:
    return {
        "arena": world.arena.pk,
        "title": "Samling i Larvik",
        "date": "2024-09-12",
        "place": "Stavern",
        "description": "",
        "links_expire": "",
        "published": "on",
    }


def _create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("workshops:create"), _workshop_fields(world)


def _edit_form(world: World) -> tuple[str, dict[str, Any]]:
    workshop = _workshop(world)
    return reverse("workshops:edit", args=[workshop.pk]), {
        **_workshop_fields(world),
        "version": workshop.version,
    }


def _participant_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("workshops:participant_create", args=[_workshop(world).pk]), {
        "name": "Ola",
        "municipality": world.larvik.pk,
        "role": "rådmann",
        "group": "",
    }


QUESTION_FORM = {
    "label": "A",
    "order": 1,
    "kind": "open",
    "text": "Hva bør vi samarbeide om?",
    "guidance": "",
    "min_themes": 1,
    "max_themes": 5,
    "alternatives": "",
}


SAVES = form_row(secretariat=302)

FORM_ROWS = [
    FormRow("workshops:create", SAVES, _create_form),
    FormRow("workshops:edit", SAVES, _edit_form),
    form_on("workshops:group_create", SAVES, _workshop, name="Gruppe 2"),
    form_on("workshops:group_renew", SAVES, _group),
    versioned_form("workshops:group_delete", SAVES, _group),
    FormRow("workshops:participant_create", SAVES, _participant_create_form),
    versioned_form("workshops:participant_delete", SAVES, _participant),
    form_on("workshops:question_create", SAVES, _workshop, **QUESTION_FORM),
    versioned_form(
        "workshops:question_edit",
        SAVES,
        _question,
        **(QUESTION_FORM | {"text": "Hva er viktigst?"}),
    ),
    form_on("workshops:question_status", SAVES, _question, status="open"),
    form_on(
        "workshops:themes",
        SAVES,
        _answered_ranked,
        **{"action": "merge", "merge-source": "felles IKT", "merge-target": "IKT-drift"},
    ),
]

API_TAGS = {"workshops"}
NAMESPACES = {"workshops"}
READ_ONLY_PAGES = {
    "workshops:index",
    "workshops:detail",
    "workshops:links",
    "workshops:summary",
    "workshops:summary_pdf",
    "workshops:group_qr",
    "workshops:plenary",
    "workshops:plenary_results",
    # Answers are posted here with the group's secret link, by anyone holding it (the
    # public included): see the module docstring; tested in the app's own tests.
    "workshops:group_page",
}
