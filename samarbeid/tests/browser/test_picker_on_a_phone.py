"""A clerk's trial of the municipality picker (issue: popfix): on a 390 px phone the search
label was squeezed to a letter per line beside the search box; on a desktop, typing "Lar"
left one match hidden in the closed list while the select still showed "---------"."""

from __future__ import annotations

from typing import Any

from samarbeid.arenas.models import Arena
from samarbeid.registry.models import Municipality
from samarbeid.tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}


def _membership_page(page: Any, user: Any) -> None:
    arena = Arena.objects.create(name="Vestfold valg", short_name="VVAL", kind="other")
    log_in(page, user)
    page.goto(f"/arenaer/{arena.pk}/medlemmer/ny/")


def test_the_search_label_stacks_above_its_box_on_a_phone(page: Any, secretariat_user: Any) -> None:
    page.set_viewport_size(PHONE)
    _membership_page(page, secretariat_user)
    label = page.locator(".municipality-picker label").first.bounding_box()
    search = page.get_by_role("searchbox", name="Finn kommunen").bounding_box()
    assert label["y"] + label["height"] <= search["y"] + 1, (label, search)  # above it
    assert label["width"] >= 100, label
    assert label["height"] < 120, label  # a few lines, not a letter per line
    assert search["height"] < 80, search  # a normal box
    assert search["width"] >= 300, search  # the screen's width less the margins


def test_a_search_with_one_match_chooses_it_and_says_so(page: Any, secretariat_user: Any) -> None:
    _membership_page(page, secretariat_user)
    select = page.locator("#id_m-municipality")
    search = page.get_by_role("searchbox", name="Finn kommunen")
    help_text = page.get_by_text("Enter eller pil ned velger den første som passer.")
    assert help_text.count() == 1
    search.fill("Lar")
    larvik = Municipality.objects.current().get(number="3909")
    assert select.input_value() == str(larvik.pk)
    page.get_by_text("1 kommune passer: 3909 Larvik er valgt.").wait_for()
    search.fill("3")
    page.get_by_text("kommuner passer.").wait_for()
    assert "kommuner passer." in page.locator(".municipality-picker [aria-live]").inner_text()
