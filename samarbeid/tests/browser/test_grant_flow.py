"""Recording a grant in a real browser (issue 24): the grant form from the budget page, its
field error when the grants would exceed the line's cost, the budget page's net split, the
flag on the arena's finance page and the grant report, with axe-core on every page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_accessibility import _scan, violations


def _line(actor: Any) -> Any:
    from samarbeid.finance.tests import helpers as h

    arena = h.arena(["3901", "3909"], date(2026, 1, 1), host="3901", short_name="VT")
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    project = h.project(arena, "P-V", ["3901", "3909"], date(2026, 1, 1))
    return h.project_line(budget, project, "600000.00", key)


def test_record_a_grant_and_follow_it_up(page: Any, secretariat_user: Any) -> None:
    from samarbeid.finance.models import Grant

    line = _line(secretariat_user)
    log_in(page, secretariat_user)
    page.goto(line.budget.get_absolute_url())
    problems = violations(page)
    page.get_by_role("link", name=f"Registrer tilskudd {line.description}").click()
    page.get_by_role("heading", level=1).wait_for()
    problems += violations(page)

    page.locator("#id_grantor_kind").select_option("county_governor")
    page.locator("#id_grantor_name").fill("Statsforvalteren i Vestfold og Telemark")
    page.locator("#id_purpose").fill("Forprosjekt")
    page.locator("#id_applied_on").fill("2026-01-15")
    page.locator("#id_amount_applied").fill("300 000")
    page.locator("#id_status").select_option("granted")
    page.locator("#id_decided_on").fill("2026-02-20")
    granted = page.locator("#id_amount_granted")
    granted.fill("600 000,01")
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    page.locator("#id_report_due").fill(due)
    page.locator("#id_amount_received").fill("200 000")
    page.get_by_role("button", name="Lagre").click()
    page.locator(".ds-error-summary").wait_for()
    assert granted.get_attribute("aria-invalid") == "true"
    problems += violations(page)
    assert not Grant.objects.exists()

    granted.fill("300 000")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", level=2, name="Tilskudd og eksterne midler").wait_for()
    grant = Grant.objects.get()
    assert (grant.amount_granted, grant.amount_received) == (
        Decimal("300000.00"),
        Decimal("200000.00"),
    )
    text = page.get_by_role("main").inner_text().replace("\u00a0", " ")
    assert "400 000,00" in text  # split: 600 000 − 200 000 received

    problems += _scan(page, f"/okonomi/arena/{line.budget.arena_id}/")
    assert "Tilskudd som skal rapporteres" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Statsforvalteren i Vestfold og Telemark:").first.click()
    page.get_by_role("heading", level=1, name="Tilskuddsrapport").wait_for()
    problems += violations(page)
    assert not problems, "\n".join(problems)


def test_an_invoiced_budget_offers_only_the_follow_up(page: Any, secretariat_user: Any) -> None:
    """A clerk's trial: deleting a grant of an invoiced budget was refused only after the
    confirmation. The budget page now offers neither Registrer nor Slett for it, and the
    confirmation page says up front why it cannot be deleted."""
    from samarbeid.finance.tests import helpers as h
    from samarbeid.registry.models import Municipality

    line = _line(secretariat_user)
    grant = h.received_grant(
        line, "300000.00", "200000.00", date(2026, 2, 20), amount_applied=Decimal("300000.00")
    )
    h.invoiced(line, Municipality.objects.current().get(number="3901"))
    log_in(page, secretariat_user)
    page.goto(line.budget.get_absolute_url())
    problems = violations(page)
    main = page.get_by_role("main")
    assert main.get_by_role("link", name=f"Registrer tilskudd {line.description}").count() == 0
    assert main.get_by_role("link", name=f"Slett {grant.grantor_name}").count() == 0
    main.get_by_role("link", name=f"Følg opp {grant.grantor_name}").wait_for()
    page.goto(reverse("finance:grant_delete", args=[grant.pk]))
    page.get_by_role("heading", level=1).wait_for()
    problems += violations(page)
    assert "kan ikke slettes" in page.get_by_role("main").inner_text()
    assert page.get_by_role("button", name="Slett tilskuddet").count() == 0
    assert not problems, "\n".join(problems)
