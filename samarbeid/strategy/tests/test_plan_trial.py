"""What a clerk's trial found on plans: a sent or adopted plan could still be retitled and
re-dated; a goal's number had three rules in three words; a part's «Endre» and «Slett» sat in
a list under the goals table, styled apart; a title that says its period showed it twice; a
new plan was published from its first save."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.strategy.models import Goal, PlanItem, StrategicPlan
from samarbeid.strategy.services.plans import add_goal, update_plan
from samarbeid.strategy.tests.helpers import area, arena_of, call, goal, plan

pytestmark = pytest.mark.django_db

SENT = "Planen er sendt til politisk behandling og kan ikke lenger endres."
ADOPTED = "Planen er vedtatt og kan ikke lenger endres."
EXPIRED = "Planen er utløpt og kan ikke lenger endres."
# why a plan past its draft is not changed, by where it is
LOCKED: dict[str, str] = {
    StrategicPlan.Status.SENT: SENT,
    StrategicPlan.Status.ADOPTED: ADOPTED,
    StrategicPlan.Status.EXPIRED: EXPIRED,
}
RULE = "Målets nummer er et helt tall fra 1 til 999."
NOT_SENT = [StrategicPlan.Status.SENT, StrategicPlan.Status.ADOPTED, StrategicPlan.Status.EXPIRED]


def _errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# 1. A sent plan's content ----------------------------------------------------------------


@pytest.mark.parametrize("status", NOT_SENT)
def test_the_service_keeps_a_sent_plans_content_but_not_its_publishing(
    secretariat: Any, status: str
) -> None:
    p = plan(arena_of(["3909"]), 2008, 2011, title="12K", status=status, summary="Vedtatt")
    for changes in ({"title": "Ny"}, {"first_year": 2009}, {"last_year": 2012}, {"summary": ""}):
        with pytest.raises(ValidationError) as refused:
            update_plan(p, changes, expected_version=1, actor=secretariat)
        assert refused.value.messages == [LOCKED[status]]
    stored = StrategicPlan.objects.get(pk=p.pk)
    assert (stored.title, stored.first_year, stored.last_year, stored.summary) == (
        "12K",
        2008,
        2011,
        "Vedtatt",
    )
    assert stored.version == 1
    # what the councils adopted, sent again unchanged beside the publishing, is no change
    update_plan(
        stored,
        {"title": "12K", "first_year": 2008, "published": False},
        expected_version=1,
        actor=secretariat,
    )
    stored.refresh_from_db()
    assert (stored.published, stored.version) == (False, 2)


def test_the_api_refuses_a_sent_plans_content_and_publishes_it(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]), 2008, 2011, title="12K", status=StrategicPlan.Status.ADOPTED)
    login(client, secretariat)
    url = f"/strategic-plans/{p.pk}"
    for changes in ({"first_year": 2009}, {"title": "Endret"}, {"summary": "Ny tekst"}):
        refused = call(client, "PATCH", url, {"version": 1, **changes})
        assert refused.status_code == 422, refused.content[:300]
        assert ADOPTED in refused.json()["detail"]
        assert "sendt" not in refused.json()["detail"]
    published = call(client, "PATCH", url, {"version": 1, "published": False})
    assert published.status_code == 200, published.content[:300]
    p.refresh_from_db()
    assert (p.first_year, p.title, p.published) == (2008, "12K", False)


def test_a_sent_plans_page_offers_only_its_publishing_a_drafts_all(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]), title="12K", status=StrategicPlan.Status.SENT, published=False)
    edit = reverse("strategy:plan_edit", args=[p.pk])
    login(client, secretariat)
    html = client.get(p.get_absolute_url()).content.decode()
    assert "Endre plan" not in html
    assert f'href="{edit}">Endre publisering</a>' in html

    page = client.get(edit)
    assert page.status_code == 200
    form_html = page.content.decode()
    assert SENT in form_html
    assert 'name="published"' in form_html
    assert not any(f'name="{n}"' in form_html for n in ("title", "first_year", "summary"))

    saved = client.post(edit, {"version": 1, "published": "on", "title": "Ny tittel"})
    assert saved.status_code == 302
    p.refresh_from_db()
    assert (p.published, p.title, p.version) == (True, "12K", 2)

    draft = plan(p.arena, title="12K utkast")
    edit = reverse("strategy:plan_edit", args=[draft.pk])
    assert f'href="{edit}">Endre plan</a>' in client.get(draft.get_absolute_url()).content.decode()
    response = client.post(
        edit, {"version": 1, "title": "12K ny", "first_year": 2022, "last_year": 2025}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.first_year, draft.published) == ("12K ny", 2022, False)


@pytest.mark.parametrize("status", NOT_SENT)
def test_every_place_the_lock_is_shown_says_where_the_plan_is(
    client: Client, secretariat: Any, status: str
) -> None:
    """Sent, adopted or expired: the plan's edit page, an add page's way back to the plan and
    the API's problem detail say the same words, the plan's own (an adopted plan is not
    «sendt til politisk behandling»)."""
    p = plan(arena_of(["3909"]), title="12K", status=status)
    said = LOCKED[status]
    others = [words for words in LOCKED.values() if words != said]
    login(client, secretariat)
    edit = client.get(reverse("strategy:plan_edit", args=[p.pk])).content.decode()
    back = client.get(reverse("strategy:goal_create", args=[p.pk]), follow=True)
    assert back.redirect_chain == [(p.get_absolute_url(), 302)]
    refused = call(client, "POST", f"/strategic-plans/{p.pk}/goals", {"title": "Nytt"})
    assert refused.status_code == 422, refused.content[:300]
    detail = refused.json()["detail"]
    for shown in (edit, back.content.decode(), detail):
        assert said in shown
        assert not any(other in shown for other in others)


# 2. A goal's number ---------------------------------------------------------------------


def test_a_goal_number_has_one_rule_on_the_page(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    first = goal(p, 1)
    login(client, secretariat)
    create = reverse("strategy:goal_create", args=[p.pk])
    edit = reverse("strategy:part_edit", args=["mal", first.pk])
    for number in ("-1", "0", "1000", "99999999999", "1,5", "en"):
        assert _errors(client.post(create, {"number": number, "title": "Nytt"})) == {
            "number": [RULE]
        }, number
        assert _errors(client.post(edit, {"version": 1, "number": number, "title": "Mål"})) == {
            "number": [RULE]
        }, number
    assert client.post(create, {"number": "", "title": "Neste"}).status_code == 302
    assert client.post(create, {"number": "999", "title": "Siste"}).status_code == 302
    # after 999 there is no next number to give
    assert _errors(client.post(create, {"number": "", "title": "Etter"})) == {"number": [RULE]}
    assert list(p.goals.order_by("number").values_list("number", flat=True)) == [1, 2, 999]


def test_a_taken_number_and_an_empty_title_are_said_together(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]))
    goal(p, 1)
    second = goal(p, 2)
    login(client, secretariat)
    create = reverse("strategy:goal_create", args=[p.pk])
    edit = reverse("strategy:part_edit", args=["mal", second.pk])
    both = {"number": ["Mål nummer 1 finnes allerede."], "title": ["Feltet er påkrevd."]}
    assert _errors(client.post(create, {"number": "1", "title": ""})) == both
    assert _errors(client.post(edit, {"version": 1, "number": "1", "title": ""})) == both
    arena_create = reverse("strategy:arena_goal_create", args=[p.arena_id])
    Goal.objects.create(arena=p.arena, plan=None, number=4, title="Hovedmål")
    assert _errors(client.post(arena_create, {"number": "4", "title": ""})) == {
        "number": ["Mål nummer 4 finnes allerede."],
        "title": ["Feltet er påkrevd."],
    }


def test_the_service_and_the_api_say_the_number_rule(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    goal(p, 1)
    for number in (-1, 1000, 99999999999):
        with pytest.raises(ValidationError) as refused:
            add_goal(Goal(arena=p.arena, plan=p, number=number, title="X"), actor=secretariat)
        assert refused.value.message_dict == {"number": [RULE]}
    with pytest.raises(ValidationError) as both:
        add_goal(Goal(arena=p.arena, plan=p, number=1, title=" "), actor=secretariat)
    assert both.value.message_dict == {
        "title": ["Skriv målet."],
        "number": ["Mål nummer 1 finnes allerede."],
    }
    login(client, secretariat)
    refused_api = call(
        client, "POST", f"/strategic-plans/{p.pk}/goals", {"title": "X", "number": 1000}
    )
    assert refused_api.status_code == 422
    assert [e["loc"][-1] for e in refused_api.json()["errors"]] == ["number"]
    assert list(p.goals.values_list("number", flat=True)) == [1]


# 3. A part's actions in its row ----------------------------------------------------------

BUTTON = 'class="ds-button" data-variant="secondary" data-size="sm"'


def test_each_parts_edit_and_delete_sit_in_its_row_alike(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    goal(p, 1, "Bedre tjenester")
    PlanItem.objects.create(plan=p, kind=PlanItem.Kind.PREREQUISITE, title="Forankring")
    area(p, "IKT")
    login(client, secretariat)
    html = client.get(p.get_absolute_url()).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    goal_row = next(r for r in rows if "Bedre tjenester" in r)
    for words in ("Endre mål 1", "Slett mål 1"):
        assert re.search(rf"<(a|button) {BUTTON}[^>]*>{words}</(a|button)>", goal_row), words
    assert 'scope="col"><span class="ds-sr-only">Handlinger</span>' in html
    items = re.findall(r"<li>.*?</li>", html, re.S)
    for title in ("Forankring", "IKT"):
        item = next(i for i in items if f"<strong>{title}</strong>" in i)
        for words in (f"Endre «{title}»", f"Slett «{title}»"):
            assert re.search(rf"<(a|button) {BUTTON}[^>]*>{words}</(a|button)>", item), words
    assert '<ul><li><div class="actions">' not in html


# 4. The period said once -----------------------------------------------------------------


def test_a_title_that_says_its_period_is_not_followed_by_it_again(client: Client) -> None:
    arena = arena_of(["3909"])
    said = plan(arena, 2027, 2030, title="12K 2027–2030", published=True)
    hyphen = plan(arena, 2031, 2034, title="12K 2031-2034", published=True)
    other = plan(arena, 2035, 2038, title="12K 2027–2030 videreført", published=True)
    assert str(said) == "12K 2027–2030"
    assert str(hyphen) == "12K 2031-2034"
    assert str(other) == "12K 2027–2030 videreført 2035–2038"
    html = client.get(said.get_absolute_url()).content.decode()
    assert "2027–2030 2027–2030" not in html
    assert '<h1 class="ds-heading" data-size="lg">12K 2027–2030</h1>' in html


# 5. A new plan starts internal -------------------------------------------------------------


def test_a_new_plan_starts_unpublished(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    url = reverse("strategy:plan_create", args=[arena.pk])
    login(client, secretariat)
    page = client.get(url)
    assert page.context["form"]["published"].value() is False
    assert not re.search(r'<input[^>]*name="published"[^>]*checked', page.content.decode())
    response = client.post(url, {"title": "12K", "first_year": 2027, "last_year": 2030})
    assert response.status_code == 302
    created = StrategicPlan.objects.get(title="12K")
    assert (created.published, created.status) == (False, StrategicPlan.Status.DRAFT)


def test_a_goal_number_and_an_order_are_typed_as_text_and_said_wrong_when_wrong(
    client: Client, secretariat: Any
) -> None:
    """Found in the next trial: the browser's number box sent «1,5» as 15 and «abc» as
    nothing, so goal 15 (or the next free one) was saved without a word."""
    p = plan(arena_of(["3909"]))
    login(client, secretariat)
    page = client.get(reverse("strategy:goal_create", args=[p.pk])).content.decode()
    number = re.search(r'<input[^>]*name="number"[^>]*>', page)
    assert number is not None
    assert 'type="text"' in number.group(0)
    assert 'inputmode="numeric"' in number.group(0)
    for typed in ("1,5", "abc"):
        refused = client.post(
            reverse("strategy:goal_create", args=[p.pk]), {"number": typed, "title": "Mål"}
        )
        assert refused.status_code == 200
        assert _errors(refused)["number"] == ["Målets nummer er et helt tall fra 1 til 999."]
    item_page = client.get(reverse("strategy:item_create", args=[p.pk])).content.decode()
    order = re.search(r'<input[^>]*name="order"[^>]*>', item_page)
    assert order is not None
    assert 'type="text"' in order.group(0)
    assert not Goal.objects.filter(plan=p).exists()
