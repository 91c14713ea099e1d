"""The other domains in a real browser: create a project, let a municipality join with its
council decision, preview an allocation, open an annual report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from samarbeid.arenas.tests.factories import arena_with_members
from samarbeid.tests.browser.conftest import log_in


def test_create_project_and_let_a_municipality_join(page: Any, secretariat_user: Any) -> None:
    from samarbeid.portfolio.models import Participation, Project

    arena = arena_with_members(["3909", "3901"], name="Vestfold innkjøp", short_name="VI")
    log_in(page, secretariat_user)
    page.goto(f"/prosjekter/ny/?arena={arena.pk}")
    page.get_by_label("Prosjektkode").fill("INN-1")
    page.get_by_label("Tittel").fill("Felles innkjøp av strøm")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", level=1, name="INN-1 Felles innkjøp av strøm").wait_for()
    project = Project.objects.get(code="INN-1")

    form = page.locator("form[action$='/deltakelse/']")
    form.get_by_role("combobox", name="Kommune").select_option(label="3909 Larvik")
    form.get_by_label("Status").select_option("joined")
    form.get_by_label("Gjelder fra").fill("2024-05-01")
    form.get_by_label("Saksnummer").fill("24/33")
    form.get_by_label("Møtedato").fill("2024-04-20")
    form.get_by_role("button").last.click()
    page.wait_for_load_state()
    joined = Participation.objects.get(project=project, municipality__number="3909")
    assert joined.status == Participation.Status.JOINED
    assert joined.decision is not None
    assert joined.decision.case_number == "24/33"
    assert page.get_by_text("24/33").first.is_visible()


def test_preview_an_allocation(page: Any, secretariat_user: Any) -> None:
    from samarbeid.finance.models import AllocationKey

    arena = arena_with_members(["3909", "3901"], name="Vestfold drift", short_name="VD")
    key = AllocationKey.objects.create(arena=arena, name="Likt", equal=Decimal(100))
    log_in(page, secretariat_user)
    page.goto(key.get_absolute_url())
    page.get_by_label("Beløp å fordele (kr)").fill("100001")
    page.get_by_label("Budsjettår").fill(str(timezone.localdate().year))
    page.get_by_role("button", name="Vis fordeling").click()
    table = page.locator("table", has_text="Andel per medlem")
    table.wait_for()
    text = table.inner_text()
    assert "Larvik" in text
    assert "Horten" in text
    # 100 001 kr split equally: one share gets the extra øre, the sum is exact.
    assert "50 000,50" in text.replace("\u00a0", " ")
    assert "100 001,00" in text.replace("\u00a0", " ")


def test_open_an_annual_report(page: Any) -> None:
    arena = arena_with_members(["3909", "3901"], name="Vestfold rapport", short_name="VR")
    year = timezone.localdate().year
    response = page.goto(f"/rapporter/arsrapport/{arena.pk}/{year}/")
    assert response is not None
    assert response.status == 200
    assert "Vestfold rapport" in page.get_by_role("heading", level=1).inner_text()
    pdf = page.request.get(f"/rapporter/arsrapport/{arena.pk}/{year}/pdf/")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
