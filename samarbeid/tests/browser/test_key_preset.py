"""The allocation key form in a real browser: a standard key fills the weight fields
visibly, so what is shown is what is saved (issue 17, point 1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from samarbeid.arenas.tests.factories import arena_with_members
from samarbeid.tests.browser.conftest import log_in


def test_a_standard_key_fills_the_weights_visibly(page: Any, secretariat_user: Any) -> None:
    from samarbeid.finance.models import AllocationKey

    arena = arena_with_members(["3909", "3901"], name="Vestfold nøkler", short_name="VN")
    log_in(page, secretariat_user)
    page.goto(f"/okonomi/arena/{arena.pk}/nokler/ny/")
    page.get_by_label("Navn").fill("Halvt om halvt")
    preset = page.get_by_label("Standardnøkkel")
    assert preset.input_value() == ""  # nothing chosen for the user
    preset.select_option("50/50")
    assert page.get_by_label("Likt (%)").input_value() == "50"
    assert page.get_by_label("Per innbygger (%)").input_value() == "50"
    assert page.get_by_label("Forbruk (%)").input_value() == "0"
    # typing another weight leaves the standard key: what is shown is what is saved
    page.get_by_label("Likt (%)").fill("60")
    page.get_by_label("Per innbygger (%)").fill("40")
    assert preset.input_value() == ""
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", level=1).wait_for()
    key = AllocationKey.objects.get(arena=arena, name="Halvt om halvt")
    assert (key.equal, key.per_capita) == (Decimal(60), Decimal(40))
