"""`seed_scale --factor N`: a deterministic synthetic national dataset for benchmarks.

At factor 1: population for 10 years for every current municipality, 400 arenas with
memberships anchored in council decisions, 5,000 projects and 60,000 participations;
factor N multiplies arenas, projects and participations.

This is synthetic benchmark data, not user input: it is written in bulk (`bulk_create`, and
for the bulk of the rows straight to the tables with `executemany`, see `_Table`) and
bypasses the services (and so the per-record audit trail) on purpose, because a national
dataset built record by record through `create_record` would take hours; the invoice runs
alone go through the finance service. `-v 2` prints each step's time. Every record is
marked `is_example_data=True`, so pages show "(eksempel)". Never run it against a
production database.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Min

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import Channel
from samarbeid.core.stamps import bulk_write
from samarbeid.finance.invoicing import create_runs
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, Invoice
from samarbeid.governance.models import Decision
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.services import import_municipalities

SHORT_NAME_PREFIX = "SKALA-"
BATCH = 2000
SQLITE_CACHE_KIB = 512 * 1024
YEARS = 10
# A fixed "today" keeps the data the same whenever it is seeded.
REFERENCE_DAY = date(2025, 12, 31)
# Arenas that are not strategic bodies: the scale data spreads over the common kinds.
KINDS = [
    Arena.Kind.PROFESSIONAL_NETWORK,
    Arena.Kind.PROFESSIONAL_GROUP,
    Arena.Kind.REGIONAL_COUNCIL,
    Arena.Kind.JOINT_TASK_BODY,
    Arena.Kind.HOST_ADMINISTRATIVE,
    Arena.Kind.INTERMUNICIPAL_COMPANY,
    Arena.Kind.LEARNING_NETWORK,
    Arena.Kind.PROJECT_FORUM,
]
LEGAL_FORMS = {
    Arena.Kind.REGIONAL_COUNCIL: Arena.LegalForm.IPR,
    Arena.Kind.JOINT_TASK_BODY: Arena.LegalForm.KO,
    Arena.Kind.HOST_ADMINISTRATIVE: Arena.LegalForm.HOST,
    Arena.Kind.INTERMUNICIPAL_COMPANY: Arena.LegalForm.IKS,
}
TOPICS = [
    "innkjøp",
    "barnevern",
    "IKT",
    "arkiv",
    "legevakt",
    "brannvern",
    "landbruk",
    "næringsutvikling",
    "kompetanse",
    "helse og omsorg",
    "vann og avløp",
    "samferdsel",
    "klima",
    "skole",
    "kultur",
]
PROJECT_STATUSES = [
    (Project.Status.ONGOING, 40),
    (Project.Status.COMPLETED, 30),
    (Project.Status.APPROVED, 10),
    (Project.Status.PROPOSED, 10),
    (Project.Status.IDEA, 5),
    (Project.Status.DISCONTINUED, 5),
]


@dataclass(frozen=True)
class ScaleSize:
    arenas: int
    projects: int
    participations: int

    @classmethod
    def for_factor(cls, factor: int) -> ScaleSize:
        return cls(arenas=400 * factor, projects=5000 * factor, participations=60000 * factor)


@dataclass
class ScaleSummary:
    municipalities: int = 0
    populations: int = 0
    arenas: int = 0
    memberships: int = 0
    projects: int = 0
    participations: int = 0
    decisions: int = 0
    budgets: int = 0
    budget_lines: int = 0
    invoice_runs: int = 0
    invoices: int = 0
    seconds: float = 0.0
    # seconds per step (populations, arenas, projects, budgets, invoice runs, stamps)
    steps: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - started


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _weighted(rng: random.Random, choices: list[tuple[Any, int]]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


class _Table:
    """Rows written straight to one model's table, `executemany` in batches, for the bulk of
    the data (a hundred thousand decisions and participations per factor): the ORM's
    bulk_create builds a model instance and compiles a placeholder per value, which cost
    most of the seeding's time. Each row gets every column: the values given, else the
    field's default (as bulk_create would write them). Primary keys are given in order from
    the table's highest (what the database would have given in a fresh one), so rows can
    point at rows not written yet; `finish` writes the rest and resets the sequence."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.pk_column = model._meta.pk.column
        self.names = [f.attname for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}
        # dates and decimals take the backend's form; the rest (text, numbers, keys,
        # booleans) the driver takes as they are
        self.adapt = {
            f.attname: f
            for f in fields
            if isinstance(f, models.DateField | models.DecimalField | models.DateTimeField)
        }
        top = model._default_manager.aggregate(top=Max("pk"))["top"]
        self.next_pk = (top or 0) + 1
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        quote = connection.ops.quote_name
        columns = [self.pk_column, *(f.column for f in fields)]
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 (names from the model)
            f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        )

    def add(self, **values: Any) -> int:
        """A row of `values` (by attname); its primary key."""
        pk = self.next_pk
        self.next_pk += 1
        row = self.defaults | values
        for name, model_field in self.adapt.items():
            if row[name] is not None:
                row[name] = model_field.get_db_prep_save(row[name], connection)
        self.rows.append((pk, *(row[name] for name in self.names)))
        if len(self.rows) >= BATCH * 5:
            self.flush()
        return pk

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows = []

    def finish(self) -> int:
        """Write the rest; the rows written in all."""
        self.flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)
        return self.written


class AlreadySeeded(CommandError):
    """The database already holds scale data with this prefix."""


def seed_scale(
    size: ScaleSize,
    *,
    seed: int = 1,
    today: date | None = None,
    prefix: str = SHORT_NAME_PREFIX,
    runs: bool = True,
) -> ScaleSummary:
    """Write the dataset. Deterministic: the same size and seed give the same records.
    `prefix` starts every arena's short name (tests add a second batch with another one).
    `runs`: also make invoice runs for the budget years before the last one (through the
    finance service, which writes its own audit entries); the last year is left without
    runs, so that a national invoice run can be timed on it."""
    if size.arenas < 1 or size.projects < 0 or size.participations < 0:
        raise ValueError("sizes must be positive")
    if Arena.objects.filter(short_name__startswith=prefix).exists():
        raise AlreadySeeded(
            "This database already holds scale data; seed a fresh database instead."
        )
    started = time.perf_counter()
    if not Municipality.objects.exists():
        import_municipalities()
    rng = random.Random(seed)
    today = today or REFERENCE_DAY
    summary = ScaleSummary()
    # Bulk writes send no signals: the stamps are raised for them once (and before the
    # invoice runs read the splits).
    if connection.vendor == "sqlite":
        # SQLite's own page cache is 2 MB by default: at factor 16 (0.6 GB) every insert into
        # an index would go to the file for its pages. This connection only, for the seeding.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    with transaction.atomic():
        with bulk_write():
            municipalities = list(Municipality.objects.current().order_by("number"))
            summary.municipalities = len(municipalities)
            with summary.step("populations"):
                summary.populations = _populations(rng, municipalities, today)
            with summary.step("arenas"):
                windows = _arenas(rng, size, municipalities, today, summary, prefix)
            with summary.step("projects"):
                _projects(rng, size, windows, today, summary)
            if runs:
                arena_ids = [arena.pk for arena, _window in windows]
                with summary.step("budgets"):
                    _budgets(rng, arena_ids, today, summary)
                with summary.step("invoice runs"):
                    _invoice_runs(arena_ids, today, summary)
            stamps_raised = time.perf_counter()
        summary.steps["stamps"] = time.perf_counter() - stamps_raised
    summary.seconds = time.perf_counter() - started
    return summary


def _populations(rng: random.Random, municipalities: list[Municipality], today: date) -> int:
    existing = set(
        Population.objects.filter(municipality__in=municipalities).values_list(
            "municipality_id", "year"
        )
    )
    rows = []
    for municipality in municipalities:
        base = rng.randint(500, 80000)
        for offset in range(YEARS):
            year = today.year - YEARS + 1 + offset
            count = int(base * (1 + 0.008 * offset) + rng.randint(-50, 50))
            if (municipality.pk, year) in existing:
                continue  # after the draw, so the rest of the data stays the same
            rows.append(
                Population(
                    municipality=municipality,
                    year=year,
                    count=max(count, 100),
                    is_example_data=True,
                )
            )
    Population.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _arenas(
    rng: random.Random,
    size: ScaleSize,
    municipalities: list[Municipality],
    today: date,
    summary: ScaleSummary,
    prefix: str,
) -> list[tuple[Arena, list[Municipality]]]:
    """Each arena draws its members from a window of neighbouring municipality numbers
    (numbers group by county), so cooperations look regional."""
    count = len(municipalities)
    window_size = min(20, count)
    arenas: list[Arena] = []
    windows: list[list[Municipality]] = []
    for index in range(size.arenas):
        start = rng.randrange(count)
        window = [municipalities[(start + k) % count] for k in range(window_size)]
        kind = KINDS[index % len(KINDS)]
        topic = TOPICS[index % len(TOPICS)]
        established = _day(rng, date(2005, 1, 1), date(2020, 12, 31))
        status = _weighted(
            rng,
            [(Arena.Status.ACTIVE, 85), (Arena.Status.UNDER_REVIEW, 10), (Arena.Status.CLOSED, 5)],
        )
        arenas.append(
            Arena(
                name=f"{window[0].name}-regionen: {topic} {index + 1} (eksempel)",
                short_name=f"{prefix}{index + 1:06d}",
                kind=kind,
                legal_form=LEGAL_FORMS.get(kind, Arena.LegalForm.NONE),
                purpose=f"Felles arbeid med {topic} i regionen (syntetiske skaladata).",
                initiator=Arena.Initiator.MUNICIPALITIES,
                host_municipality=window[0],
                established=established,
                ended=_day(rng, established, today) if status == Arena.Status.CLOSED else None,
                status=status,
                next_review=_day(rng, today - timedelta(days=60), today + timedelta(days=700)),
                published=index % 20 != 0,
                is_example_data=True,
            )
        )
        windows.append(window)
    Arena.objects.bulk_create(arenas, batch_size=BATCH)
    summary.arenas = len(arenas)

    decisions = _Table(Decision)
    memberships = _Table(Membership)
    for arena, window in zip(arenas, windows, strict=True):
        assert arena.established is not None
        for municipality in rng.sample(window, rng.randint(3, min(12, len(window)))):
            joined = _day(rng, arena.established, min(today, date(2024, 12, 31)))
            # History stays true: nobody joins before its municipality number existed.
            joined = max(joined, municipality.valid_from or joined)
            case_number = f"{joined.year % 100:02d}/{rng.randint(1, 250)}"
            decision_id = decisions.add(
                body=Decision.Body.COUNCIL,
                municipality_id=municipality.pk,
                case_number=case_number,
                meeting_date=joined - timedelta(days=rng.randint(7, 60)),
                outcome=Decision.Outcome.ADOPTED,
                text=f"Kommunestyret slutter seg til {arena.short_name}.",
                is_example_data=True,
            )
            memberships.add(
                arena_id=arena.pk,
                municipality_id=municipality.pk,
                joined=joined,
                decision_id=decision_id,
                is_example_data=True,
            )
    summary.decisions += decisions.finish()
    summary.memberships = memberships.finish()
    return list(zip(arenas, windows, strict=True))


def _projects(
    rng: random.Random,
    size: ScaleSize,
    windows: list[tuple[Arena, list[Municipality]]],
    today: date,
    summary: ScaleSummary,
) -> None:
    """Projects round-robin over the arenas; participations spread evenly over projects
    (the remainder to the first ones), each with a council decision when decided.
    Drawn a chunk of projects at a time and written straight to the tables in batches
    (`_Table`), so that factor 16 holds neither a million objects nor rows in memory."""
    chunk = 1000
    per_project, remainder = divmod(size.participations, max(size.projects, 1))
    projects = _Table(Project)
    decisions = _Table(Decision)
    participations = _Table(Participation)
    participation_statuses = [
        (Participation.Status.JOINED, 80),
        (Participation.Status.DECLINED, 8),
        (Participation.Status.WITHDRAWN, 4),
        (Participation.Status.INVITED, 4),
        (Participation.Status.CONSIDERING, 4),
    ]
    decided = {
        Participation.Status.JOINED,
        Participation.Status.DECLINED,
        Participation.Status.WITHDRAWN,
    }
    for first in range(0, size.projects, chunk):
        drawn: list[tuple[int, date]] = []
        for index in range(first, min(first + chunk, size.projects)):
            arena, window = windows[index % len(windows)]
            start = _day(rng, date(2014, 1, 1), today)
            status = _weighted(rng, PROJECT_STATUSES)
            # drawn in the order the fields were always drawn in, so the data stays the same
            budget = Decimal(rng.randrange(50_000, 5_000_000, 1000))
            end = (
                start + timedelta(days=rng.randint(180, 1500))
                if status == Project.Status.COMPLETED
                else None
            )
            pk = projects.add(
                arena_id=arena.pk,
                code=f"P{index + 1:07d}",
                title=f"{TOPICS[index % len(TOPICS)].capitalize()} – prosjekt {index + 1}",
                description="Syntetisk prosjekt for ytelsesmålinger (eksempel).",
                lead_municipality_id=window[index % len(window)].pk,
                budget=budget,
                start=start,
                end=end,
                status=status,
                published=arena.published,
                is_example_data=True,
            )
            drawn.append((pk, start))
        for offset, (project_id, project_start) in enumerate(drawn):
            window = windows[(first + offset) % len(windows)][1]
            wanted = per_project + (1 if first + offset < remainder else 0)
            if wanted <= len(window):
                members = rng.sample(window, wanted)
            else:
                members = [window[k % len(window)] for k in range(wanted)]
            for municipality in members:
                status = _weighted(rng, participation_statuses)
                since = max(project_start, municipality.valid_from or project_start)
                decision_id = None
                if status in decided:
                    case_number = f"{since.year % 100:02d}/{rng.randint(1, 250)}"
                    decision_id = decisions.add(
                        body=Decision.Body.COUNCIL,
                        municipality_id=municipality.pk,
                        case_number=case_number,
                        meeting_date=since - timedelta(days=rng.randint(1, 90)),
                        outcome=Decision.Outcome.ADOPTED
                        if status == Participation.Status.JOINED
                        else Decision.Outcome.REJECTED,
                        is_example_data=True,
                    )
                participations.add(
                    project_id=project_id,
                    municipality_id=municipality.pk,
                    status=status,
                    since=since,
                    decision_id=decision_id,
                    is_example_data=True,
                )
    # the decisions and projects before the participations that name them
    summary.decisions += decisions.finish()
    summary.projects += projects.finish()
    summary.participations += participations.finish()


def budget_years(today: date) -> range:
    """Ten budget years ending the year after `today`'s; each uses the population of the
    year before, which `_populations` has seeded."""
    return range(today.year - YEARS + 2, today.year + 2)


def _budgets(rng: random.Random, arena_ids: list[int], today: date, summary: ScaleSummary) -> None:
    """Per arena: a key (50 % equal + 50 % per capita) and, for each budget year, a base
    contribution (when it has members that year) and up to three project lines (projects
    running that year with participants)."""
    first_joined = dict(
        Membership.objects.filter(arena_id__in=arena_ids)
        .values("arena_id")
        .annotate(first=Min("joined"))
        .values_list("arena_id", "first")
    )
    # A project line needs someone taking part that year: from its first joined participant.
    first_participant = dict(
        Participation.objects.filter(
            project__arena_id__in=arena_ids, status=Participation.Status.JOINED
        )
        .values("project_id")
        .annotate(first=Min("since"))
        .values_list("project_id", "first")
    )
    projects: dict[int, list[tuple[int, str, date, date | None]]] = {}
    for pk, arena_id, title, end in (
        Project.objects.filter(arena_id__in=arena_ids, pk__in=first_participant)
        .order_by("pk")
        .values_list("pk", "arena_id", "title", "end")
    ):
        projects.setdefault(arena_id, []).append((pk, title, first_participant[pk], end))
    keys = [
        AllocationKey(
            arena_id=arena_id,
            name="50 % likt + 50 % per innbygger",
            equal=Decimal(50),
            per_capita=Decimal(50),
            is_example_data=True,
        )
        for arena_id in arena_ids
    ]
    AllocationKey.objects.bulk_create(keys, batch_size=BATCH)
    key_by_arena = {key.arena_id: key.pk for key in keys}
    budgets = _Table(Budget)
    budget_lines = _Table(BudgetLine)
    for arena_id in arena_ids:
        key_id = key_by_arena[arena_id]
        for year in budget_years(today):
            first, last = date(year, 1, 1), date(year, 12, 31)
            lines: list[dict[str, Any]] = []
            joined = first_joined.get(arena_id)
            if joined is not None and joined <= last:
                lines.append(
                    {
                        "kind": BudgetLine.Kind.BASE,
                        "description": "Basisbidrag",
                        "amount": Decimal(rng.randrange(100_000, 2_000_000, 500)),
                        "key_id": key_id,
                    }
                )
            running = [
                (pk, title)
                for pk, title, start, end in projects.get(arena_id, [])
                if start <= last and (end is None or end >= first)
            ]
            for pk, title in running[:3]:
                lines.append(
                    {
                        "kind": BudgetLine.Kind.PROJECT,
                        "project_id": pk,
                        "description": title[:200],
                        "amount": Decimal(rng.randrange(20_000, 800_000, 100)),
                        "key_id": key_id,
                    }
                )
            if not lines:
                continue
            budget_id = budgets.add(
                arena_id=arena_id,
                year=year,
                administration_cost=Decimal(rng.randrange(0, 200_000, 100)),
                is_example_data=True,
            )
            for line in lines:
                budget_lines.add(budget_id=budget_id, **line)
    summary.budgets = budgets.finish()
    summary.budget_lines = budget_lines.finish()


def scale_actor() -> Any:
    """The secretariat user in whose name the scale data's invoice runs are made."""
    user, created = get_user_model().objects.get_or_create(
        username="skala-sekretariat", defaults={"first_name": "Skaladata"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.SECRETARIAT, arena=None)
    return user


def _invoice_runs(arena_ids: list[int], today: date, summary: ScaleSummary) -> None:
    """One national invoice run per budget year except the last, through the service."""
    actor = scale_actor()
    for year in list(budget_years(today))[:-1]:
        arenas = list(Arena.objects.filter(pk__in=arena_ids, budgets__year=year).order_by("pk"))
        if not arenas:
            continue
        made = create_runs(
            arenas,
            year,
            actor=actor,
            channel=Channel.COMMAND,
            issue_date=date(year, 2, 1),
            example=True,
        )
        summary.invoice_runs += len(made)
    summary.invoices = Invoice.objects.filter(run__arena_id__in=arena_ids).count()


class Command(BaseCommand):
    help = (
        "Seed a deterministic synthetic national dataset for benchmarks (factor 1: every "
        "current municipality, 400 arenas, 5,000 projects, 60,000 participations). "
        "Bulk-written without audit entries; marked as example data. Use a fresh database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factor", type=int, default=1, help="Multiplies arenas etc.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--no-runs",
            action="store_true",
            help="Budgets only: make no invoice runs (faster)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        factor: int = options["factor"]
        if factor < 1 or factor > 1000:
            raise CommandError("--factor must be between 1 and 1000.")
        summary = seed_scale(
            ScaleSize.for_factor(factor), seed=options["seed"], runs=not options["no_runs"]
        )
        self.stdout.write(
            f"Seeded factor {factor} in {summary.seconds:.1f} s: "
            f"{summary.municipalities} municipalities, {summary.populations} population rows, "
            f"{summary.arenas} arenas, {summary.memberships} memberships, "
            f"{summary.projects} projects, {summary.participations} participations, "
            f"{summary.decisions} decisions, {summary.budgets} budgets with "
            f"{summary.budget_lines} lines, {summary.invoice_runs} invoice runs with "
            f"{summary.invoices} invoices."
        )
        if options["verbosity"] >= 2:
            self.stdout.write(
                "Steps: " + ", ".join(f"{name} {sec:.1f} s" for name, sec in summary.steps.items())
            )
