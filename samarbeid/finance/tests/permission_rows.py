"""Permission-matrix rows for financing (see samarbeid/tests/matrix.py).

Finance is the secretariat's: keys, budgets, runs, credit notes and corrected invoices are
written by the arena's secretariat only; coordinators and readers get 403, the public 401 (a log-in
redirect on pages). The allocation preview computes without saving and needs no token:
everyone, the public included, gets 200."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from samarbeid.arenas.models import Arena
from samarbeid.finance.corrections import credit_invoice
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    Grant,
    Invoice,
    InvoiceReference,
    InvoiceRun,
)
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.tests.matrix import (
    ALL_BUT,
    ApiRow,
    FormRow,
    World,
    delete_row,
    form_on,
    form_row,
    post_row,
    row,
    versioned_form,
    versioned_row,
)

YEAR = 2025  # Larvik is a member of the world's arena from 2024-03-01


def _key(world: World, name: str = "Likt") -> AllocationKey:
    return AllocationKey.objects.create(arena=world.arena, name=name, equal=Decimal(100))


def _budget(world: World) -> Budget:
    """The arena's budget for YEAR with one base line (split equally over Larvik)."""
    budget = Budget.objects.create(arena=world.arena, year=YEAR)
    BudgetLine.objects.create(
        budget=budget,
        kind=BudgetLine.Kind.BASE,
        description="Basisbidrag",
        amount=Decimal("1000.00"),
        key=_key(world),
    )
    return budget


def _line(world: World) -> BudgetLine:
    return _budget(world).lines.get()


def _grant(world: World) -> Grant:
    """A grant of 400 kr applied for towards the budget's line."""
    return Grant.objects.create(
        line=_line(world),
        grantor_kind=Grant.GrantorKind.COUNTY_GOVERNOR,
        grantor_name="Statsforvalteren i Vestfold og Telemark",
        purpose="Prosjektskjønnsmidler",
        applied_on=date(2025, 2, 1),
        amount_applied=Decimal("400.00"),
    )


GRANT_FIELDS = {
    "grantor_kind": "county_governor",
    "grantor_name": "Statsforvalteren",
    "purpose": "Forprosjekt",
    "applied_on": "2025-02-01",
    "amount_applied": "400",
    "status": "applied",
}


def _hosted(world: World) -> Arena:
    """The arena hosted by Horten, so that Larvik (its member) is invoiced: a host does
    not invoice itself."""
    Arena.objects.filter(pk=world.arena.pk).update(host_municipality=world.horten)
    world.arena.refresh_from_db()
    return world.arena


def _run(world: World, status: str = InvoiceRun.Status.DRAFT) -> InvoiceRun:
    _budget(world)
    actor = world.users["secretariat"]
    run = create_run(_hosted(world), YEAR, actor=actor, issue_date=date(2025, 3, 3))
    if status != InvoiceRun.Status.DRAFT:
        h.ready(run)
        approve_run(run, expected_version=run.version, actor=actor)
    if status == InvoiceRun.Status.ISSUED:
        issue_run(run, expected_version=run.version, actor=actor)
    return run


def _issued_invoice(world: World) -> Invoice:
    return _run(world, InvoiceRun.Status.ISSUED).invoices.get()


def _ready_run(world: World) -> InvoiceRun:
    """A draft run with what approval needs."""
    return h.ready(_run(world))


def _approved_run(world: World) -> InvoiceRun:
    return _run(world, InvoiceRun.Status.APPROVED)


def _credited_invoice(world: World) -> Invoice:
    """The issued invoice, credited in full: ready for a corrected invoice."""
    invoice = _issued_invoice(world)
    credit_invoice(invoice, "Feil beløp", actor=world.users["secretariat"])
    return invoice


# API ------------------------------------------------------------------------------------------


def _preview(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/allocations/preview", {
        "total": "1000.00",
        "weights": {"equal": 100},
        "participants": [{"municipality": "3909"}, {"municipality": "3901"}],
    }


def _create_key(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/finance/keys", {"arena": world.arena.pk, "name": "Ny", "equal": 100}


def _create_budget(world: World) -> tuple[str, dict[str, Any]]:
    key = _key(world)
    return "/api/v1/finance/budgets", {
        "arena": world.arena.pk,
        "year": YEAR,
        "administration_cost": "500.00",
        "lines": [
            {"kind": "base", "description": "Basis", "amount": "1000.00", "key": key.pk},
        ],
    }


def _add_line(world: World) -> tuple[str, dict[str, Any]]:
    budget = _budget(world)
    key = budget.lines.get().key
    return f"/api/v1/finance/budgets/{budget.pk}/lines", {
        "kind": "base",
        "description": "Drift",
        "amount": "200.00",
        "key": key.pk,
    }


def _create_run(world: World) -> tuple[str, dict[str, Any]]:
    _budget(world)
    _hosted(world)
    return "/api/v1/finance/runs", {"arena": world.arena.pk, "year": YEAR}


def _create_run_task(world: World) -> tuple[str, dict[str, Any]]:
    _budget(world)
    _hosted(world)
    return "/api/v1/finance/run-tasks", {"arena": world.arena.pk, "year": YEAR}


def _set_reference(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/finance/invoice-references", {"municipality": "3909", "reference": "L-1"}


def _larvik_reference(world: World) -> InvoiceReference:
    return InvoiceReference.objects.create(municipality=world.larvik, reference="L-1")


def _line_for_other_project(world: World) -> tuple[str, dict[str, Any]]:
    """A project line for another arena's project: refused as such (403) to the one-arena
    secretariat; for a secretariat for every arena, a project of another arena (422)."""
    from samarbeid.audit.models import Channel
    from samarbeid.portfolio.models import Project
    from samarbeid.portfolio.services import create_project

    project = create_project(
        Project(arena=world.other_arena(), code="12K1", title="12Ks prosjekt"),
        actor=world.users["secretariat"],
        channel=Channel.COMMAND,
    )
    url, body = _add_line(world)
    return url, body | {"kind": "project", "project": project.pk}


EVERYONE_200 = dict.fromkeys(ALL_BUT, 200)

API_ROWS = [
    ApiRow("POST", "/api/v1/allocations/preview", EVERYONE_200, _preview, writes=False),
    ApiRow("POST", "/api/v1/finance/keys", row(secretariat=201), _create_key),
    versioned_row(
        "PATCH", "/api/v1/finance/keys/{key_id}", row(secretariat=200), _key, equal=50, fixed=50
    ),
    delete_row("/api/v1/finance/keys/{key_id}", row(secretariat=204), _key),
    post_row(
        "/api/v1/finance/keys/{key_id}/usages",
        row(secretariat=201),
        _key,
        municipality="3909",
        year=YEAR,
        units="12.50",
    ),
    post_row(
        "/api/v1/finance/keys/{key_id}/fixed-percents",
        row(secretariat=201),
        _key,
        municipality="3909",
        percent=40,
    ),
    ApiRow("POST", "/api/v1/finance/budgets", row(secretariat=201), _create_budget),
    versioned_row(
        "PATCH",
        "/api/v1/finance/budgets/{budget_id}",
        row(secretariat=200),
        _budget,
        administration_cost="750.50",
    ),
    delete_row("/api/v1/finance/budgets/{budget_id}", row(secretariat=204), _budget),
    ApiRow("POST", "/api/v1/finance/budgets/{budget_id}/lines", row(secretariat=201), _add_line),
    ApiRow(
        "POST",
        "/api/v1/finance/budgets/{budget_id}/lines",
        row(secretariat=422, arena_secretariat=403),
        _line_for_other_project,
    ),
    versioned_row(
        "PATCH",
        "/api/v1/finance/budget-lines/{line_id}",
        row(secretariat=200),
        _line,
        actual="990.00",
    ),
    delete_row("/api/v1/finance/budget-lines/{line_id}", row(secretariat=204), _line),
    ApiRow("POST", "/api/v1/finance/runs", row(secretariat=201), _create_run),
    ApiRow("POST", "/api/v1/finance/run-tasks", row(secretariat=202), _create_run_task),
    versioned_row(
        "POST", "/api/v1/finance/runs/{run_id}/approve", row(secretariat=200), _ready_run
    ),
    # its due date has passed: kept, as confirmed (issue_run's rule)
    versioned_row(
        "POST",
        "/api/v1/finance/runs/{run_id}/issue",
        row(secretariat=200),
        _approved_run,
        keep_due_date=True,
    ),
    versioned_row("POST", "/api/v1/finance/runs/{run_id}/refresh", row(secretariat=200), _run),
    delete_row("/api/v1/finance/runs/{run_id}", row(secretariat=204), _run),
    versioned_row(
        "PUT",
        "/api/v1/finance/runs/{run_id}/account",
        row(secretariat=200),
        _run,
        seller_account=h.ACCOUNT,
    ),
    ApiRow(
        "PUT",
        "/api/v1/finance/invoice-references",
        # a reference for every arena: not the secretariat of one (issue 23, a clerk's trial)
        row(secretariat=200, coordinator=200, arena_secretariat=403),
        _set_reference,
    ),
    delete_row(
        "/api/v1/finance/invoice-references/{reference_id}",
        row(secretariat=204, coordinator=204, arena_secretariat=403),
        _larvik_reference,
    ),
    post_row(
        "/api/v1/finance/invoices/{invoice_id}/credit",
        row(secretariat=201),
        _issued_invoice,
        reason="Feil beløp",
        lines=[{"position": 1, "amount": "100.00"}],
    ),
    post_row(
        "/api/v1/finance/invoices/{invoice_id}/replacement",
        row(secretariat=201),
        _credited_invoice,
        reason="Riktig beløp",
        lines=[{"position": 1, "amount": "900.00"}],
    ),
]


def _create_grant(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/finance/grants", {"line": _line(world).pk, **GRANT_FIELDS}


API_ROWS += [
    ApiRow("POST", "/api/v1/finance/grants", row(secretariat=201), _create_grant),
    versioned_row(
        "PATCH", "/api/v1/finance/grants/{grant_id}", row(secretariat=200), _grant, purpose="Endret"
    ),
    delete_row("/api/v1/finance/grants/{grant_id}", row(secretariat=204), _grant),
]


# Form pages -----------------------------------------------------------------------------------


def _key_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("finance:key_create", args=[world.arena.pk]), {
        "name": "Ny",
        "preset": "equal",
    }


def _usage_form(world: World) -> tuple[str, dict[str, Any]]:
    key = _key(world)
    return reverse("finance:key_usage_add", args=[key.pk]), {
        "usage-municipality": world.larvik.pk,
        "usage-year": YEAR,
        "usage-units": "12,50",
    }


def _fixed_form(world: World) -> tuple[str, dict[str, Any]]:
    key = _key(world)
    return reverse("finance:key_fixed_add", args=[key.pk]), {
        "fixed-municipality": world.larvik.pk,
        "fixed-percent": "40",
    }


def _budget_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("finance:budget_create", args=[world.arena.pk]), {
        "year": YEAR,
        "administration_cost": "500",
        "note": "",
    }


def _line_add_form(world: World) -> tuple[str, dict[str, Any]]:
    budget = _budget(world)
    return reverse("finance:line_add", args=[budget.pk]), {
        "line-kind": "base",
        "line-description": "Drift",
        "line-amount": "200",
        "line-key": budget.lines.get().key_id,
    }


def _line_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    line = _line(world)
    return reverse("finance:line_edit", args=[line.pk]), {
        "version": line.version,
        "kind": "base",
        "description": line.description,
        "amount": "1000",
        "actual": "990",
        "key": line.key_id,
    }


def _run_create_form(world: World) -> tuple[str, dict[str, Any]]:
    _budget(world)
    _hosted(world)
    return reverse("finance:run_create", args=[world.arena.pk]), {
        "year": YEAR,
        "issue_date": "2025-03-03",
        "due_days": "30",
        "seller_account": "",
    }


def _runs_create_all_form(world: World) -> tuple[str, dict[str, Any]]:
    _budget(world)
    _hosted(world)
    return reverse("finance:runs_create_all"), {
        "alle-year": YEAR,
        "alle-issue_date": "2025-03-03",
        "alle-due_days": "30",
        "alle-seller_account": "",
    }


def _run_action_form(world: World) -> tuple[str, dict[str, Any]]:
    run = _ready_run(world)
    return reverse("finance:run_action", args=[run.pk, "approve"]), {"version": run.version}


def _reference_set_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("finance:reference_set"), {
        "municipality": world.larvik.pk,
        "arena": "",
        "reference": "L-1",
    }


def _reference_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("finance:reference_delete", args=[_larvik_reference(world).pk]), {}


def _credit_form(world: World) -> tuple[str, dict[str, Any]]:
    invoice = _issued_invoice(world)
    # a partial credit: 100 kr of the one line's 1 000 kr
    return reverse("finance:credit_create", args=[invoice.pk]), {
        "mode": "lines",
        "line_1": "100,00",
        "reason": "Feil beløp",
    }


def _replacement_form(world: World) -> tuple[str, dict[str, Any]]:
    invoice = _credited_invoice(world)
    return reverse("finance:replacement_create", args=[invoice.pk]), {
        "line_1": "900,00",
        "reason": "Riktig beløp",
    }


FORM_ROWS = [
    form_on("finance:grant_create", form_row(secretariat=302), _line, **GRANT_FIELDS),
    versioned_form("finance:grant_edit", form_row(secretariat=302), _grant, **GRANT_FIELDS),
    versioned_form("finance:grant_delete", form_row(secretariat=302), _grant),
    FormRow("finance:key_create", form_row(secretariat=302), _key_create_form),
    versioned_form(
        "finance:key_edit", form_row(secretariat=302), _key, name="Endret", preset="equal"
    ),
    versioned_form("finance:key_delete", form_row(secretariat=302), _key),
    FormRow("finance:key_usage_add", form_row(secretariat=302), _usage_form),
    FormRow("finance:key_fixed_add", form_row(secretariat=302), _fixed_form),
    FormRow("finance:budget_create", form_row(secretariat=302), _budget_create_form),
    versioned_form(
        "finance:budget_edit",
        form_row(secretariat=302),
        _budget,
        year=YEAR,
        administration_cost="750",
        note="Endret",
    ),
    versioned_form("finance:budget_delete", form_row(secretariat=302), _budget),
    FormRow("finance:line_add", form_row(secretariat=302), _line_add_form),
    FormRow("finance:line_edit", form_row(secretariat=302), _line_edit_form),
    versioned_form("finance:line_delete", form_row(secretariat=302), _line),
    FormRow("finance:run_create", form_row(secretariat=302), _run_create_form),
    # every arena's drafts at once: a secretariat for every arena only
    FormRow(
        "finance:runs_create_all",
        form_row(secretariat=302, arena_secretariat=403),
        _runs_create_all_form,
    ),
    FormRow("finance:run_action", form_row(secretariat=302), _run_action_form),
    versioned_form("finance:run_delete", form_row(secretariat=302), _run),
    versioned_form(
        "finance:run_account", form_row(secretariat=302), _run, seller_account=h.ACCOUNT
    ),
    FormRow(
        "finance:reference_set",
        form_row(secretariat=302, coordinator=302, arena_secretariat=403),
        _reference_set_form,
    ),
    FormRow(
        "finance:reference_delete",
        form_row(secretariat=302, coordinator=302, arena_secretariat=403),
        _reference_delete_form,
    ),
    FormRow("finance:credit_create", form_row(secretariat=302), _credit_form),
    FormRow("finance:replacement_create", form_row(secretariat=302), _replacement_form),
]

API_TAGS = {"finance"}
NAMESPACES = {"finance"}
READ_ONLY_PAGES = {
    "finance:index",
    "finance:run_list",
    "finance:arena",
    "finance:key_detail",
    "finance:budget_detail",
    "finance:run_detail",
    "finance:references",
    "finance:run_chart",
    "finance:run_csv",
    "finance:run_xlsx",
    "finance:invoice_detail",
    "finance:invoice_xml",
    "finance:invoice_pdf",
    "finance:municipality",
}
