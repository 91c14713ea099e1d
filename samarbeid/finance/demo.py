"""Financing demo: seed 000's "base contribution plus project invoicing" through a host
municipality, for 12K in 2008 (key 50 % equal + 50 % per capita, population on 1 January
2007) and for the proposed n-k. All figures are invented and marked as example data.

The 2008 run is issued with a 2026 invoice date: the 2008 members (Nøtterøy, Tjøme,
Andebu, …) have since merged and have no organisation number in the register, so their
shares go to their successors with a line note, as a correction run would today. One line
of Færder's invoice is then credited and invoiced again corrected.

12K also gets a 2026 budget (`_twelve_k_2026`) with a draft run: a base contribution
50/50 and a project line split equally over a portfolio project Nøtterøy, Tjøme and Lardal
joined in 2006–2008, whose participations run on: Færder (3911) and Larvik (3909) each pay
one share, as the successors they are (issue 17)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.examples import example
from samarbeid.finance.budgets import add_line, create_budget
from samarbeid.finance.corrections import credit_invoice, issue_replacement
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.keys import create_key
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, Invoice, InvoiceRun
from samarbeid.finance.references import missing_references, set_invoice_reference
from samarbeid.finance.run_steps import approve_run, issue_run, set_run_account
from samarbeid.governance.examples import council_adopted
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.services import create_project, set_participation
from samarbeid.registry.demo import DEMO_POPULATION
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.services import import_population

CMD = Channel.COMMAND
YEAR = 2008
ISSUE_DATE = date(2026, 1, 15)
POWER_PARTICIPANTS = ["0701", "0704", "0706", "0709", "0722", "0723"]


def _key(
    actor: Actor, arena: Arena, name: str, description: str, **shares: Decimal
) -> AllocationKey:
    """The arena's example key `name`, made if it is not there (half equal, half per capita
    unless `shares` says otherwise)."""
    found = AllocationKey.objects.filter(arena=arena, name=name).first()
    if found is not None:
        return found
    return example(
        create_key,
        AllocationKey,
        actor,
        arena=arena,
        name=name,
        description=description,
        **(shares or {"equal": Decimal(50), "per_capita": Decimal(50)}),
    )


def equal_key(actor: Actor, arena: Arena) -> AllocationKey:
    """The arena's example key «Likt» (equal shares), made if it is not there: the 2026
    project line and the grants demo's project line (demo_grants) are split by it."""
    return _key(actor, arena, "Likt", "Likt på deltakerne (eksempel).", equal=Decimal(100))


def _budget(actor: Actor, arena: Arena, year: int, admin: str, note: str) -> tuple[Budget, bool]:
    found = Budget.objects.filter(arena=arena, year=year).first()
    if found is not None:
        return found, False
    budget = Budget(
        arena=arena,
        year=year,
        administration_cost=Decimal(admin),
        note=note,
        is_example_data=True,
    )
    return create_budget(budget, actor=actor, channel=CMD), True


def _budget_with_base(
    actor: Actor,
    arena: Arena,
    year: int,
    base: str,
    note: str,
    key: AllocationKey,
    description: str,
    **line: Any,
) -> tuple[Budget, bool]:
    """An example budget whose base contribution (`description`, split by `key`) carries its
    administration cost, `base`: made with its base line, or found as it is."""
    budget, created = _budget(actor, arena, year, base, note)
    if created:
        _add_line(
            actor,
            budget,
            kind=BudgetLine.Kind.BASE,
            description=description,
            amount=Decimal(base),
            key=key,
            **line,
        )
    return budget, created


def _projects_2008(actor: Actor, arena: Arena) -> list[Project]:
    """12K projects with participants in 2008; one example project if there are none."""
    ids = (
        Participation.objects.joined_during(YEAR)
        .filter(project__arena=arena)
        .values_list("project_id", flat=True)
        .distinct()
    )
    projects = list(Project.objects.filter(pk__in=ids).order_by("code")[:3])
    if projects:
        return projects
    project = Project.objects.filter(arena=arena, code="12K-KRAFT").first()
    if project is None:
        project = example(
            create_project,
            Project,
            actor,
            arena=arena,
            code="12K-KRAFT",
            title="Felles innkjøp av elektrisk kraft",
            description="Felles anbud på strøm for de deltakende kommunene (strategisk plan "
            "2008–2011 nevner en besparelse på 35 MNOK). Deltakere og datoer er "
            "eksempeldata.",
            status=Project.Status.ONGOING,
            start=date(2007, 9, 1),
        )
    if not project.participations.exists():
        _join_by_council(
            actor,
            project,
            POWER_PARTICIPANTS,
            since=date(2007, 9, 1),
            meeting_date=date(2007, 6, 14),
            case_number="KR {}/07",
            first_case=41,
            text="{} kommune deltar i felles innkjøp av kraft.",
        )
    return [project]


def _join_by_council(
    actor: Actor,
    project: Project,
    numbers: Sequence[str],
    *,
    since: date,
    meeting_date: date,
    case_number: str,
    first_case: int,
    text: str,
) -> None:
    """Each municipality of `numbers` (as it was on `since`) joins `project` on `since` by
    its council's decision of `meeting_date` (example data): cases numbered `case_number`
    from `first_case` on, the decision's `text` naming the municipality."""
    for case, number in enumerate(numbers, start=first_case):
        municipality = Municipality.objects.valid_on(since).get(number=number)
        decision = council_adopted(
            actor,
            municipality,
            case_number=case_number.format(case),
            meeting_date=meeting_date,
            text=text.format(municipality.name),
        )
        set_participation(
            project,
            municipality,
            Participation.Status.JOINED,
            since=since,
            decision=decision,
            actor=actor,
            channel=CMD,
        )


def load(actor: Actor) -> None:
    twelve_k = Arena.objects.filter(short_name="12K").first()
    if twelve_k is not None:
        _twelve_k(actor, twelve_k)
        _twelve_k_2026(actor, twelve_k)
        # a function-local import: demo_grants uses this module's helpers
        from samarbeid.finance import demo_grants

        demo_grants.load(actor, twelve_k)
    n_k = Arena.objects.filter(short_name="n-k").first()
    if n_k is not None:
        key = _key(
            actor,
            n_k,
            "Basisbidrag 50/50",
            "Forslag: halvparten likt, halvparten etter folketall 1. januar året før.",
        )
        _budget_with_base(
            actor,
            n_k,
            2009,
            "600000.00",
            "Eksempel på finansieringsmodellen i «Rydding i arenaer»: basisbidrag pluss "
            "prosjektfakturering, gjennom vertskommunen. Ingen kommuner har ennå vedtatt "
            "deltakelse, så en fakturakjøring for 2009 blir avvist.",
            key,
            "Basisbidrag n-k",
        )


def _add_line(actor: Actor, budget: Budget, **fields: Any) -> BudgetLine:
    """A line of an example budget, added through the service."""
    return add_line(BudgetLine(budget=budget, **fields), actor=actor, channel=CMD)


def _twelve_k(actor: Actor, arena: Arena) -> None:
    key = _key(
        actor,
        arena,
        "50/50",
        "50 % likt og 50 % etter folketall 1. januar året før budsjettåret (eksempel).",
    )
    budget, created = _budget_with_base(
        actor,
        arena,
        YEAR,
        "1200000.00",
        "Eksempeltall: basisbidrag til sekretariat og administrasjon, og prosjektfakturering "
        "for prosjektene kommunene har sluttet seg til.",
        key,
        "Basisbidrag 12K",
        actual=Decimal("1184250.00"),
    )
    if created:
        for index, project in enumerate(_projects_2008(actor, arena)):
            _add_line(
                actor,
                budget,
                kind=BudgetLine.Kind.PROJECT,
                project=project,
                description=f"{project.code} {project.title}",
                amount=Decimal("450000.00") - index * Decimal("100000.00"),
                key=key,
            )
    if InvoiceRun.objects.filter(arena=arena, year=YEAR).exists():
        return
    run = create_run(arena, YEAR, actor=actor, channel=CMD, issue_date=ISSUE_DATE, example=True)
    _ready_for_approval(actor, run)
    approve_run(run, expected_version=None, actor=actor, channel=CMD)
    issue_run(run, expected_version=None, actor=actor, channel=CMD)
    _correct_faerder(actor, run)


def _correct_faerder(actor: Actor, run: InvoiceRun) -> None:
    """A correction as a clerk makes one: Tjøme's base contribution on Færder's invoice was
    split with a wrong population, so that line is credited and a corrected invoice issued
    for it (invented amounts, as the rest of the run)."""
    invoice = run.invoices.filter(buyer__number="3911", kind=Invoice.Kind.INVOICE).first()
    tjome = (
        invoice.lines.filter(kind=BudgetLine.Kind.BASE, share_of__number="0723").first()
        if invoice is not None
        else None
    )
    if invoice is None or tjome is None:
        return
    reason = "Basisbidraget for Tjøme var beregnet med feil folketall."
    credit_invoice(
        invoice, reason, amounts={tjome.position: tjome.amount}, actor=actor, channel=CMD
    )
    issue_replacement(
        invoice,
        {tjome.position: tjome.amount - Decimal("2188.35")},
        reason,
        actor=actor,
        channel=CMD,
    )


# 12K 2026: a merged municipality pays once ------------------------------------------------

YEAR_2026 = 2026
ISSUE_DATE_2026 = date(2026, 2, 2)
MERGED_PARTICIPANTS = ("0722", "0723", "0728")  # Nøtterøy, Tjøme (Færder), Lardal (Larvik)


def _project_of_merged(actor: Actor, arena: Arena) -> Project:
    """A 12K portfolio project Nøtterøy, Tjøme and Lardal joined before 2018 (participations
    still running); one example project, joined through the services, if there is none."""
    running = Participation.objects.filter(
        project__arena=arena, status=Participation.Status.JOINED, until__isnull=True
    )
    for project in Project.objects.filter(arena=arena).order_by("code"):
        numbers = {
            p.municipality.number
            for p in running.filter(project=project, since__lt=date(2018, 1, 1)).select_related(
                "municipality"
            )
        }
        if set(MERGED_PARTICIPANTS) <= numbers and "0709" in numbers:
            return project
    found = Project.objects.filter(arena=arena, code="12K-DRIFT").first()
    if found is not None:
        return found
    project = example(
        create_project,
        Project,
        actor,
        arena=arena,
        code="12K-DRIFT",
        title="Felles drift av kartdata",
        description="Kommunene deler drift av kartdata (eksempeldata).",
        status=Project.Status.ONGOING,
        start=date(2008, 3, 1),
    )
    _join_by_council(
        actor,
        project,
        ["0701", "0709", *MERGED_PARTICIPANTS],
        since=date(2008, 3, 1),
        meeting_date=date(2008, 2, 14),
        case_number="KD {}/08",
        first_case=11,
        text="{} kommune deltar i felles drift av kartdata.",
    )
    return project


def _populations_2025() -> None:
    """The 50/50 key of 2026 reads population on 1 January 2025: the example figures,
    loaded again from the demo file if a database seeded before they were added lacks them."""
    if Population.objects.filter(year=YEAR_2026 - 1, municipality__number="3905").exists():
        return

    import_population(DEMO_POPULATION, example=True)


def _twelve_k_2026(actor: Actor, arena: Arena) -> None:
    """12K's 2026 budget (example figures): the base contribution by the 50/50 key over
    today's members, and a project line split equally over a project's participants, of
    which Nøtterøy, Tjøme and Lardal (recorded in 2008) are Færder and Larvik now: one
    share each. A draft run, not approved."""
    _populations_2025()
    key = _key(
        actor,
        arena,
        "50/50",
        "50 % likt og 50 % etter folketall 1. januar året før budsjettåret (eksempel).",
    )
    equal = equal_key(actor, arena)
    budget, created = _budget_with_base(
        actor,
        arena,
        YEAR_2026,
        "1500000.00",
        "Eksempeltall for 2026: basisbidrag etter 50/50-nøkkelen, og et prosjekt delt likt på "
        "deltakerne. Nøtterøy, Tjøme og Lardal deltok før 2018; nå betaler Færder og Larvik "
        "én andel hver.",
        key,
        "Basisbidrag 12K 2026",
    )
    if created:
        project = _project_of_merged(actor, arena)
        _add_line(
            actor,
            budget,
            kind=BudgetLine.Kind.PROJECT,
            project=project,
            description=f"{project.code} {project.title}",
            amount=Decimal("325000.00"),
            key=equal,
        )
    if InvoiceRun.objects.filter(arena=arena, year=YEAR_2026).exists():
        return
    run = create_run(
        arena, YEAR_2026, actor=actor, channel=CMD, issue_date=ISSUE_DATE_2026, example=True
    )
    # A draft, but ready for approval: the host's account and every buyer's reference.
    _ready_for_approval(actor, run)


# The host's bank account for the demo runs: an invented number with a valid MOD11 check
# digit (example data, as the rest of the runs).
HOST_ACCOUNT = "86011117947"


def _ready_for_approval(actor: Actor, run: InvoiceRun) -> None:
    """What approval needs, as a clerk would give it: the host's bank account on the run,
    and an invoice reference for each buyer without one (invented references in the form
    many municipalities use: a number for the accounts department and the arena)."""
    if not run.seller_account:
        set_run_account(run, HOST_ACCOUNT, expected_version=None, actor=actor, channel=CMD)
    for municipality in missing_references(run):
        set_invoice_reference(
            municipality,
            None,
            f"{municipality.number}-{run.arena.short_name}",
            actor=actor,
            channel=CMD,
            example=True,
        )
