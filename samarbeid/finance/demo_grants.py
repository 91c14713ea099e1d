"""Financing demo, external funding (issue 24): a 12K project financed in part by the county
governor's project funds ("prosjektskjønnsmidler", seed 002: the state's way to stimulate
cooperation "der dette gir bedre tjenester eller bedre forvaltning"). Applied for, partly
granted with a condition, received, and its report due in December 2026. The project, its
budget (2025) and every figure are invented and marked as example data; the 2008 and 2026
budgets are left as they were."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.finance.budgets import add_line, create_budget
from samarbeid.finance.grants import create_grant
from samarbeid.finance.models import Budget, BudgetLine, Grant
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import create_project

CMD = Channel.COMMAND
YEAR = 2025
CODE = "12K-VELF"
PARTICIPANTS = ["3901", "3905", "3909", "3911"]  # Horten, Tønsberg, Larvik, Færder
GROSS = Decimal("900000.00")


def _project(actor: Actor, arena: Arena) -> Project:
    found = Project.objects.filter(arena=arena, code=CODE).first()
    if found is not None:
        return found
    from samarbeid.finance.demo import _join_by_council  # the finance demo's own helper

    project = create_project(
        Project(
            arena=arena,
            code=CODE,
            title="Felles velferdsteknologi",
            description=(
                "Kartlegging og felles anskaffelse av velferdsteknologi i hjemmetjenestene, "
                "delvis finansiert med prosjektskjønnsmidler fra statsforvalteren (eksempeldata)."
            ),
            # decided, not counted among the document's 18 ongoing projects: the portfolio
            # page shows the 12K document's figures (50 completed, 18 ongoing), which an
            # invented project must not change
            status=Project.Status.APPROVED,
            start=date(2025, 3, 1),
            is_example_data=True,
        ),
        actor=actor,
        channel=CMD,
    )
    _join_by_council(
        actor,
        project,
        PARTICIPANTS,
        since=date(2025, 3, 1),
        meeting_date=date(2025, 2, 13),
        case_number="VT {}/25",
        first_case=3,
        text="{} kommune deltar i felles velferdsteknologi.",
    )
    return project


def load(actor: Actor, arena: Arena) -> None:
    """12K's 2025 budget with the project line and the county governor's grant on it."""
    if Budget.objects.filter(arena=arena, year=YEAR).exists():
        return
    from samarbeid.finance.demo import equal_key  # the finance demo's own, as _project's

    project = _project(actor, arena)
    budget = create_budget(
        Budget(
            arena=arena,
            year=YEAR,
            administration_cost=Decimal("0.00"),
            note=(
                "Eksempeltall for 2025: prosjektet Felles velferdsteknologi, der mottatte "
                "prosjektskjønnsmidler fra statsforvalteren trekkes fra før resten deles likt."
            ),
            is_example_data=True,
        ),
        actor=actor,
        channel=CMD,
    )
    line = add_line(
        BudgetLine(
            budget=budget,
            kind=BudgetLine.Kind.PROJECT,
            project=project,
            description=f"{project.code} {project.title}",
            amount=GROSS,
            key=equal_key(actor, arena),
        ),
        actor=actor,
        channel=CMD,
    )
    create_grant(
        Grant(
            line=line,
            grantor_kind=Grant.GrantorKind.COUNTY_GOVERNOR,
            grantor_name="Statsforvalteren i Vestfold og Telemark",
            purpose=(
                "Prosjektskjønnsmidler til kartlegging av behov og felles anskaffelse av "
                "velferdsteknologi i fire kommuner."
            ),
            applied_on=date(2025, 2, 14),
            amount_applied=Decimal("450000.00"),
            status=Grant.Status.PARTLY_GRANTED,
            decided_on=date(2025, 5, 6),
            amount_granted=Decimal("350000.00"),
            conditions=(
                "Midlene skal brukes til kartlegging og felles anskaffelse. Sluttrapport med "
                "regnskap og resultater sendes statsforvalteren innen 15. desember 2026; "
                "midler som ikke er brukt etter formålet, kreves tilbake."
            ),
            report_due=date(2026, 12, 15),
            amount_received=Decimal("350000.00"),
            is_example_data=True,
        ),
        actor=actor,
        channel=CMD,
    )
