"""axe-core (through axe-playwright-python) on every main page: no serious or critical
violations, for the public and for a signed-in secretariat user (who sees the forms)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import MembershipFactory, arena_with_members
from samarbeid.registry.models import Municipality
from samarbeid.tests.browser.conftest import log_in

SEVERE = {"serious", "critical"}


def _pages(arena_pk: int, project_pk: int | None) -> list[str]:
    named: list[tuple[str, list[Any]]] = [
        ("core:home", []),
        ("registry:municipality_list", []),
        ("arenas:arena_list", []),
        ("arenas:arena_detail", [arena_pk]),
        ("portfolio:index", []),
        ("portfolio:project_list", []),
        ("finance:index", []),
        ("finance:arena", [arena_pk]),
        ("strategy:index", []),
        ("review:index", []),
        ("workshops:index", []),
        ("reports:index", []),
        ("reports:annual", [arena_pk, timezone.localdate().year]),
        ("jobs:job_list", []),
    ]
    if project_pk:
        named.append(("portfolio:project_detail", [project_pk]))
    urls = ["/kommuner/3909/", "/logg-inn/"]
    for name, args in named:
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            continue  # that domain has no such page (yet)
    return urls


def _scan(page: Any, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, f"{url}: {response.status}"
    return violations(page)


def violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in SEVERE
    ]


def _data() -> tuple[int, int | None]:
    from samarbeid.portfolio.models import Project

    arena = arena_with_members(["3909", "3901"], name="Vestfold innkjøp", short_name="VI")
    # Nøtterøy ceased in 2017 and is still a member: the secretariat is asked to carry it on.
    MembershipFactory(
        arena=arena, municipality=Municipality.objects.get(code="0722"), joined=date(2008, 1, 1)
    )
    project = Project.objects.create(
        arena=arena, code="P1", title="Felles innkjøp", status=Project.Status.ONGOING
    )
    return arena.pk, project.pk


def test_main_pages_have_no_serious_violations_for_the_public(page: Any) -> None:
    arena_pk, project_pk = _data()
    problems = [p for url in _pages(arena_pk, project_pk) for p in _scan(page, url)]
    assert not problems, "\n".join(problems)


def test_forms_have_no_serious_violations(page: Any, secretariat_user: Any) -> None:
    arena_pk, project_pk = _data()
    log_in(page, secretariat_user)
    urls = [
        "/",
        "/arenaer/ny/",
        f"/arenaer/{arena_pk}/",
        f"/arenaer/{arena_pk}/endre/",
        f"/arenaer/{arena_pk}/medlemmer/ny/",
        f"/arenaer/{arena_pk}/kommuneendringer/",
        "/kommuner/3909/folketall/",
        "/konto/",
        "/konto/paminnelser/",
    ]
    for name, args in (
        ("portfolio:project_create", []),
        ("portfolio:project_detail", [project_pk]),
        ("finance:arena", [arena_pk]),
        ("finance:key_create", [arena_pk]),
        ("finance:references", []),
        ("workshops:create", []),
    ):
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            continue
    problems = [p for url in urls for p in _scan(page, url)]
    assert not problems, "\n".join(problems)


def test_meetings_and_finance_forms_have_no_serious_violations(
    page: Any, secretariat_user: Any
) -> None:
    """The meetings' and finance's forms render through the shared partials
    (partials/post_form.html, filter_form.html): a page's form, a form beside others on a
    detail page, a file form, a list of choices with none, a delete confirmation."""
    from samarbeid.finance.tests import helpers as finance
    from samarbeid.meetings.tests import factories as meetings

    arena_pk, _ = _data()
    on = meetings.body(arena=Arena.objects.get(pk=arena_pk))
    held = meetings.meeting(on)
    key = finance.key(on.arena)
    budget = finance.budget(on.arena, timezone.localdate().year, "100000", key)
    log_in(page, secretariat_user)
    urls = [
        reverse("meetings:body_create", args=[arena_pk]),
        reverse("meetings:member_create", args=[on.pk]),
        reverse("meetings:document_create", args=[held.pk]),
        reverse("meetings:attendance", args=[held.pk]),
        reverse("meetings:meeting_delete", args=[held.pk]),
        key.get_absolute_url() + "?total=100000&year=1990",
        budget.get_absolute_url(),
        reverse("finance:budget_edit", args=[budget.pk]),
        reverse("finance:key_delete", args=[key.pk]),
        reverse("finance:run_list"),
        reverse("finance:run_list") + "?year=tjue",  # its filter with a field error
    ]
    problems = [p for url in urls for p in _scan(page, url)]
    assert not problems, "\n".join(problems)
