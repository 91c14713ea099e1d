"""The workshops' answers and themes in the API, key by key, on a workshop three groups
answered: the output schemas that read the records must write what the hand-written
dictionaries wrote (issue 18: the API's shapes do not change), in no more queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.workshops.models import Group, Question, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.themes import merge_themes, theme_to_project, theme_to_proposal

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def answered(
    secretariat: Any,
    groups: list[Group],
    ranked: Question,
    open_question: Question,
    pros_cons: Question,
) -> tuple[Question, Question, Question]:
    """Each kind of question answered, a theme merged into another, one made a project and
    one a proposal."""
    one, two, three = groups
    submit_answer(one, ranked, themes=["IKT-drift", "Skole"])
    submit_answer(two, ranked, themes=["felles IKT", "Skole"])
    submit_answer(three, ranked, themes=["Skoler"])
    submit_answer(one, pros_cons, pros_cons=[{"pros": "Erfaring"}, {"cons": "X"}])
    submit_answer(
        two, pros_cons, pros_cons=[{"pros": "Billig", "cons": "Dyrt"}, {"pros": "Enkelt"}]
    )
    submit_answer(one, open_question, text="Ja")
    submit_answer(three, open_question, text="Nei")
    merge_themes(ranked, "felles IKT", "IKT-drift", actor=secretariat)
    theme_to_project(ranked, "IKT-drift", code="P-1", actor=secretariat)
    theme_to_proposal(ranked, "Skole", actor=secretariat)
    return ranked, open_question, pros_cons


def _question(question: Question, answers: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": question.pk,
        "label": question.label,
        "order": 1,
        "kind": question.kind,
        "text": question.text,
        "status": "open",
        "min_themes": 1,
        "max_themes": 5,
        "alternatives": [],
        "answers": answers,
        "version": 1,
        **fields,
    }


def _sections(ranked: Question, open_question: Question, pros_cons: Question) -> list[Any]:
    merge = ranked.merges.get()
    project = ranked.outcomes.get(project__isnull=False).project
    proposal = ranked.outcomes.get(proposal__isnull=False).proposal
    assert project is not None
    assert proposal is not None
    empty = {"themes": None, "merges": None, "pros_cons": None, "answers": None}
    return [
        {
            "question": _question(ranked, 3, max_themes=3),
            "groups_total": 3,
            **empty,
            "themes": [
                {
                    "label": "IKT-drift",
                    "groups": 2,
                    "borda": 6,
                    "variants": ["felles IKT"],
                    "outcomes": [{"kind": "project", "id": project.pk, "title": "P-1 IKT-drift"}],
                },
                {
                    "label": "Skole",
                    "groups": 2,
                    "borda": 4,
                    "variants": [],
                    "outcomes": [{"kind": "proposal", "id": proposal.pk, "title": "Skole"}],
                },
                {"label": "Skoler", "groups": 1, "borda": 3, "variants": [], "outcomes": []},
            ],
            "merges": [{"id": merge.pk, "source": "felles IKT", "target": "IKT-drift"}],
        },
        {
            "question": _question(open_question, 2),
            "groups_total": 3,
            **empty,
            "answers": [{"group": "Gruppe 1", "text": "Ja"}, {"group": "Gruppe 3", "text": "Nei"}],
        },
        {
            "question": _question(
                pros_cons, 2, alternatives=["Nytt forsøk i 4 år", "Vertskommune"]
            ),
            "groups_total": 3,
            **empty,
            "pros_cons": [
                {
                    "alternative": "Nytt forsøk i 4 år",
                    "pros": [
                        {"group": "Gruppe 1", "text": "Erfaring"},
                        {"group": "Gruppe 2", "text": "Billig"},
                    ],
                    "cons": [{"group": "Gruppe 2", "text": "Dyrt"}],
                },
                {
                    "alternative": "Vertskommune",
                    "pros": [{"group": "Gruppe 2", "text": "Enkelt"}],
                    "cons": [{"group": "Gruppe 1", "text": "X"}],
                },
            ],
        },
    ]


def test_each_questions_results_and_the_summary(
    client: Client,
    secretariat: Any,
    workshop: Workshop,
    answered: tuple[Question, Question, Question],
    django_assert_max_num_queries: Any,
) -> None:
    sections = _sections(*answered)
    for question, section in zip(answered, sections, strict=True):
        with django_assert_max_num_queries(QUERIES["results"]):
            data = client.get(f"/api/v1/workshop-questions/{question.pk}/results").json()
        assert data == section
    summary = {
        "workshop": workshop.pk,
        "title": "Hankø",
        "date": "2004-03-12",
        "place": "Hankø",
        "groups": ["Gruppe 1", "Gruppe 2", "Gruppe 3"],
        "participants": [],
        "sections": sections,
    }
    with django_assert_max_num_queries(QUERIES["summary"]):
        assert client.get(f"/api/v1/workshops/{workshop.pk}/summary").json() == summary
    login(client, secretariat)
    assert client.get(f"/api/v1/workshops/{workshop.pk}/summary").json() == summary


def test_merges_suggestions_and_an_outcome(
    client: Client, secretariat: Any, answered: tuple[Question, Question, Question]
) -> None:
    ranked = answered[0]
    merge = ranked.merges.get()
    login(client, secretariat)
    assert client.get(f"/api/v1/workshop-questions/{ranked.pk}/merges").json() == [
        {"id": merge.pk, "source": "felles IKT", "target": "IKT-drift", "version": 1}
    ]
    assert client.get(f"/api/v1/workshop-questions/{ranked.pk}/merge-suggestions").json() == [
        {"source": "Skole", "target": "Skoler", "similarity": 0.8636}
    ]
    made = client.post(
        f"/api/v1/workshop-questions/{ranked.pk}/outcomes",
        {"theme": "Skoler", "kind": "proposal"},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    outcome = ranked.outcomes.get(theme="Skoler")
    assert outcome.proposal is not None
    assert made.json() == {
        "id": outcome.pk,
        "question": ranked.pk,
        "theme": "Skoler",
        "kind": "proposal",
        "target": outcome.proposal.pk,
        "title": "Skoler",
    }


def test_a_groups_page_and_an_answer(
    groups: list[Group],
    answered: tuple[Question, Question, Question],
    django_assert_max_num_queries: Any,
) -> None:
    ranked, open_question, pros_cons = answered

    def asked(question: Question, answer: dict[str, Any], **fields: Any) -> dict[str, Any]:
        shown = _question(question, 0, **fields)
        for key in ("order", "answers", "version"):
            del shown[key]
        return {
            **shown,
            "guidance": "",
            "answer": {"question": question.pk, "text": "", "themes": [], "pros_cons": []}
            | answer
            | {"version": 1},
        }

    with django_assert_max_num_queries(QUERIES["group"]):
        page = Client().get(f"/api/v1/workshop-group-links/{groups[0].token}").json()
    assert page == {
        "group": "Gruppe 1",
        "workshop": "Hankø",
        "questions": [
            asked(ranked, {"themes": ["IKT-drift", "Skole"]}, max_themes=3),
            asked(open_question, {"text": "Ja"}),
            asked(
                pros_cons,
                {"pros_cons": [{"pros": "Erfaring", "cons": ""}, {"pros": "", "cons": "X"}]},
                alternatives=["Nytt forsøk i 4 år", "Vertskommune"],
            ),
        ],
    }
    three = Client().get(f"/api/v1/workshop-group-links/{groups[1].token}").json()
    assert [q["answer"] is None for q in three["questions"]] == [False, True, False]
    again = Client().post(
        f"/api/v1/workshop-group-links/{groups[2].token}/answers",
        {"question": open_question.pk, "text": "Kanskje"},
        content_type=JSON,
    )
    assert again.status_code == 200, again.content
    assert again.json() == {
        "question": open_question.pk,
        "text": "Kanskje",
        "themes": [],
        "pros_cons": [],
        "version": 2,
    }


# The queries each read ran before its output became a schema (measured on the hand-written
# dictionaries): a schema must not add any.
QUERIES = {"results": 9, "summary": 17, "group": 3}
