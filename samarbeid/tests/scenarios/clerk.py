"""What a clerk does in the scenarios: log in as a demo persona, follow links, read pages
and tables; and what every page visited must pass (axe: no serious or critical findings)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from samarbeid.portal.demo import DEMO_PASSWORD
from samarbeid.tests.browser.test_accessibility import violations

# The demo personas (samarbeid/portal/demo.py): the public is not logged in.
SECRETARIAT = "sekretariat"
COORDINATOR_LARVIK = "koordinator-larvik"
READER = "leser"

# axe findings (rule ids) the scenarios would report without failing: none. (A wide table's
# .table-wrap is made a focusable region by js/tables.js.)
KNOWN_AXE: set[str] = set()
_scanned: set[tuple[str, str]] = set()


def text_of(raw: str) -> str:
    """Page text with no-break and thin spaces as plain spaces and a typographic minus as
    "-", so figures read as they look: "5 100 000,00", "-63 439,10"."""
    return raw.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")


def arrive(page: Any) -> str:
    """The page has loaded: it must have no serious or critical accessibility findings.
    Returns the text of its main content."""
    page.wait_for_load_state()
    seen = (page.url, getattr(page, "persona", ""))
    if seen not in _scanned:  # the same page for the same persona is scanned once
        _scanned.add(seen)
        found = violations(page)
        problems = [p for p in found if not any(f": {rule} (" in p for rule in KNOWN_AXE)]
        assert not problems, "\n".join(problems)
    return text_of(page.locator("main").inner_text())


def click(
    page: Any, name: str | re.Pattern[str], *, within: Any = None, exact: bool = False
) -> str:
    """Follow the first link named `name` (in `within`, default the main content) and
    return the text of the page it leads to."""
    scope = within if within is not None else page.locator("main")
    link = scope.get_by_role("link", name=name, exact=exact).first
    assert link.count(), f"no link {name!r} on {page.url}"
    link.click()
    return arrive(page)


def menu(page: Any, name: str) -> str:
    """Follow a link in the site's main menu."""
    page.locator("header nav").get_by_role("link", name=name, exact=True).click()
    return arrive(page)


def log_in(page: Any, username: str) -> str:
    """Open the site, follow "Logg inn" and sign in as a demo persona; returns the home
    page's text."""
    page.goto("/")
    arrive(page)
    page.locator("header").get_by_role("link", name="Logg inn").click()
    arrive(page)
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.persona = username
    text = arrive(page)
    assert "/logg-inn/" not in page.url, f"{username} could not log in"
    return text


def open_site(page: Any) -> str:
    """The public: open the home page without logging in."""
    page.goto("/")
    return arrive(page)


def rows(table: Any) -> list[list[str]]:
    """A table's rows (header row included) as lists of cell texts."""
    cells: list[list[str]] = table.evaluate(
        """t => Array.from(t.querySelectorAll('tr')).map(
            r => Array.from(r.querySelectorAll('th, td')).map(c => c.innerText.trim()))"""
    )
    return [[text_of(cell) for cell in row] for row in cells]


def table(page: Any, name: str) -> list[list[str]]:
    """The rows of the table in the section headed `name`, or else the first table after a
    heading `name`, or else the first table containing `name` (a caption or column header)."""
    region = page.get_by_role("region", name=name)
    heading = page.locator("main").get_by_role("heading", name=name)
    if region.count():
        found = region.first.locator("table").first
    elif heading.count():
        found = heading.first.locator("xpath=following::table[1]")
    else:
        found = page.locator("main table", has_text=name).first
    assert found.count(), f"no table {name!r} on {page.url}"
    return rows(found)


def column(rows_: list[list[str]], header: str) -> dict[str, str]:
    """First cell of each body row → its cell under the column whose header starts with
    `header`."""
    head = rows_[0]
    index = next(i for i, cell in enumerate(head) if cell.startswith(header))
    return {row[0]: row[index] for row in rows_[1:] if len(row) > index}


def kr(text: str) -> Decimal:
    """An amount as the pages show it ("1 184 250,00", "-15 750,00") as a Decimal."""
    cleaned = text_of(text).replace(" ", "").replace("kr", "").replace(",", ".")
    return Decimal(cleaned)


def first_line(cell: str) -> str:
    return cell.splitlines()[0].strip() if cell else ""
