"""Issue 24 point 4 in a real browser: Larvik's coordinator records the planning strategy
and a need it names; the secretariat finds Larvik under the theme on the proposals page and
starts a proposal from the need ('Nytt forslag fra behov'), whose need is written from it.
The new pages are scanned with axe-core on the way (no serious or critical findings)."""

from __future__ import annotations

import re
from typing import Any

from samarbeid.review.models import CooperationProposal
from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_accessibility import violations


def test_a_need_from_the_planning_strategy_starts_a_proposal(
    page: Any, coordinator_user: Any, secretariat_user: Any
) -> None:
    problems: list[str] = []
    log_in(page, coordinator_user)
    page.goto("/kommuner/3909/")
    page.get_by_role("link", name="Planstrategi og samarbeidsbehov").click()
    page.get_by_role(
        "heading", level=1, name="Planstrategi og samarbeidsbehov i Larvik (3909)"
    ).wait_for()
    problems += violations(page)
    page.get_by_role("link", name="Registrer planstrategi").click()
    problems += violations(page)
    page.get_by_label("Tittel").fill("Planstrategi for Larvik kommune")
    page.get_by_label("Fra år").fill("2024")
    page.get_by_label("Til år").fill("2027")
    page.get_by_label("Vedtatt").fill("2024-06-19")
    page.get_by_label("Saksnummer for vedtaket").fill("PS 61/24")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role(
        "heading", level=1, name="Planstrategi for Larvik kommune 2024–2027"
    ).wait_for()
    assert page.get_by_text("19.06.2024").count() == 1
    page.get_by_role("link", name="Legg til samarbeidsbehov").click()
    page.get_by_label(re.compile(r"^Tema")).select_option(label="innkjøp")
    page.get_by_label("Beskrivelse av behovet").fill("Felles innkjøpskontor for Vestfold")
    page.get_by_label("Samarbeid med").fill("Sandefjord og Færder")
    problems += violations(page)
    page.get_by_role("button", name="Lagre behovet").click()
    page.get_by_role("cell", name="Felles innkjøpskontor for Vestfold").wait_for()
    problems += violations(page)

    page.context.clear_cookies()
    log_in(page, secretariat_user)
    page.goto("/gjennomgang/forslag/")
    page.get_by_role("heading", level=3, name="Innkjøp (1 kommune)").wait_for()
    problems += violations(page)
    box = page.get_by_label("Larvik: Felles innkjøpskontor for Vestfold")
    assert not box.is_checked()  # the clerk ticks the needs wanted (a clerk's trial)
    box.check()
    page.get_by_role("button", name="Nytt forslag fra behov").click()
    page.get_by_role("heading", level=1, name="Nytt forslag fra behov: innkjøp").wait_for()
    problems += violations(page)
    written = page.get_by_label(re.compile(r"^Behov")).input_value()
    # written from the need: its theme, municipality and partners (its own words are listed
    # under the proposal once, not repeated here: a clerk's trial saw each need twice)
    assert "innkjøp i planstrategiene til Larvik" in written, written
    assert "Sandefjord og Færder" in written, written
    page.get_by_label("Tittel").fill("Felles innkjøp")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", level=1, name="Felles innkjøp").wait_for()
    page.get_by_role("heading", name="Bygger på behov fra kommunenes planstrategier").wait_for()
    page.get_by_role("link", name="Larvik").first.wait_for()
    problems += violations(page)
    proposal = CooperationProposal.objects.get(title="Felles innkjøp")
    assert [n.description for n in proposal.planning_needs.all()] == [
        "Felles innkjøpskontor for Vestfold"
    ]
    assert not problems, "\n".join(problems)


def test_the_public_pages_have_no_serious_violations(page: Any) -> None:
    """What everyone reads: a municipality's strategies, one strategy, and the proposals
    page's needs per theme (without the secretariat's choice boxes)."""
    from samarbeid.planning.tests.factories import need, strategy

    larvik = strategy("3909")
    need(larvik, "procurement")
    need(strategy("3907"), "procurement")
    need(larvik, "other", theme_other="Landbruk", description="Felles landbrukskontor")
    problems: list[str] = []
    for url in ("/kommuner/3909/planstrategi/", larvik.get_absolute_url(), "/gjennomgang/forslag/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        problems += violations(page)
    assert page.get_by_role("link", name="Sandefjord").count() == 1
    assert not problems, "\n".join(problems)
