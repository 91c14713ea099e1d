"""Crediting part of an issued invoice in a real browser: the credit page, its field error
and the credit note, then a corrected invoice, with axe-core on every page (the credit page
as shown and with the error)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_accessibility import _scan, violations


def _larviks_invoice(members: list[str], base: str, actor: Any) -> Any:
    """Larvik's invoice in an issued 2026 run: `base` split equally over `members`."""
    from samarbeid.finance.invoicing import create_run
    from samarbeid.finance.run_steps import approve_run, issue_run
    from samarbeid.finance.tests import helpers as h

    arena = h.arena(members, date(2026, 1, 1), host="3905", short_name="VK")
    h.budget(arena, 2026, base, h.key(arena, 100, 0))
    run = create_run(arena, 2026, actor=actor, issue_date=date(2026, 3, 2))
    h.ready(run)
    approve_run(run, expected_version=None, actor=actor)
    issue_run(run, expected_version=None, actor=actor)
    return run.invoices.get(buyer__number="3909")


def test_credit_part_of_an_invoice(page: Any, secretariat_user: Any) -> None:
    from decimal import Decimal

    invoice = _larviks_invoice(["3901", "3905", "3909"], "300000.00", secretariat_user)

    log_in(page, secretariat_user)
    page.goto(invoice.get_absolute_url())
    page.get_by_role("link", name="Krediter hele eller deler av fakturaen").click()
    page.get_by_role("heading", level=1, name=f"Krediter faktura {invoice.number}").wait_for()
    problems = _scan(page, page.url)

    page.get_by_label("Bare beløpene jeg skriver på linjene").check()
    amount = page.get_by_label("Krediter på linje 1 (kr)")
    amount.fill("100 000,01")
    page.get_by_label("Begrunnelse for kreditering").fill("Feil andel")
    page.get_by_role("button", name="Utsted kreditnota").click()
    page.locator(".ds-error-summary").wait_for()
    assert amount.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{amount.get_attribute('aria-describedby')}")
    assert "større enn det som gjenstår" in error.inner_text()
    problems += violations(page)
    assert not invoice.credit_notes.exists()

    amount.fill("1 234,50")
    page.get_by_role("button", name="Utsted kreditnota").click()
    page.get_by_role("heading", level=1, name=f"Kreditnota {invoice.number}-K").wait_for()
    note = invoice.credit_notes.get()
    assert note.total == Decimal("1234.50")
    assert note.reason == "Feil andel"
    page.goto(invoice.get_absolute_url())
    text = page.get_by_role("main").inner_text().replace("\u00a0", " ")
    assert f"{invoice.number}-K" in text
    assert "98 765,50" in text
    problems += violations(page)

    # Then the corrected invoice: the line's new amount typed the Norwegian way.
    page.get_by_role("link", name="Lag korrigert faktura").click()
    page.get_by_role("heading", level=1, name=f"Korrigert faktura for {invoice.number}").wait_for()
    problems += violations(page)
    page.get_by_label("Nytt beløp på linje 1 (kr)").fill("98 765,50")
    page.get_by_label("Begrunnelse for korrigeringen").fill("Riktig andel")
    page.get_by_role("button", name="Utsted korrigert faktura").click()
    page.get_by_role("heading", level=1, name=f"Faktura {invoice.number}-2").wait_for()
    corrected = invoice.replacements.get()
    assert corrected.total == Decimal("98765.50")
    assert corrected.issued_at is not None
    problems += violations(page)
    assert not problems, "\n".join(problems)


def test_a_credit_form_sent_twice_credits_once(page: Any, secretariat_user: Any) -> None:
    """The form sent a second time while the first answer is on its way (a double click, an
    impatient second press) with a partial amount, which a second note could still take:
    one POST, one credit note. Without the guard the server gets both and writes two."""
    invoice = _larviks_invoice(["3905", "3909"], "200000.00", secretariat_user)

    log_in(page, secretariat_user)
    page.goto(invoice.get_absolute_url() + "krediter/")
    page.get_by_label("Bare beløpene jeg skriver på linjene").check()
    page.get_by_label("Krediter på linje 1 (kr)").fill("100")
    page.get_by_label("Begrunnelse for kreditering").fill("Sendt to ganger")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.evaluate(
        """() => {
            const button = document.querySelector("main form button[type=submit]");
            button.form.requestSubmit(button);
            setTimeout(() => button.form.requestSubmit(button), 30);
        }"""
    )
    page.get_by_role("heading", level=1, name=re.compile(r"^Kreditnota ")).wait_for()
    page.wait_for_timeout(1000)  # time for a second request, if one was sent
    assert len(posts) == 1
    assert list(invoice.credit_notes.values_list("number", flat=True)) == [f"{invoice.number}-K"]
