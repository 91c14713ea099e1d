"""The scale data's populations, arenas with their members, and projects with their participants."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from samarbeid.arenas.models import Arena, Membership
from samarbeid.governance.models import Decision
from samarbeid.portal.scale.common import BATCH, YEARS, ScaleSize, ScaleSummary, day, weighted
from samarbeid.portal.scale.tables import Table
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality, Population

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


def seed_populations(rng: random.Random, municipalities: list[Municipality], today: date) -> int:
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


def seed_arenas(
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
        established = day(rng, date(2005, 1, 1), date(2020, 12, 31))
        status = weighted(
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
                ended=day(rng, established, today) if status == Arena.Status.CLOSED else None,
                status=status,
                next_review=day(rng, today - timedelta(days=60), today + timedelta(days=700)),
                published=index % 20 != 0,
                is_example_data=True,
            )
        )
        windows.append(window)
    Arena.objects.bulk_create(arenas, batch_size=BATCH)
    summary.arenas = len(arenas)

    decisions = Table(Decision)
    memberships = Table(Membership)
    for arena, window in zip(arenas, windows, strict=True):
        assert arena.established is not None
        for municipality in rng.sample(window, rng.randint(3, min(12, len(window)))):
            joined = day(rng, arena.established, min(today, date(2024, 12, 31)))
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


def seed_projects(
    rng: random.Random,
    size: ScaleSize,
    windows: list[tuple[Arena, list[Municipality]]],
    today: date,
    summary: ScaleSummary,
) -> None:
    """Projects round-robin over the arenas; participations spread evenly over projects
    (the remainder to the first ones), each with a council decision when decided.
    Drawn a chunk of projects at a time and written straight to the tables in batches
    (`Table`), so that factor 16 holds neither a million objects nor rows in memory."""
    chunk = 1000
    per_project, remainder = divmod(size.participations, max(size.projects, 1))
    projects = Table(Project)
    decisions = Table(Decision)
    participations = Table(Participation)
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
            start = day(rng, date(2014, 1, 1), today)
            status = weighted(rng, PROJECT_STATUSES)
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
                status = weighted(rng, participation_statuses)
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
