"""A secretariat user logs in, registers an arena and adds a member with its decision."""

from __future__ import annotations

from typing import Any

from samarbeid.arenas.models import Arena, Membership
from samarbeid.tests.browser.conftest import log_in


def test_log_in_create_arena_and_add_member(page: Any, secretariat_user: Any) -> None:
    log_in(page, secretariat_user)
    page.goto("/arenaer/ny/")
    page.get_by_label("Navn", exact=False).first.fill("Vestfold innkjøpsnettverk")
    page.get_by_label("Kortnavn").fill("VINN")
    page.get_by_label("Type").select_option("professional_network")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", level=1, name="Vestfold innkjøpsnettverk").wait_for()
    arena = Arena.objects.get(short_name="VINN")
    assert page.url.endswith(arena.get_absolute_url())

    page.goto(f"/arenaer/{arena.pk}/medlemmer/ny/")
    page.locator("#id_m-municipality").select_option(label="3909 Larvik")
    page.locator("#id_m-joined").fill("2024-03-01")
    page.locator("#id_d-body").select_option("council")
    page.locator("#id_d-case_number").fill("24/17")
    page.locator("#id_d-meeting_date").fill("2024-02-15")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Medlemskapet er registrert.").wait_for()
    membership = Membership.objects.get(arena=arena)
    assert membership.municipality.number == "3909"
    assert membership.decision.case_number == "24/17"
    assert page.get_by_text("Larvik").first.is_visible()


def test_membership_form_shows_errors_in_the_browser(page: Any, secretariat_user: Any) -> None:
    arena = Arena.objects.create(name="Tomt nettverk", short_name="TOMT", kind="other")
    log_in(page, secretariat_user)
    page.goto(f"/arenaer/{arena.pk}/medlemmer/ny/")
    page.get_by_role("button", name="Lagre").click()
    page.locator(".ds-error-summary").first.wait_for()  # the answer, not the page before
    assert page.locator(".ds-validation-message").count() >= 1
    assert not Membership.objects.filter(arena=arena).exists()
