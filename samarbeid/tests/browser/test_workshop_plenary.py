"""The plenary page updates live (htmx polling) when a group submits its answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from samarbeid.arenas.tests.factories import arena_with_members


def test_plenary_updates_when_a_group_submits(
    page: Any, browser: Any, live_server: Any, secretariat_user: Any
) -> None:
    from playwright.sync_api import expect

    from samarbeid.workshops.models import Question, Workshop
    from samarbeid.workshops.services.groups import add_group
    from samarbeid.workshops.services.workshops import (
        create_question,
        create_workshop,
        set_question_status,
    )

    arena = arena_with_members(["3909", "3901"], name="Vestfold samling", short_name="VS")
    workshop = create_workshop(
        Workshop(
            arena=arena,
            title="Samling på Hankø",
            date=timezone.localdate(),
            links_expire=timezone.localdate() + timedelta(days=7),
        ),
        actor=secretariat_user,
    )
    group = add_group(workshop, "Gruppe 1", actor=secretariat_user)
    add_group(workshop, "Gruppe 2", actor=secretariat_user)
    question = create_question(
        Question(workshop=workshop, kind=Question.Kind.OPEN, text="Hva bør vi samarbeide om?"),
        actor=secretariat_user,
    )
    set_question_status(question, Question.Status.OPEN, actor=secretariat_user)

    page.goto(question.get_absolute_url())
    status = page.locator("#plenary-status")
    assert "0 av 2 grupper har svart" in status.inner_text()

    group_context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    try:
        group_page = group_context.new_page()
        group_page.goto(group.get_group_url())
        group_page.locator("textarea").first.fill("Felles legevakt for hele regionen")
        group_page.get_by_role("button", name="Send inn svaret").first.click()
        group_page.wait_for_load_state()
    finally:
        group_context.close()

    # No reload: htmx polls the results every few seconds.
    expect(status).to_contain_text("1 av 2", timeout=20_000)
    assert "Felles legevakt for hele regionen" in page.locator("#plenary-results").inner_text()
