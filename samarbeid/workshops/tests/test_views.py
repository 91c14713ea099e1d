from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login
from samarbeid.audit.models import Channel
from samarbeid.workshops.models import Answer, Group, Participant, Question, ThemeMerge, Workshop
from samarbeid.workshops.services.answers import RATE_LIMIT, submit_answer
from samarbeid.workshops.services.themes import merge_themes, theme_to_project
from samarbeid.workshops.services.workshops import (
    create_question,
    create_workshop,
    set_question_status,
    update_workshop,
)

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


def group_url(group: Group) -> str:
    return reverse("workshops:group_page", args=[group.token])


# --- facilitator pages --------------------------------------------------------------------------


def test_index_and_detail_are_public(client: Client, workshop: Workshop) -> None:
    response = client.get(reverse("workshops:index"))
    assert response.status_code == 200
    assert "Hankø" in response.content.decode()
    assert client.get(workshop.get_absolute_url()).status_code == 200


def test_index_query_count_is_constant(
    client: Client, secretariat: Any, workshop: Workshop, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("workshops:index"))
    for n in range(5):
        create_workshop(
            Workshop(arena=workshop.arena, title=f"S{n}", date=date(2005, 1, n + 1)),
            actor=secretariat,
        )
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("workshops:index"))
    assert len(first) == len(second)


def test_unpublished_workshop_is_hidden(
    client: Client, secretariat: Any, workshop: Workshop
) -> None:
    update_workshop(workshop, {"published": False}, expected_version=None, actor=secretariat)
    assert client.get(workshop.get_absolute_url()).status_code == 404
    assert client.get(reverse("workshops:summary", args=[workshop.pk])).status_code == 404
    assert workshop.title not in client.get(reverse("workshops:index")).content.decode()


def test_create_workshop(secretariat_client: Client, workshop: Workshop) -> None:
    url = reverse("workshops:create")
    assert secretariat_client.get(url).status_code == 200
    response = secretariat_client.post(
        url,
        {
            "arena": workshop.arena.pk,
            "title": "Ny samling",
            "date": "2024-05-02",
            "published": "on",
        },
    )
    created = Workshop.objects.get(title="Ny samling")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    bad = secretariat_client.post(
        url,
        {
            "arena": workshop.arena.pk,
            "title": "Feil",
            "date": "2024-05-02",
            "links_expire": "2024-05-01",
        },
    )
    assert bad.status_code == 200
    assert "Lenkene kan ikke utløpe" in bad.content.decode()


def test_outsiders_cannot_facilitate(
    client: Client, coordinator: Any, workshop: Workshop, groups: list[Group], ranked: Question
) -> None:
    assert client.get(reverse("workshops:create")).status_code == 302  # anonymous → log in
    login(client, coordinator)
    for url in (
        reverse("workshops:create"),
        reverse("workshops:edit", args=[workshop.pk]),
        reverse("workshops:links", args=[workshop.pk]),
        reverse("workshops:group_qr", args=[groups[0].pk]),
        reverse("workshops:question_create", args=[workshop.pk]),
        reverse("workshops:themes", args=[ranked.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("workshops:question_status", args=[ranked.pk]), {"status": "closed"}
    )
    assert response.status_code == 403
    assert client.post(reverse("workshops:group_renew", args=[groups[0].pk])).status_code == 403


def test_edit_workshop(secretariat_client: Client, workshop: Workshop) -> None:
    url = reverse("workshops:edit", args=[workshop.pk])
    response = secretariat_client.post(
        url,
        {
            "arena": workshop.arena.pk,
            "title": "Hankø 2004",
            "date": "2004-03-12",
            "version": workshop.version,
        },
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Hankø 2004"
    stale = secretariat_client.post(
        url, {"arena": workshop.arena.pk, "title": "X", "date": "2004-03-12", "version": 1}
    )
    assert stale.status_code == 200
    assert "endret av noen andre" in stale.content.decode()


def test_groups_participants_and_questions(
    secretariat_client: Client, workshop: Workshop, larvik: Any
) -> None:
    response = secretariat_client.post(
        reverse("workshops:group_create", args=[workshop.pk]), {"name": "Gruppe A"}
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Gruppe A")
    again = secretariat_client.post(
        reverse("workshops:group_create", args=[workshop.pk]), {"name": "Gruppe A"}
    )
    assert again.status_code == 200
    assert "allerede" in again.content.decode()
    response = secretariat_client.post(
        reverse("workshops:participant_create", args=[workshop.pk]),
        {"name": "Kari Nordmann", "municipality": larvik.pk, "group": group.pk},
    )
    assert response.status_code == 302
    participant = Participant.objects.get(name="Kari Nordmann")
    assert participant.group == group
    assert participant.municipality == larvik
    bad = secretariat_client.post(reverse("workshops:participant_create", args=[workshop.pk]), {})
    assert bad.status_code == 200
    response = secretariat_client.post(
        reverse("workshops:question_create", args=[workshop.pk]),
        {
            "label": "B",
            "order": 2,
            "kind": "ranked",
            "text": "Tema?",
            "min_themes": 3,
            "max_themes": 5,
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(text="Tema?")
    assert question.status == Question.Status.DRAFT
    bad = secretariat_client.post(
        reverse("workshops:question_create", args=[workshop.pk]),
        {"order": 3, "kind": "pros_cons", "text": "?", "min_themes": 1, "max_themes": 5},
    )
    assert bad.status_code == 200
    assert "alternativ" in bad.content.decode()
    bad = secretariat_client.post(
        reverse("workshops:question_create", args=[workshop.pk]),
        {"order": 3, "kind": "ranked", "text": "?", "min_themes": 4, "max_themes": 3},
    )
    assert bad.status_code == 200
    response = secretariat_client.post(
        reverse("workshops:question_status", args=[question.pk]), {"status": "open"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN
    detail = secretariat_client.get(workshop.get_absolute_url()).content.decode()
    assert "Kari Nordmann" in detail
    assert "Gruppe A" in detail
    secretariat_client.post(
        reverse("workshops:participant_delete", args=[participant.pk]),
        {"version": participant.version},
    )
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_links_page_and_qr(
    secretariat_client: Client, workshop: Workshop, groups: list[Group]
) -> None:
    page = secretariat_client.get(reverse("workshops:links", args=[workshop.pk]))
    assert page.status_code == 200
    assert groups[0].token in page.content.decode()
    qr = secretariat_client.get(reverse("workshops:group_qr", args=[groups[0].pk]))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    old = groups[0].token
    secretariat_client.post(reverse("workshops:group_renew", args=[groups[0].pk]))
    assert secretariat_client.get(f"/samlinger/g/{old}/").status_code == 404


# --- the group's page ---------------------------------------------------------------------------


def test_group_page_submit_and_edit(
    client: Client, groups: list[Group], ranked: Question, open_question: Question
) -> None:
    url = group_url(groups[0])
    page = client.get(url)
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    body = page.content.decode()
    assert ranked.text in body
    assert open_question.text in body
    response = client.post(
        url,
        {
            "question": ranked.pk,
            f"q{ranked.pk}-theme_1": "IKT-drift",
            f"q{ranked.pk}-theme_2": "Skole",
        },
    )
    assert response.status_code == 302
    assert Answer.objects.get(group=groups[0], question=ranked).themes == ["IKT-drift", "Skole"]
    response = client.post(url, {"question": ranked.pk, f"q{ranked.pk}-theme_1": "Vei"})
    assert Answer.objects.get(group=groups[0], question=ranked).themes == ["Vei"]
    response = client.post(url, {"question": open_question.pk, f"q{open_question.pk}-text": "Ja"})
    assert response.status_code == 302
    # the page shows the group's own answer back
    assert "Vei" in client.get(url).content.decode()


def test_group_page_validation(
    client: Client, groups: list[Group], ranked: Question, open_question: Question
) -> None:
    url = group_url(groups[0])
    response = client.post(url, {"question": ranked.pk, f"q{ranked.pk}-theme_1": ""})
    assert response.status_code == 422
    response = client.post(
        url, {"question": open_question.pk, f"q{open_question.pk}-text": "x" * 2001}
    )
    assert response.status_code == 422
    response = client.post(
        url, {"question": ranked.pk, f"q{ranked.pk}-theme_1": "IKT", f"q{ranked.pk}-theme_2": "ikt"}
    )
    assert response.status_code == 422
    assert "to ganger" in response.content.decode()
    assert not Answer.objects.exists()


def test_closed_question_refuses_answers(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    url = group_url(groups[0])
    client.post(url, {"question": ranked.pk, f"q{ranked.pk}-theme_1": "IKT"})
    set_question_status(ranked, Question.Status.CLOSED, actor=secretariat)
    response = client.post(url, {"question": ranked.pk, f"q{ranked.pk}-theme_1": "Skole"})
    assert response.status_code == 422
    assert "lukket" in response.content.decode()
    assert Answer.objects.get().themes == ["IKT"]
    page = client.get(url).content.decode()
    assert "Spørsmålet er lukket" in page
    assert "IKT" in page


def test_draft_question_is_not_shown(
    client: Client, secretariat: Any, workshop: Workshop, groups: list[Group]
) -> None:
    question = create_question(
        Question(workshop=workshop, kind="open", text="Hemmelig utkast"), actor=secretariat
    )
    url = group_url(groups[0])
    assert "Hemmelig utkast" not in client.get(url).content.decode()
    response = client.post(url, {"question": question.pk, f"q{question.pk}-text": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("token", ["feil", "a" * 43, "x" * 300])
def test_wrong_token_is_404(client: Client, groups: list[Group], token: str) -> None:
    response = client.get(f"/samlinger/g/{token}/")
    assert response.status_code == 404
    assert "Gruppe" not in response.content.decode()
    assert client.post(f"/samlinger/g/{token}/", {"question": 1}).status_code == 404


def test_expired_token_is_404(
    client: Client, secretariat: Any, workshop: Workshop, groups: list[Group]
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    update_workshop(
        workshop,
        {"date": yesterday - timedelta(days=1), "links_expire": yesterday},
        expected_version=None,
        actor=secretariat,
    )
    response = client.get(group_url(groups[0]))
    assert response.status_code == 404
    assert workshop.title not in response.content.decode()


def test_group_cannot_see_or_change_another_groups_answer(
    client: Client, groups: list[Group], ranked: Question
) -> None:
    submit_answer(groups[1], ranked, themes=["Hemmelig tema"])
    url = group_url(groups[0])
    assert "Hemmelig tema" not in client.get(url).content.decode()
    # posting (even with the other group's id smuggled in) only ever writes the own answer
    client.post(
        url,
        {"question": ranked.pk, "group": groups[1].pk, f"q{ranked.pk}-theme_1": "Mitt tema"},
    )
    assert Answer.objects.get(group=groups[1]).themes == ["Hemmelig tema"]
    assert Answer.objects.get(group=groups[0]).themes == ["Mitt tema"]


def test_question_of_another_workshop_is_404(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    other = create_workshop(
        Workshop(arena=ranked.workshop.arena, title="Annen", date=date(2005, 1, 1)),
        actor=secretariat,
    )
    foreign = create_question(
        Question(workshop=other, kind="open", text="?", status="open"), actor=secretariat
    )
    response = client.post(
        group_url(groups[0]), {"question": foreign.pk, f"q{foreign.pk}-text": "x"}
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.usefixtures("still_minute")
def test_rate_limit_gives_429(client: Client, groups: list[Group], open_question: Question) -> None:
    url = group_url(groups[0])
    data = {"question": open_question.pk, f"q{open_question.pk}-text": "Ja"}
    for _ in range(RATE_LIMIT):
        assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 429
    # another group is not affected
    assert client.post(group_url(groups[1]), data).status_code == 302


def test_text_is_escaped_everywhere(
    client: Client,
    secretariat: Any,
    groups: list[Group],
    ranked: Question,
    open_question: Question,
    pros_cons: Question,
) -> None:
    submit_answer(groups[0], ranked, themes=[XSS])
    submit_answer(groups[0], open_question, text=XSS)
    submit_answer(groups[0], pros_cons, pros_cons=[{"pros": XSS}, {"cons": XSS}])
    login(client, secretariat)
    workshop = ranked.workshop
    urls = [
        group_url(groups[0]),
        reverse("workshops:plenary", args=[ranked.pk]),
        reverse("workshops:plenary_results", args=[ranked.pk]),
        reverse("workshops:plenary_results", args=[open_question.pk]),
        reverse("workshops:plenary_results", args=[pros_cons.pk]),
        reverse("workshops:themes", args=[ranked.pk]),
        reverse("workshops:summary", args=[workshop.pk]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;" in body, url


# --- plenary ------------------------------------------------------------------------------------


def test_plenary_page_polls_the_partial(client: Client, ranked: Question) -> None:
    body = client.get(reverse("workshops:plenary", args=[ranked.pk])).content.decode()
    partial = reverse("workshops:plenary_results", args=[ranked.pk])
    assert f'hx-get="{partial}"' in body
    assert 'hx-trigger="every 3s"' in body


def test_plenary_partial_ranks_themes(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    submit_answer(groups[0], ranked, themes=["IKT-drift", "Skole"])
    submit_answer(groups[1], ranked, themes=["Skole", "felles IKT"])
    submit_answer(groups[2], ranked, themes=["Skole"])
    url = reverse("workshops:plenary_results", args=[ranked.pk])
    body = client.get(url).content.decode()
    assert "<html" not in body  # a fragment
    assert "3 av 3 grupper har svart" in body
    assert body.index("Skole") < body.index("IKT-drift")
    merge_themes(ranked, "felles IKT", "IKT-drift", actor=secretariat)
    body = client.get(url).content.decode()
    assert "felles IKT" in body  # shown as a variant
    assert "også skrevet som" in body
    rows = body.split("<tr>")[2:]
    assert ("Skole" in rows[0] and "<td>3</td>" in rows[0]) or "3</td>" in rows[0]
    assert "IKT-drift" in rows[1]


def test_plenary_partial_pros_cons_side_by_side(
    client: Client, groups: list[Group], pros_cons: Question
) -> None:
    submit_answer(
        groups[0], pros_cons, pros_cons=[{"pros": "Kontinuitet", "cons": "Usikkerhet"}, {}]
    )
    body = client.get(reverse("workshops:plenary_results", args=[pros_cons.pk])).content.decode()
    assert "Fordeler" in body
    assert "Ulemper" in body
    assert body.index("Kontinuitet") < body.index("Usikkerhet") < body.index("Vertskommune")


def test_plenary_of_hidden_workshop_is_404(
    client: Client, secretariat: Any, ranked: Question
) -> None:
    update_workshop(ranked.workshop, {"published": False}, expected_version=None, actor=secretariat)
    assert client.get(reverse("workshops:plenary_results", args=[ranked.pk])).status_code == 404


# --- themes page --------------------------------------------------------------------------------


def test_themes_page_merge_undo_and_outcome(
    secretariat_client: Client, groups: list[Group], ranked: Question
) -> None:
    submit_answer(groups[0], ranked, themes=["Felles IKT-drift", "Kultur"])
    submit_answer(groups[1], ranked, themes=["IKT-drift"])
    url = reverse("workshops:themes", args=[ranked.pk])
    page = secretariat_client.get(url).content.decode()
    assert "Forslag til sammenslåing" in page
    assert "IKT-drift" in page
    response = secretariat_client.post(
        url, {"action": "merge", "merge-source": "IKT-drift", "merge-target": "Felles IKT-drift"}
    )
    assert response.status_code == 302
    merge = ThemeMerge.objects.get()
    bad = secretariat_client.post(
        url, {"action": "merge", "merge-source": "Kultur", "merge-target": "Kultur"}
    )
    assert bad.status_code == 200
    assert "seg selv" in bad.content.decode()
    merge.refresh_from_db()
    secretariat_client.post(url, {"action": "undo", "merge": merge.pk, "version": merge.version})
    assert not ThemeMerge.objects.exists()
    response = secretariat_client.post(
        url, {"action": "outcome", "out-theme": "Kultur", "out-kind": "project", "out-code": ""}
    )
    assert response.status_code == 200
    assert "prosjektkode" in response.content.decode()
    response = secretariat_client.post(
        url,
        {"action": "outcome", "out-theme": "Kultur", "out-kind": "project", "out-code": "K-1"},
    )
    assert response.status_code == 302
    page = secretariat_client.get(url).content.decode()
    assert "K-1" in page
    response = secretariat_client.post(
        url, {"action": "outcome", "out-theme": "IKT-drift", "out-kind": "proposal"}
    )
    assert response.status_code == 302
    assert ranked.outcomes.count() == 2
    assert secretariat_client.post(url, {"action": "bogus"}).status_code == 404


def test_themes_page_only_for_ranked(secretariat_client: Client, open_question: Question) -> None:
    response = secretariat_client.get(reverse("workshops:themes", args=[open_question.pk]))
    assert response.status_code == 404


# --- summary ------------------------------------------------------------------------------------


def test_summary_page_and_pdf(
    client: Client,
    groups: list[Group],
    ranked: Question,
    open_question: Question,
    pros_cons: Question,
) -> None:
    from pypdf import PdfReader

    submit_answer(groups[0], ranked, themes=["Digital kompetanse i skolen", "Energi"])
    submit_answer(groups[1], ranked, themes=["Digital kompetanse i skolen"])
    submit_answer(groups[0], open_question, text="Bred enighet om strategiene")
    submit_answer(groups[0], pros_cons, pros_cons=[{"pros": "Kontinuitet"}, {}])
    workshop = ranked.workshop
    page = client.get(reverse("workshops:summary", args=[workshop.pk])).content.decode()
    assert "Flere grupper prioriterte" in page
    assert page.index("Digital kompetanse i skolen") < page.index("Øvrige nevnte områder")
    assert page.index("Øvrige nevnte områder") < page.index("Energi")
    response = client.get(reverse("workshops:summary_pdf", args=[workshop.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Hankø",
        "Digital kompetanse i skolen",
        "Bred enighet om strategiene",
        "Kontinuitet",
        "Flere grupper prioriterte",
    ):
        assert expected in text, expected


def test_anonymous_channel_for_group_answers(groups: list[Group], open_question: Question) -> None:
    answer = submit_answer(groups[0], open_question, text="Ja", channel=Channel.PAGE)
    assert answer.group == groups[0]


def test_closed_pros_cons_shows_own_answer_by_alternative(
    client: Client, secretariat: Any, groups: list[Group], pros_cons: Question
) -> None:
    submit_answer(groups[0], pros_cons, pros_cons=[{"pros": "Kontinuitet"}, {}])
    set_question_status(pros_cons, Question.Status.CLOSED, actor=secretariat)
    body = client.get(group_url(groups[0])).content.decode()
    assert "<dt>Nytt forsøk i 4 år</dt>" in body
    assert "Kontinuitet" in body


def test_group_page_with_csrf_enforced(groups: list[Group], open_question: Question) -> None:
    client = Client(enforce_csrf_checks=True)
    url = group_url(groups[0])
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(
        url,
        {
            "question": open_question.pk,
            f"q{open_question.pk}-text": "Ja",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302


def test_unpublished_project_link_is_hidden_from_the_public(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    from samarbeid.portfolio.models import Project

    submit_answer(groups[0], ranked, themes=["Kultur"])
    outcome = theme_to_project(ranked, "Kultur", code="HEMMELIG-1", actor=secretariat)
    url = reverse("workshops:plenary_results", args=[ranked.pk])
    assert "HEMMELIG-1" in client.get(url).content.decode()
    assert outcome.project is not None
    Project.objects.filter(pk=outcome.project.pk).update(published=False)
    assert "HEMMELIG-1" not in client.get(url).content.decode()
    login(client, secretariat)
    assert "HEMMELIG-1" in client.get(url).content.decode()
