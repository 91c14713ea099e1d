"""Test data for financing: arenas with members, keys, budgets."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory as ArenaFactory
from samarbeid.arenas.tests.factories import DecisionFactory, arena_of
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    Grant,
    InvoiceReference,
    InvoiceRun,
)
from samarbeid.finance.outputs import summary_xlsx
from samarbeid.portal.demo import load_demo
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality, Population


def municipality(number: str, day: date) -> Municipality:
    return Municipality.objects.valid_on(day).get(number=number)


def arena(numbers: list[str], day: date, host: str | None = None, **fields: object) -> Arena:
    """`arena_of` established 1990, hosted by `host` (else the first member)."""
    host_m = municipality(host or numbers[0], day)
    return arena_of(numbers, day, established=date(1990, 1, 1), host_municipality=host_m, **fields)


def populations(year: int, figures: dict[str, int]) -> None:
    day = date(year, 1, 1)
    for number, count in figures.items():
        Population.objects.create(municipality=municipality(number, day), year=year, count=count)


def key(arena: Arena, equal: int = 50, per_capita: int = 50, **fields: Any) -> AllocationKey:
    name = fields.pop("name", f"{equal}/{per_capita}")
    return AllocationKey.objects.create(
        arena=arena, name=name, equal=Decimal(equal), per_capita=Decimal(per_capita), **fields
    )


def budget(arena: Arena, year: int, base: str | None, key: AllocationKey) -> Budget:
    result = Budget.objects.create(arena=arena, year=year, administration_cost=Decimal("100000"))
    if base is not None:
        BudgetLine.objects.create(
            budget=result,
            kind=BudgetLine.Kind.BASE,
            description="Basisbidrag",
            amount=Decimal(base),
            key=key,
        )
    return result


def equal_budget(arena: Arena, year: int, base: str | None) -> Budget:
    """The arena's budget for `year` with one base line of `base` kroner shared equally
    (a key of 100 % equal): what most invoice run tests draft from."""
    return budget(arena, year, base, key(arena, 100, 0))


# The draft invoice run's form as the clerks' trials fill it for the 2026 budget.
RUN_FORM = {"year": "2026", "issue_date": "2026-03-02", "due_days": "30"}


def run_ready_arena(short_name: str = "BT") -> Arena:
    """The clerks' trial arena (3901, 3905 hosting, 3909) with a 2026 budget of one base
    line under an equal key: what an invoice run is drafted from."""
    result = arena(["3901", "3905", "3909"], date(2026, 1, 1), host="3905", short_name=short_name)
    equal_budget(result, 2026, "300000.00")
    return result


def project(arena: Arena, code: str, numbers: list[str], since: date) -> Project:
    result = Project.objects.create(arena=arena, code=code, title=f"Prosjekt {code}")
    for number in numbers:
        m = municipality(number, since)
        Participation.objects.create(
            project=result,
            municipality=m,
            status=Participation.Status.JOINED,
            since=since,
            decision=DecisionFactory.create(municipality=m, meeting_date=since),
        )
    return result


def project_line(budget: Budget, project: Project, amount: str, key: AllocationKey) -> BudgetLine:
    return BudgetLine.objects.create(
        budget=budget,
        kind=BudgetLine.Kind.PROJECT,
        project=project,
        description=str(project),
        amount=Decimal(amount),
        key=key,
    )


def page_text(client: Client, url: str, query: dict[str, str] | None = None) -> str:
    """The page at `url` (with the GET `query`) as text, once it has answered 200."""
    page = client.get(url, query)
    assert page.status_code == 200, page.status_code
    return page.content.decode()


def words(response: Any) -> str:
    """A page's text with its words one space apart (a no-break space as a space), so a
    test can look for a sentence however the template wraps it."""
    return " ".join(response.content.decode().replace("\xa0", " ").split())


def at_once(act: Callable[[], str], clerks: int = 2) -> list[str]:
    """`act` run by `clerks` threads started together, each on its own database connection
    (PostgreSQL race tests): what each returned, or the first message of its
    ValidationError (any other error as its repr, so the test shows it), sorted."""
    results: list[str] = []

    def run() -> None:
        try:
            results.append(act())
        except ValidationError as exc:
            results.append(exc.messages[0])
        except Exception as exc:
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


# A valid Norwegian account number (MOD11 check digit), an example.
ACCOUNT = "86011117947"


def ready(run: InvoiceRun) -> InvoiceRun:
    """Give a draft run what approval needs: the seller's bank account, and a general
    invoice reference for each buyer that has none."""
    InvoiceRun.objects.filter(pk=run.pk).update(seller_account=ACCOUNT)
    run.seller_account = ACCOUNT
    for invoice in run.invoices.select_related("buyer"):
        InvoiceReference.objects.get_or_create(
            municipality=invoice.buyer,
            arena=None,
            defaults={"reference": f"{invoice.buyer.number}-okonomi"},
        )
    return run


def demo_run(year: int) -> InvoiceRun:
    """The demo loaded (it is idempotent: loading it again changes nothing), and its 12K
    invoice run of `year`."""
    load_demo()
    return InvoiceRun.objects.get(arena__short_name="12K", year=year)


# Grants --------------------------------------------------------------------------------------

COUNTY_GOVERNOR = "Statsforvalteren i Vestfold og Telemark"


def grant(line: BudgetLine, **fields: Any) -> Grant:
    """A grant applied for on the line: from the county governor, 15 January 2026, 400 000 kr
    for a pre-project; `fields` replace or add to these."""
    values: dict[str, Any] = {
        "grantor_kind": Grant.GrantorKind.COUNTY_GOVERNOR,
        "grantor_name": COUNTY_GOVERNOR,
        "purpose": "Forprosjekt",
        "applied_on": date(2026, 1, 15),
        "amount_applied": Decimal("400000.00"),
        **fields,
    }
    return Grant.objects.create(line=line, **values)


def received_grant(
    line: BudgetLine, granted: str, received: str, decided_on: date, **fields: Any
) -> Grant:
    """A grant (as `grant`) granted with `granted` on `decided_on`, `received` of it paid."""
    return grant(
        line,
        status=Grant.Status.GRANTED,
        decided_on=decided_on,
        amount_granted=Decimal(granted),
        amount_received=Decimal(received),
        **fields,
    )


def invoiced(
    line: BudgetLine,
    seller: Municipality,
    issue_date: date = date(2026, 3, 1),
    due_date: date = date(2026, 3, 31),
) -> InvoiceRun:
    """The line's budget's year recorded as invoiced: an issued run (without invoices)."""
    return InvoiceRun.objects.create(
        arena=line.budget.arena,
        year=line.budget.year,
        status=InvoiceRun.Status.ISSUED,
        issue_date=issue_date,
        due_date=due_date,
        seller=seller,
    )


def workbook_totals(run: InvoiceRun) -> dict[Any, Decimal]:
    """The totals of the run's summary workbook (its rows without a number), by label.
    Excel keeps numbers as binary floats: they are read back to the øre."""
    sheet = load_workbook(io.BytesIO(summary_xlsx(run))).active
    assert sheet is not None
    return {
        row[1]: Decimal(str(row[2])).quantize(Decimal("0.01"))
        for row in sheet.iter_rows(values_only=True)
        if not row[0]
    }
