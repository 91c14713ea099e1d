"""Issue 19 in a real browser: a missing population figure is entered from the budget's
warning and the warning goes away (point 3); a municipality is found by typing, the former
ones only when asked (point 8); both pages fit a 390 px phone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.registry.models import Municipality, Population
from samarbeid.tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}


def _budget_without_tonsberg(year: int) -> Any:
    from samarbeid.arenas.tests.factories import MembershipFactory
    from samarbeid.finance.models import AllocationKey, Budget, BudgetLine

    arena = Arena.objects.create(name="Vestfold kontroll", short_name="VKON", kind="other")
    day = date(year - 1, 1, 1)
    for number in ("3905", "3909"):
        MembershipFactory(
            arena=arena,
            municipality=Municipality.objects.valid_on(day).get(number=number),
            joined=day,
        )
    larvik = Municipality.objects.valid_on(day).get(number="3909")
    Population.objects.create(municipality=larvik, year=year - 1, count=48000)
    key = AllocationKey.objects.create(
        arena=arena, name="50/50", equal=Decimal(50), per_capita=Decimal(50)
    )
    budget = Budget.objects.create(arena=arena, year=year, administration_cost=Decimal(0))
    BudgetLine.objects.create(
        budget=budget,
        kind=BudgetLine.Kind.BASE,
        description="Basisbidrag",
        amount=Decimal("100000"),
        key=key,
    )
    return budget


def test_the_budget_warning_leads_to_the_population_page_and_goes_away(
    page: Any, secretariat_user: Any
) -> None:
    year = timezone.localdate().year
    budget = _budget_without_tonsberg(year)
    log_in(page, secretariat_user)
    page.goto(budget.get_absolute_url())
    warning = page.get_by_text(f"Mangler folketall for Tønsberg (3905) per 1. januar {year - 1}")
    warning.wait_for()
    page.get_by_role("link", name="Registrer folketallet").first.click()
    page.get_by_role("heading", level=1, name="Folketall for Tønsberg (3905)").wait_for()
    assert page.get_by_label("År").input_value() == str(year - 1)  # the year the key reads
    page.get_by_label("Innbyggere").fill("58 000")
    page.get_by_role("button", name="Lagre folketallet").click()
    page.get_by_text(f"Folketallet for Tønsberg per 1. januar {year - 1} er lagret.").wait_for()
    assert Population.objects.get(municipality__number="3905", year=year - 1).count == 58000

    page.goto(budget.get_absolute_url())
    page.get_by_role("heading", level=1).wait_for()
    assert page.get_by_text("Mangler folketall").count() == 0


def test_type_to_find_larvik_and_ask_for_the_former_ones(page: Any, secretariat_user: Any) -> None:
    arena = Arena.objects.create(name="Vestfold valg", short_name="VVAL", kind="other")
    log_in(page, secretariat_user)
    page.goto(f"/arenaer/{arena.pk}/medlemmer/ny/")
    select = page.locator("#id_m-municipality")
    search = page.get_by_role("searchbox", name="Finn kommunen")
    search.fill("Lar")
    texts = select.locator("option").all_inner_texts()
    assert "3909 Larvik" in texts
    assert not any("Lardal" in text for text in texts)  # a former one only when asked
    assert len(texts) < 5  # the ~700 are narrowed to the few that match
    search.press("Enter")  # picks the first match; does not send the form
    assert select.input_value() == str(Municipality.objects.current().get(number="3909").pk)
    assert "/medlemmer/ny/" in page.url

    page.get_by_label("Vis også tidligere kommuner").first.check()
    former = select.locator("optgroup[label='Tidligere kommuner'] option").all_inner_texts()
    assert "0728 Lardal (til 2017)" in former
    assert "3909 Larvik" in select.locator("option").all_inner_texts()
    select.select_option(label="0728 Lardal (til 2017)")
    assert select.input_value() == str(Municipality.objects.get(code="0728").pk)

    # by number, and following the date joined: in 2010 Lardal was in use
    search.fill("0728")
    page.get_by_label("Vis også tidligere kommuner").first.uncheck()
    page.locator("#id_m-joined").fill("2010-05-01")
    page.locator("#id_m-joined").dispatch_event("change")
    assert select.locator("option").all_inner_texts() == ["---------", "0728 Lardal"]


def test_both_pages_fit_a_phone(page: Any, secretariat_user: Any) -> None:
    arena = Arena.objects.create(name="Telefonnettverket", short_name="TLF", kind="other")
    page.set_viewport_size(PHONE)
    log_in(page, secretariat_user)
    for url in ("/kommuner/3909/folketall/", f"/arenaer/{arena.pk}/medlemmer/ny/"):
        page.goto(url)
        page.get_by_role("heading", level=1).wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url}: {width} px"
