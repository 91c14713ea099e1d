"""Workshop → project, both ways (issue 19, point 6), in a real browser: a group saves its
answer again and "Sist lagret" shows the new time; the secretariat turns a prioritised theme
into a project with its period, and the project's page shows the period and links back to
the theme and the workshop."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from samarbeid.arenas.tests.factories import arena_with_members
from samarbeid.tests.browser.conftest import log_in
from samarbeid.workshops.models import Answer, Group, Question, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.groups import add_group
from samarbeid.workshops.services.workshops import (
    create_question,
    create_workshop,
    set_question_status,
)


def _workshop(secretariat: Any, kind: str) -> tuple[Workshop, Group, Question]:
    arena = arena_with_members(["3909", "3901"], name="Vestfold samling", short_name="VS")
    workshop = create_workshop(
        Workshop(arena=arena, title="Samling på Hankø", date=date(2004, 3, 12)),
        actor=secretariat,
    )
    group = add_group(workshop, "Gruppe 1", actor=secretariat)
    question = create_question(
        Question(
            workshop=workshop,
            kind=kind,
            label="B",
            min_themes=1,
            max_themes=3,
            text="Hvilke innsatsområder er de viktigste for samarbeidet de neste fire årene, "
            "og hvilke bør kommunene ta fatt på først?",
        ),
        actor=secretariat,
    )
    set_question_status(question, Question.Status.OPEN, actor=secretariat)
    return workshop, group, question


def test_sist_lagret_shows_the_time_of_the_last_save(page: Any, secretariat_user: Any) -> None:
    _, group, question = _workshop(secretariat_user, Question.Kind.OPEN)
    answer = submit_answer(group, question, text="Felles legevakt")
    old = timezone.now() - timedelta(hours=3)
    Answer.objects.filter(pk=answer.pk).update(updated=old)

    page.goto(group.get_group_url())
    saved = page.locator("form .muted", has_text="Sist lagret")
    assert saved.inner_text() == f"Sist lagret {timezone.localtime(old):%d.%m.%Y %H:%M}"
    page.locator("textarea").first.fill("Felles legevakt og barnevern")
    before = timezone.localtime()
    page.get_by_role("button", name="Lagre endringene").click()
    page.wait_for_load_state()
    after = timezone.localtime()
    shown = {f"Sist lagret {t:%d.%m.%Y %H:%M}" for t in (before, after)}
    assert saved.inner_text() in shown


def test_a_theme_becomes_a_project_that_links_back(page: Any, secretariat_user: Any) -> None:
    workshop, group, question = _workshop(secretariat_user, Question.Kind.RANKED)
    submit_answer(group, question, themes=["Digital kompetanse i skolen"])

    log_in(page, secretariat_user)
    page.goto(f"/samlinger/sporsmal/{question.pk}/temaer/")
    row = page.locator("tr", has_text="Digital kompetanse i skolen")
    assert row.get_by_label("Prosjektets start").input_value() == "2004-03-12"
    row.get_by_label("Prosjektkode (for prosjektidé)").fill("VS-H04-1")
    row.get_by_label("Prosjektets start").fill("2004-04-01")
    row.get_by_label("Prosjektets slutt (valgfri)").fill("2005-06-30")
    row.get_by_role("button", name="Opprett").click()
    page.wait_for_load_state()
    assert "Opprettet:" in page.locator("body").inner_text()

    page.locator("main").get_by_role("link", name="Digital kompetanse i skolen").first.click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "01.04.2004 – 30.06.2005" in main
    assert "? –" not in main
    assert "de neste fire årene, og hvilke bør kommunene ta fatt på først?" in main
    page.get_by_role("link", name="Samling på Hankø (12.03.2004)").click()
    page.wait_for_load_state()
    assert page.url.endswith(workshop.get_absolute_url())
    page.go_back()
    page.get_by_role("link", name="Tema «Digital kompetanse i skolen»").click()
    page.wait_for_load_state()
    assert page.url.endswith(question.get_absolute_url())
