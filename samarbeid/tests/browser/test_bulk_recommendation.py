"""The round page's bulk recommendation in a real browser (issue 19 point 4): "Velg alle"
ticks every item, one recommendation with a common reason is saved for all of them; an item
is taken out after confirmation. Both pages pass axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members
from samarbeid.review.models import ReviewRound
from samarbeid.review.services.rounds import create_round
from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def test_choose_all_and_recommend_them_at_once(page: Any, secretariat_user: Any) -> None:
    ks = arena_with_members(["3909", "3901"], name="KS Vestfold", short_name="KS-V")
    for n in range(4):
        ArenaFactory(
            name=f"Prosjektforum {n}", short_name=f"KS-V-{n:02d}", parent=ks,
            kind=Arena.Kind.PROJECT_FORUM,
        )  # fmt: skip
    review = create_round(
        ReviewRound(
            title="Rydding", arena=ks, primary_task="Arbeidsgiverrollen", opened=date(2025, 1, 1)
        ),
        actor=secretariat_user,
    )  # fmt: skip
    log_in(page, secretariat_user)
    page.goto(review.get_absolute_url())
    # the page with its form, and the confirmation of taking an item out, pass axe-core
    assert violations(page) == []
    page.get_by_label("Velg alle").check()
    assert page.locator("#bulk-count").inner_text() == "4 valgt"
    page.get_by_label("Velg Prosjektforum 3").uncheck()
    assert page.locator("#bulk-count").inner_text() == "3 valgt"
    page.get_by_label("Anbefaling for de valgte").select_option("close")
    page.get_by_label("Felles begrunnelse").fill("Har utspilt sin rolle")
    page.get_by_role("button", name="Lagre anbefalingen for de valgte").click()
    page.get_by_text("Anbefalingen er lagret for 3 punkter.").wait_for()
    saved = dict(review.items.values_list("arena__name", "recommendation"))
    assert saved == {
        "Prosjektforum 0": "close",
        "Prosjektforum 1": "close",
        "Prosjektforum 2": "close",
        "Prosjektforum 3": "",
    }
    page.get_by_label("Ta ut Prosjektforum 3").click()
    page.get_by_role("heading", name="Ta «Prosjektforum 3» ut av gjennomgangen?").wait_for()
    assert violations(page) == []
    page.get_by_role("button", name="Ta ut av gjennomgangen").click()
    page.get_by_text("«Prosjektforum 3» er tatt ut av gjennomgangen.").wait_for()
    assert review.items.count() == 3
