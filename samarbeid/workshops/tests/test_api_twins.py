"""The workshop pages' API twins (issue 18): the API refuses what the page's form refuses,
every list the pages show has a read endpoint, and a DELETE carries the version read
(issue 23)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import Channel
from samarbeid.workshops.models import Group, Participant, Question, ThemeMerge, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.groups import add_group, add_participant, renew_group_link
from samarbeid.workshops.services.themes import merge_suggestions, merge_themes
from samarbeid.workshops.tests.helpers import call

pytestmark = pytest.mark.django_db


def _deleted_with_the_version_read(url: str, record: Participant | ThemeMerge, user: Any) -> None:
    """DELETE `url` (the record) needs the version read: without it 422, with a stale one 409
    and the record stays, with the current one 204 and no record of its kind is left."""
    records = type(record)._default_manager
    assert call("DELETE", url, user).status_code == 422
    records.filter(pk=record.pk).update(version=F("version") + 1)
    assert call("DELETE", f"{url}?version=1", user).status_code == 409
    assert records.filter(pk=record.pk).exists()
    assert call("DELETE", f"{url}?version=2", user).status_code == 204
    assert not records.exists()


def error_fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.content[:400]
    assert response["Content-Type"] == "application/problem+json"
    return {e["loc"][-1] for e in response.json()["errors"] if e["loc"]}


def answered(question: Question, groups: list[Group]) -> None:
    submit_answer(groups[0], question, themes=["IKT-drift", "Skole"])
    submit_answer(groups[1], question, themes=["felles IKT"])


# --- the page's rules on the API -------------------------------------------------------------


def test_a_blank_workshop_title_is_refused_on_the_page_and_in_the_api(
    secretariat: Any, workshop: Workshop
) -> None:
    page = login(Client(), secretariat).post(
        reverse("workshops:create"),
        {"arena": workshop.arena_id, "title": "   ", "date": "2025-04-02", "published": "on"},
    )
    assert page.status_code == 200
    assert "title" in page.context["form"].errors
    body = {"arena": workshop.arena_id, "title": "   ", "date": "2025-04-02"}
    assert error_fields(call("POST", "/api/v1/workshops", secretariat, body)) == {"title"}
    url = f"/api/v1/workshops/{workshop.pk}"
    assert error_fields(call("PATCH", url, secretariat, {"version": 1, "title": " "})) == {"title"}
    assert Workshop.objects.get().title == "Hankø"


def test_a_blank_participant_name_is_refused_on_the_page_and_in_the_api(
    secretariat: Any, workshop: Workshop
) -> None:
    page = login(Client(), secretariat).post(
        reverse("workshops:participant_create", args=[workshop.pk]), {"name": "  "}
    )
    assert page.status_code == 200
    assert "name" in page.context["form"].errors
    url = f"/api/v1/workshops/{workshop.pk}/participants"
    assert error_fields(call("POST", url, secretariat, {"name": "  "})) == {"name"}
    assert not Participant.objects.exists()


def test_a_blank_question_is_refused_on_the_page_and_in_the_api(
    secretariat: Any, workshop: Workshop, ranked: Question
) -> None:
    fields = {"order": 1, "kind": "open", "text": "   ", "min_themes": 1, "max_themes": 5}
    page = login(Client(), secretariat).post(
        reverse("workshops:question_create", args=[workshop.pk]), fields
    )
    assert page.status_code == 200
    assert "text" in page.context["form"].errors
    url = f"/api/v1/workshops/{workshop.pk}/questions"
    assert error_fields(call("POST", url, secretariat, {"kind": "open", "text": "   "})) == {"text"}
    patch = call(
        "PATCH",
        f"/api/v1/workshop-questions/{ranked.pk}",
        secretariat,
        {
            "version": 1,
            "text": "\t",
        },
    )
    assert error_fields(patch) == {"text"}
    assert list(Question.objects.values_list("text", flat=True)) == [ranked.text]


def test_a_merge_names_the_themes_as_the_page_offers_them(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    """The themes page offers the themes as written; the API took any spelling that
    normalised to one ("FELLES ikt") and stored it so."""
    answered(ranked, groups)
    page = login(Client(), secretariat).post(
        reverse("workshops:themes", args=[ranked.pk]),
        {"action": "merge", "merge-source": "FELLES ikt", "merge-target": "IKT-drift"},
    )
    assert page.status_code == 200
    assert "source" in page.context["merge_form"].errors
    url = f"/api/v1/workshop-questions/{ranked.pk}/merges"
    body = {"source": "FELLES ikt", "target": "IKT-drift"}
    assert error_fields(call("POST", url, secretariat, body)) == {"source"}
    assert not ThemeMerge.objects.exists()


# --- DELETE carries the version read -----------------------------------------------------------


def test_deleting_a_group_needs_the_version_read(secretariat: Any, workshop: Workshop) -> None:
    group = add_group(workshop, "Gruppe X", actor=secretariat, channel=Channel.COMMAND)
    url = f"/api/v1/workshop-groups/{group.pk}"
    assert call("DELETE", url, secretariat).status_code == 422
    renew_group_link(group, actor=secretariat, channel=Channel.COMMAND)  # someone renews it
    stale = call("DELETE", f"{url}?version=1", secretariat)
    assert stale.status_code == 409, stale.content
    assert Group.objects.filter(pk=group.pk).exists()
    assert call("DELETE", f"{url}?version=2", secretariat).status_code == 204
    assert not Group.objects.filter(pk=group.pk).exists()


def test_deleting_a_participant_needs_the_version_read(
    secretariat: Any, workshop: Workshop
) -> None:
    participant = add_participant(
        Participant(workshop=workshop, name="Kari"), actor=secretariat, channel=Channel.COMMAND
    )
    _deleted_with_the_version_read(
        f"/api/v1/workshop-participants/{participant.pk}", participant, secretariat
    )


def test_undoing_a_merge_needs_the_version_read(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    answered(ranked, groups)
    merge = merge_themes(
        ranked, "felles IKT", "IKT-drift", actor=secretariat, channel=Channel.COMMAND
    )
    _deleted_with_the_version_read(f"/api/v1/workshop-merges/{merge.pk}", merge, secretariat)


# --- read endpoints for the pages' lists -------------------------------------------------------


def test_questions_of_a_workshop_and_one_question(
    secretariat: Any, workshop: Workshop, ranked: Question, open_question: Question
) -> None:
    listed = Client().get(f"/api/v1/workshops/{workshop.pk}/questions").json()
    assert [q["id"] for q in listed] == list(workshop.questions.values_list("pk", flat=True))
    assert {q["id"] for q in listed} == {open_question.pk, ranked.pk}
    assert all(q["guidance"] == "" and q["workshop"] == workshop.pk for q in listed)
    one = Client().get(f"/api/v1/workshop-questions/{ranked.pk}").json()
    assert (one["workshop"], one["label"], one["version"]) == (workshop.pk, "B", 1)
    assert Client().get("/api/v1/workshop-questions/999999").status_code == 404
    Workshop.objects.filter(pk=workshop.pk).update(published=False)
    assert Client().get(f"/api/v1/workshops/{workshop.pk}/questions").status_code == 404
    assert Client().get(f"/api/v1/workshop-questions/{ranked.pk}").status_code == 404
    assert call("GET", f"/api/v1/workshop-questions/{ranked.pk}", secretariat).status_code == 200


def test_groups_are_listed_without_links_which_only_the_facilitator_reads(
    secretariat: Any, coordinator: Any, groups: list[Group], workshop: Workshop
) -> None:
    listed = Client().get(f"/api/v1/workshops/{workshop.pk}/groups").json()
    assert [(g["name"], g["answers"], g["version"]) for g in listed] == [
        ("Gruppe 1", 0, 1),
        ("Gruppe 2", 0, 1),
        ("Gruppe 3", 0, 1),
    ]
    assert all("link" not in g for g in listed)
    links = f"/api/v1/workshops/{workshop.pk}/group-links"
    assert call("GET", links).status_code == 401
    assert call("GET", links, coordinator).status_code == 403
    response = call("GET", links, secretariat)
    assert response.status_code == 200
    assert [
        g["link"].endswith(g_.get_group_url())
        for g, g_ in zip(response.json(), groups, strict=True)
    ] == [True, True, True]


def test_participants_are_listed_for_the_organisation_only(
    secretariat: Any, reader: Any, workshop: Workshop, groups: list[Group], larvik: Any
) -> None:
    add_participant(
        Participant(workshop=workshop, name="Kari", municipality=larvik, group=groups[0]),
        actor=secretariat,
        channel=Channel.COMMAND,
    )
    url = f"/api/v1/workshops/{workshop.pk}/participants"
    assert Client().get(url).json() == []
    [kari] = call("GET", url, reader).json()
    assert kari | {"id": 0} == {
        "id": 0,
        "name": "Kari",
        "municipality": "3909",
        "group": "Gruppe 1",
        "group_id": groups[0].pk,
        "role": "",
        "version": 1,
    }


def test_merges_suggestions_and_the_summary(
    secretariat: Any,
    reader: Any,
    workshop: Workshop,
    groups: list[Group],
    ranked: Question,
    open_question: Question,
) -> None:
    answered(ranked, groups)
    suggestions = f"/api/v1/workshop-questions/{ranked.pk}/merge-suggestions"
    assert call("GET", suggestions, reader).status_code == 403
    found = call("GET", suggestions, secretariat).json()
    assert [(s["source"], s["target"]) for s in found] == [
        (a, b) for a, b, _ in merge_suggestions(ranked)
    ]
    merge = merge_themes(
        ranked, "felles IKT", "IKT-drift", actor=secretariat, channel=Channel.COMMAND
    )
    merges = Client().get(f"/api/v1/workshop-questions/{ranked.pk}/merges").json()
    assert merges == [{"id": merge.pk, "source": "felles IKT", "target": "IKT-drift", "version": 1}]
    summary = Client().get(f"/api/v1/workshops/{workshop.pk}/summary").json()
    assert (summary["title"], summary["date"]) == ("Hankø", "2004-03-12")
    assert summary["groups"] == ["Gruppe 1", "Gruppe 2", "Gruppe 3"]
    sections = {s["question"]["id"]: s for s in summary["sections"]}
    assert list(sections) == list(workshop.questions.values_list("pk", flat=True))
    assert sections[open_question.pk]["answers"] == []
    top = sections[ranked.pk]["themes"][0]
    assert (top["label"], top["groups"], top["outcomes"]) == ("IKT-drift", 2, [])
    assert Client().get("/api/v1/workshops/999999/summary").status_code == 404


def test_lists_run_the_same_queries_whatever_their_size(
    secretariat: Any, workshop: Workshop
) -> None:
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert call("GET", url, secretariat).status_code == 200
        return len(captured)

    urls = [
        f"/api/v1/workshops/{workshop.pk}/questions",
        f"/api/v1/workshops/{workshop.pk}/groups",
        f"/api/v1/workshops/{workshop.pk}/participants",
    ]
    add_group(workshop, "A", actor=secretariat, channel=Channel.COMMAND)
    small = [queries(url) for url in urls]
    for n in range(5):
        group = add_group(workshop, f"G{n}", actor=secretariat, channel=Channel.COMMAND)
        add_participant(
            Participant(workshop=workshop, name=f"P{n}", group=group),
            actor=secretariat,
            channel=Channel.COMMAND,
        )
        Question.objects.create(workshop=workshop, kind="open", text=f"Q{n}")
    assert [queries(url) for url in urls] == small


# --- the group's own page as an API: the link is the permission --------------------------------


def test_a_group_reads_its_page_and_answers_through_its_link(
    reader: Any,
    groups: list[Group],
    ranked: Question,
    open_question: Question,
    pros_cons: Question,
) -> None:
    token = groups[0].token
    page = Client().get(f"/api/v1/workshop-group-links/{token}").json()
    assert page["group"] == "Gruppe 1"
    assert {q["id"] for q in page["questions"]} == {ranked.pk, open_question.pk, pros_cons.pk}
    url = f"/api/v1/workshop-group-links/{token}/answers"
    response = call("POST", url, None, {"question": ranked.pk, "themes": ["IKT", "Skole"]})
    assert response.status_code == 200, response.content
    assert (response.json()["themes"], response.json()["version"]) == (["IKT", "Skole"], 1)
    # again: the answer is replaced, as on the page
    again = call("POST", url, reader, {"question": ranked.pk, "themes": ["Skole"]})
    assert (again.json()["themes"], again.json()["version"]) == (["Skole"], 2)
    answer = call("POST", url, None, {"question": open_question.pk, "text": "Ja"})
    assert answer.json()["text"] == "Ja"
    both = [{"pros": "Billig", "cons": ""}, {"pros": "", "cons": "Tregt"}]
    saved = call("POST", url, None, {"question": pros_cons.pk, "pros_cons": both})
    assert saved.json()["pros_cons"] == both
    page = Client().get(f"/api/v1/workshop-group-links/{token}").json()
    answers = {q["id"]: q["answer"] for q in page["questions"]}
    assert answers[open_question.pk]["text"] == "Ja"
    assert groups[0].answers.count() == 3


def test_a_group_answer_keeps_the_pages_rules(
    groups: list[Group], ranked: Question, open_question: Question, secretariat: Any
) -> None:
    """Ranked: the page's form wants the first theme (min 1) and at most max_themes (3);
    each theme at most 80 characters; a closed question and a draft refuse."""
    url = f"/api/v1/workshop-group-links/{groups[0].token}/answers"
    assert error_fields(call("POST", url, None, {"question": ranked.pk, "themes": []})) == {
        "theme_1"
    }
    four = {"question": ranked.pk, "themes": ["a", "b", "c", "d"]}
    assert error_fields(call("POST", url, None, four)) == {"themes"}
    assert error_fields(call("POST", url, None, {"question": open_question.pk, "text": " "})) == {
        "text"
    }
    Question.objects.filter(pk=open_question.pk).update(status=Question.Status.CLOSED)
    closed = call("POST", url, None, {"question": open_question.pk, "text": "Ja"})
    assert closed.status_code == 422
    Question.objects.filter(pk=open_question.pk).update(status=Question.Status.DRAFT)
    assert call("POST", url, None, {"question": open_question.pk, "text": "Ja"}).status_code == 404
    assert not groups[0].answers.exists()


@pytest.mark.usefixtures("still_minute")
def test_a_wrong_or_renewed_link_is_404_and_the_rate_is_limited(
    secretariat: Any, groups: list[Group], open_question: Question
) -> None:
    old = groups[0].token
    body = {"question": open_question.pk, "text": "Ja"}
    assert call("POST", "/api/v1/workshop-group-links/feil/answers", None, body).status_code == 404
    renew_group_link(groups[0], actor=secretariat, channel=Channel.COMMAND)
    assert call("POST", f"/api/v1/workshop-group-links/{old}/answers", None, body).status_code == (
        404
    )
    assert Client().get(f"/api/v1/workshop-group-links/{old}").status_code == 404
    url = f"/api/v1/workshop-group-links/{groups[0].token}/answers"
    statuses = [call("POST", url, None, body).status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]
