"""Seed 000's review of KS Vestfold's projects (slides 6–7, "ajour pr 010104") against the
new primary task "arbeidsgiverrollen og rammebetingelser", seed 002's criteria on a proposal
for joint procurement, and seed 004's comparison of Innherred's alternatives. The
recommendations, scores and dates are invented and marked as example data."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.conf import settings

from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import create_arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.examples import example
from samarbeid.planning import demo as planning_demo
from samarbeid.planning.models import CooperationNeed, Theme
from samarbeid.planning.queries import need_text
from samarbeid.registry.models import Municipality
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposedForm,
    ReviewRound,
)
from samarbeid.review.services.comparisons import (
    add_alternative,
    add_criterion,
    add_participant,
    create_comparison,
    set_score,
)
from samarbeid.review.services.proposals import create_proposal, update_criterion
from samarbeid.review.services.rounds import create_round, update_item

C = Channel.COMMAND

# Seed 000's table, one row a project: name, initiator (Arena.Initiator), purpose, the
# recommendation, the arena it goes to (short name), whether it serves the primary task, why
KS_PROJECTS_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "ks-vestfold-prosjekter-2004.csv"
with KS_PROJECTS_FILE.open(encoding="utf-8", newline="") as _rows:
    KS_PROJECTS: list[dict[str, str]] = list(csv.DictReader(_rows, delimiter=";"))

INNHERRED_ALTERNATIVES = [
    ("Søke nytt 4-årig forsøk", Alternative.Kind.CONTINUE_TRIAL, "",
     "Bygger videre på sterke fagmiljø\nHelhetlig politisk styring i samkommunestyret",
     "Fortsatt forsøk uten varig lovgrunnlag\nKrever ny søknad til departementet"),
    ("Forlenge forsøket 2 år", Alternative.Kind.EXTEND, "",
     "Tid til å evaluere målene\nIngen omorganisering nå",
     "Utsetter valget\nUsikkerhet for de ansatte"),
    ("Vertskommune med felles folkevalgt nemnd", Alternative.Kind.LEGAL_FORM,
     ProposedForm.HOST_BOARD, "Varig lovgrunnlag (kommuneloven)\nPolitisk styring i nemnda",
     "Mindre helhetlig enn samkommunestyret\nVertskommunen får tyngden"),
    ("Vertskommune uten nemnd", Alternative.Kind.LEGAL_FORM, ProposedForm.HOST_ADMIN,
     "Enkelt og kjent\nKan treffe enkeltvedtak ved delegering",
     "Svak politisk styring\nKun administrativt samarbeid"),
    ("Interkommunalt selskap (IKS)", Alternative.Kind.LEGAL_FORM, ProposedForm.IKS,
     "Eget rettssubjekt\nTydelig eierstyring",
     "Kan ikke treffe enkeltvedtak\nFjerner oppgaver fra kommunestyrene"),
    ("Tilbake til start", Alternative.Kind.BACK_TO_START, "",
     "Full lokal kontroll", "Svekker fagmiljøene\nTaper gevinstene fra samarbeidet"),
]  # fmt: skip

INNHERRED_CRITERIA = [
    ("Politisk helhetstenking og styring", 30),
    ("Kompetanse og fagmiljø", 25),
    ("Innbyggernes forventninger til tjenester", 25),
    ("Økonomi", 20),
]

# participant → alternative → scores per criterion (same order as INNHERRED_CRITERIA)
INNHERRED_SCORES = {
    "Levanger": [
        [8, 8, 8, 6],
        [7, 8, 7, 6],
        [6, 7, 7, 6],
        [3, 6, 6, 7],
        [4, 7, 6, 5],
        [5, 3, 4, 4],
    ],
    "Verdal": [
        [7, 8, 7, 5],
        [7, 7, 7, 6],
        [7, 7, 7, 6],
        [4, 6, 6, 7],
        [3, 6, 6, 6],
        [6, 3, 4, 5],
    ],
}


def _review(actor: Actor) -> None:
    ks = Arena.objects.filter(short_name="KS-V").first()
    targets = {
        a.short_name: a for a in Arena.objects.filter(short_name__in=["n-k", "VUF", "Partnerskap"])
    }
    if ks is None or len(targets) < 3:
        return
    title = "Rydding i arenaer: KS Vestfolds prosjekter"
    if ReviewRound.objects.filter(title=title).exists():
        return
    for index, project in enumerate(KS_PROJECTS, start=1):
        short = f"KS-V-{index:02d}"
        if not Arena.objects.filter(short_name=short).exists():
            example(
                create_arena,
                Arena,
                actor,
                name=project["name"],
                short_name=short,
                kind=Arena.Kind.PROJECT_FORUM,
                purpose=project["purpose"],
                initiator=project["initiator"],
                parent=ks,
            )
    review = create_round(
        ReviewRound(
            title=title,
            arena=ks,
            primary_task="Arbeidsgiverrollen og rammebetingelser",
            opened=date(2004, 1, 1),
            published=True,
            is_example_data=True,
        ),
        actor=actor,
        channel=C,
        include_projects=False,
    )
    by_name = {item.arena.name: item for item in review.items.select_related("arena") if item.arena}
    for project in KS_PROJECTS:
        item = by_name.get(project["name"])
        if item is None:
            continue
        update_item(
            item,
            {
                "recommendation": project["recommendation"],
                "target_arena": targets.get(project["target"]),
                "serves_primary_task": project["serves"],
                "reason": project["reason"],
            },
            expected_version=None,
            actor=actor,
            channel=C,
        )


def _comparison(actor: Actor) -> None:
    title = "Innherred samkommune: forsøket går mot slutten, hva nå?"
    if ModelComparison.objects.filter(title=title).exists():
        return
    day = date(2007, 4, 23)
    comparison = example(
        create_comparison,
        ModelComparison,
        actor,
        title=title,
        description="Dialogseminar 23.04.2007 i Levanger. Alternativene fra lysark 7 og momentene "
        "fra lysark 5; vektene og poengene er eksempler.",
        arena=Arena.objects.filter(short_name="ISK").first(),
    )
    alternatives = [
        add_alternative(
            Alternative(
                comparison=comparison, name=name, kind=kind, form=form, pros=pros, cons=cons
            ),
            actor=actor,
            channel=C,
        )
        for name, kind, form, pros, cons in INNHERRED_ALTERNATIVES
    ]
    criteria = [
        add_criterion(
            ComparisonCriterion(comparison=comparison, name=name, weight=weight),
            actor=actor,
            channel=C,
        )
        for name, weight in INNHERRED_CRITERIA
    ]
    numbers = {"Levanger": "1719", "Verdal": "1721"}
    for participant_name, rows in INNHERRED_SCORES.items():
        participant = add_participant(
            ComparisonParticipant(
                comparison=comparison,
                name=participant_name,
                municipality=Municipality.objects.valid_on(day)
                .filter(number=numbers[participant_name])
                .first(),
            ),
            actor=actor,
            channel=C,
        )
        for alternative, values in zip(alternatives, rows, strict=True):
            for criterion, value in zip(criteria, values, strict=True):
                set_score(
                    alternative, criterion, participant, value, actor=actor, channel=C,
                    is_example_data=True,
                )  # fmt: skip


def _proposal(actor: Actor) -> None:
    title = "Felles innkjøp – offentlige anskaffelser"
    if CooperationProposal.objects.filter(title=title).exists():
        return
    proposal = example(
        create_proposal,
        CooperationProposal,
        actor,
        title=title,
        need="Sikre minimumskompetanse og -kvalitet i offentlige anskaffelser, redusere "
        "anskaffelseskostnadene og nå miljø- og etiske mål.",
        expected_effect="Lavere priser og færre klagesaker; felles kompetansemiljø.",
        arena=Arena.objects.filter(short_name="12K").first(),
        partners_asked="Rådmennene i 12K-kommunene",
        partners_asked_on=date(2009, 11, 1),
        proposed_form=ProposedForm.HOST_ADMIN,
        mandate="Vertskommunen gjennomfører felles anbud etter fullmakt fra hver kommune.",
        needs=["produce_services", "no_new_legal_entity"],
        source="Visjoner om kommunesamarbeid, Fylkesmannen 2009 (tema: innkjøp)",
    )
    evidence = {
        "know_why": ("met", "Behovsanalyse i rådmannsgruppen (eksempel)."),
        "partners_early": ("met", "Alle 12 kommuner spurt november 2009."),
        "form_and_mandate": ("in_progress", "Utkast til vertskommuneavtale."),
    }
    for criterion in proposal.criteria.all():
        if criterion.key in evidence:
            state, text = evidence[criterion.key]
            update_criterion(
                criterion,
                {"state": state, "evidence": text},
                expected_version=None,
                actor=actor,
                channel=C,
            )


def _proposal_from_needs(actor: Actor) -> None:
    """Issue 24: the proposal "Felles innkjøp" starts from the procurement needs of the
    planning demo's three Vestfold municipalities (example data; none when that demo has
    not run)."""
    title = "Felles innkjøp"
    if CooperationProposal.objects.filter(title=title).exists():
        return
    needs = list(
        CooperationNeed.objects.filter(
            is_example_data=True,
            theme=Theme.PROCUREMENT,
            strategy__municipality__number__in=[n for n, _day in planning_demo.MUNICIPALITIES],
        ).select_related("strategy__municipality")
    )
    if not needs:
        return
    create_proposal(
        CooperationProposal(
            title=title,
            need=need_text(needs),
            expected_effect="Lavere anskaffelseskostnader og et felles kompetansemiljø.",
            source="Planstrategiene til Larvik, Sandefjord og Færder (eksempel); tema fra "
            "Fylkesmannen 2009: innkjøp",
            is_example_data=True,
        ),
        planning_needs=needs,
        actor=actor,
        channel=C,
    )


def load(actor: Actor) -> None:
    _review(actor)
    _comparison(actor)
    _proposal(actor)
    _proposal_from_needs(actor)
