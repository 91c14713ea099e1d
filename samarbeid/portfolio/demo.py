"""The 12K portfolio of seed 001 ("Har gjennomført ca 50 prosjekter – har 18 pågående
prosjekter – har etablert 4 faggrupper"), the strategic plan 2008–2011 sent to the twelve
councils, a vote in 12K's own body, and Innherred's "Hva skjer videre?" process plan of
seed 004 with its 2007 dates.

The seed gives the counts, the focus areas and the process; project titles, codes, dates,
case numbers, participation and outcomes are invented and marked as example data."""

from __future__ import annotations

from datetime import date, timedelta

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.examples import example
from samarbeid.governance.examples import council_adopted
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, VotingRule
from samarbeid.governance.services.cases import open_case, send_case
from samarbeid.governance.services.decisions import record_decision
from samarbeid.governance.services.process_plans import add_step, create_plan
from samarbeid.governance.services.votes import cast_vote, conclude_vote
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.services import change_status, create_project, set_participation
from samarbeid.registry.models import Municipality

CMD = Channel.COMMAND
TWELVE_K = [
    "0701",
    "0702",
    "0704",
    "0706",
    "0709",
    "0714",
    "0716",
    "0719",
    "0720",
    "0722",
    "0723",
    "0728",
]

ADMIN = "Felles administrative systemer"
IKT = "IKT"
DIGITAL = "Norge digitalt og eKommune 2009"
SCHOOL = "Digital kompetanse i skolen"
PLAN = "Plan-, areal- og næringsspørsmål"
SERVICES = "Utvikle og effektivisere tjenesteproduksjonen"
GAINS = "Gevinstrealisering"

COMPLETED: list[tuple[str, str]] = [
    ("Felles innkjøp av strøm", SERVICES),
    ("Felles anbud på forsikringer", SERVICES),
    ("Felles anbud på kontorrekvisita", SERVICES),
    ("Felles innkjøpsordning for matvarer til institusjoner", SERVICES),
    ("Felles lønns- og personalsystem – forstudie", ADMIN),
    ("Felles økonomisystem – kravspesifikasjon", ADMIN),
    ("Felles sak- og arkivsystem – anskaffelse", ADMIN),
    ("Standard kontoplan og rapportering (KOSTRA)", ADMIN),
    ("Felles rutiner for fakturamottak", ADMIN),
    ("Felles arbeidsgiverpolitikk og lederopplæring", ADMIN),
    ("Felles rekrutteringskampanje for sykepleiere", SERVICES),
    ("Felles bredbåndsutbygging i distriktene", IKT),
    ("Felles IKT-strategi for kommunene i Vestfold", IKT),
    ("Felles drift av e-post og kalender – utredning", IKT),
    ("Sikkerhetskopiering og IKT-beredskap", IKT),
    ("Felles portal for kommunale skjemaer", DIGITAL),
    ("Elektronisk byggesøknad (ByggSøk)", DIGITAL),
    ("Felles kartdatabase og geodata (Norge digitalt)", DIGITAL),
    ("Digitale planregistre", DIGITAL),
    ("Elektronisk meldingsutveksling pleie og omsorg", DIGITAL),
    ("Min side – innbyggerportal forprosjekt", DIGITAL),
    ("IKT-plan for grunnskolen", SCHOOL),
    ("Læringsplattform i grunnskolen", SCHOOL),
    ("Kompetanseheving i digital kompetanse for lærere", SCHOOL),
    ("Felles skoleadministrativt system", SCHOOL),
    ("Nettvett og digital dømmekraft i skolen", SCHOOL),
    ("Regional plan for handel og senterstruktur", PLAN),
    ("Felles næringsarealstrategi langs E18", PLAN),
    ("Kystsoneplan for Vestfold – kommunenes innspill", PLAN),
    ("Felles retningslinjer for spredt boligbygging", PLAN),
    ("Reiseliv og opplevelsesnæringer i Vestfold", PLAN),
    ("Samordnet landbruksforvaltning – utredning", PLAN),
    ("Felles regler for vann og avløp", SERVICES),
    ("Interkommunalt renovasjonssamarbeid – utredning", SERVICES),
    ("Felles legevaktordning – utredning", SERVICES),
    ("Felles kriseteam og beredskapsplan", SERVICES),
    ("Felles barnevernvakt", SERVICES),
    ("Kvalitetssystem for pleie og omsorg", SERVICES),
    ("Brukerundersøkelser i hjemmetjenesten", SERVICES),
    ("Felles opplæring i IPLOS", SERVICES),
    ("Felles rutiner for skjenkekontroll", SERVICES),
    ("Felles skatteoppkrever – utredning", ADMIN),
    ("Felles innfordring av kommunale krav", ADMIN),
    ("Sammenligning av tjenester – effektiviseringsnettverk", GAINS),
    ("Benchmarking av byggesaksbehandling", GAINS),
    ("Gevinstanalyse felles innkjøp", GAINS),
    ("Felles internkontroll – HMS-system", ADMIN),
    ("Felles opplæringsportal (e-læring) for ansatte", IKT),
    ("Felles telefoniavtale", IKT),
    ("Samordnet kollektivtilbud – kommunenes innspill", PLAN),
]

ONGOING: list[tuple[str, str]] = [
    ("Felles innkjøp av strøm 2008–2010", SERVICES),
    ("Felles lønns- og personalsystem – innføring", ADMIN),
    ("Felles økonomisystem – innføring", ADMIN),
    ("Felles IKT-driftssenter – forprosjekt", IKT),
    ("Felles nettsideløsning for kommunene", IKT),
    ("eKommune 2009: elektronisk tjenestetilbud til innbyggerne", DIGITAL),
    ("eKommune 2009: felles sikkerhetsinfrastruktur (ID-porten)", DIGITAL),
    ("Norge digitalt: felles FDV for kartdata", DIGITAL),
    ("Digital kompetanse i skolen – kompetanseplan 2008–2011", SCHOOL),
    ("Læringsplattform – felles drift og brukerstøtte", SCHOOL),
    ("Regional plan for bærekraftig arealpolitikk", PLAN),
    ("Næringsvennlig kommune – felles servicestandard", PLAN),
    ("Felles kommuneplanverktøy og planbase", PLAN),
    ("Samhandling med sykehuset – forløp for eldre", SERVICES),
    ("Felles anbud på transporttjenester", SERVICES),
    ("Velferdsteknologi i hjemmetjenesten – forstudie", SERVICES),
    ("Gevinstrealisering: oppfølging av felles innkjøp", GAINS),
    ("Gevinstrealisering: metode og rapportering", GAINS),
]

MANAGERS = [
    "Kari Nordmann",
    "Ola Hansen",
    "Ingrid Berg",
    "Per Johansen",
    "Liv Andersen",
    "Nils Larsen",
    "Anne Pedersen",
    "Tor Nilsen",
]


def _on(number: str, day: date) -> Municipality:
    return Municipality.objects.valid_on(day).get(number=number)


def _annual_decisions(actor: Actor, year: int, members: list[Municipality]) -> dict[int, Decision]:
    """One council decision per municipality and year on which 12K projects it joins (and
    which it declines): the councils treat the project list with the budget."""
    decisions: dict[int, Decision] = {}
    for index, municipality in enumerate(members):
        decisions[municipality.pk] = council_adopted(
            actor,
            municipality,
            case_number=f"{20 + index}/{year % 100:02d}",
            meeting_date=date(year, 2, 10 + index),
            text=f"{municipality.name} kommunestyre vedtar deltakelse i 12K-prosjektene for "
            f"{year} slik det fremgår av saksframlegget; kommunen deltar ikke i "
            "prosjektene som er merket «takket nei».",
        )
    return decisions


def _declines(project_index: int, member_index: int) -> bool:
    return (project_index * 7 + member_index * 5) % 13 == 0


def _projects(actor: Actor, twelve_k: Arena) -> None:
    if Project.objects.filter(arena=twelve_k, is_example_data=True).exists():
        return
    members_by_year = {
        year: [_on(n, date(year, 1, 1)) for n in TWELVE_K] for year in (2006, 2007, 2008)
    }
    decisions = {
        year: _annual_decisions(actor, year, members) for year, members in members_by_year.items()
    }
    plan: list[tuple[str, str, Project.Status, int]] = [
        (title, focus, Project.Status.COMPLETED, i) for i, (title, focus) in enumerate(COMPLETED)
    ] + [
        (title, focus, Project.Status.ONGOING, len(COMPLETED) + i)
        for i, (title, focus) in enumerate(ONGOING)
    ]
    for title, focus, final, index in plan:
        completed = final == Project.Status.COMPLETED
        year = 2006 if completed and index < 30 else 2007
        if not completed:
            year = 2007 if index % 2 else 2008
        proposed_on = date(year - 1, 10, 1) + timedelta(days=index % 28)
        start = date(year, 3, 1) + timedelta(days=(index * 11) % 90)
        end = (
            min(start + timedelta(days=200 + (index * 37) % 300), date(2007, 12, 31))
            if completed
            else date(2009 + index % 3, 12, 31)
        )
        members = members_by_year[year]
        lead = members[index % len(members)]
        project = create_project(
            Project(
                arena=twelve_k,
                code=f"12K-{year % 100:02d}-{index + 1:02d}",
                title=title,
                description=(
                    f"{title}. Prosjekt i 12-kommunesamarbeidet innenfor innsatsområdet "
                    f"«{focus}». Kommunene bestemmer selv om de deltar."
                ),
                focus_area_text=focus,
                lead_municipality=lead,
                project_manager=MANAGERS[index % len(MANAGERS)],
                budget=100_000 + (index * 37_500) % 900_000,
                start=start,
                end=end,
                is_example_data=True,
            ),
            actor=actor,
            channel=CMD,
            changed_on=proposed_on,
            reason="Idé meldt inn fra faggruppene",
        )
        steps = [
            (Project.Status.PROPOSED, proposed_on + timedelta(days=14), "Lagt fram for rådmennene"),
            (Project.Status.APPROVED, date(year, 2, 28), "Vedtatt i styringsgruppen i 12K"),
            (Project.Status.ONGOING, start, "Prosjektet er startet"),
        ]
        if completed:
            steps.append((Project.Status.COMPLETED, end, "Sluttrapport levert"))
        for status, day, reason in steps:
            change_status(project, status, changed_on=day, reason=reason, actor=actor, channel=CMD)
        invited = proposed_on + timedelta(days=15)
        for member_index, municipality in enumerate(members):
            set_participation(
                project,
                municipality,
                Participation.Status.INVITED,
                since=invited,
                decision=None,
                actor=actor,
                channel=CMD,
            )
            declined = _declines(index, member_index)
            set_participation(
                project,
                municipality,
                Participation.Status.DECLINED if declined else Participation.Status.JOINED,
                since=date(year, 3, 1),
                decision=decisions[year][municipality.pk],
                reason="Prioriterer andre tiltak i år" if declined else "",
                actor=actor,
                channel=CMD,
            )
    # One municipality withdrew from an ongoing project, with its council's decision.
    project = Project.objects.get(arena=twelve_k, title=ONGOING[5][0])
    record = (
        project.participations.filter(status=Participation.Status.JOINED, until__isnull=True)
        .select_related("municipality")
        .first()
    )
    if record is not None:
        withdraw = council_adopted(
            actor,
            record.municipality,
            case_number="88/08",
            meeting_date=date(2008, 9, 18),
            text="Kommunen trekker seg fra prosjektet og viderefører egen løsning.",
        )
        set_participation(
            project,
            record.municipality,
            Participation.Status.WITHDRAWN,
            since=date(2008, 10, 1),
            decision=withdraw,
            reason="Viderefører egen løsning",
            actor=actor,
            channel=CMD,
        )


def _vote(actor: Actor, twelve_k: Arena) -> None:
    text = "Oppstart av felles innkjøp av strøm 2008–2010"
    if Decision.objects.filter(arena=twelve_k, text=text).exists():
        return
    day = date(2007, 10, 25)
    decision = example(
        record_decision,
        Decision,
        actor,
        body=Decision.Body.ARENA_BOARD,
        arena=twelve_k,
        body_name="Styringsgruppen (ordførerne)",
        case_number="12K 7/07",
        planned_date=day,
        voting_rule=VotingRule.MAJORITY,
        text=text,
    )
    for index, number in enumerate(TWELVE_K):
        choice = "for"
        if index == 3:
            choice = "against"
        elif index == 8:
            choice = "abstain"
        elif index == 11:
            continue  # absent
        cast_vote(decision, _on(number, day), choice, actor=actor, channel=CMD)
    conclude_vote(decision, meeting_date=day, expected_version=None, actor=actor, channel=CMD)


def _innherred(actor: Actor) -> None:
    title = "Innherred samkommune – hva skjer videre? (2007)"
    if ProcessPlan.objects.filter(title=title).exists():
        return
    isk = Arena.objects.filter(short_name="ISK").first()
    if isk is None:
        return
    levanger, verdal = _on("1719", date(2007, 5, 1)), _on("1721", date(2007, 5, 1))
    case = example(
        open_case,
        Case,
        actor,
        title="Forprosjekt «ISK 2» – videre organisering etter forsøket",
        description="Forsøket med samkommune går mot slutten. Alternativer: ny fireårig "
        "forsøksperiode, forlengelse i to år, vertskommune med eller uten felles "
        "folkevalgt nemnd, interkommunalt selskap, eller tilbake til start.",
        arena=isk,
        subject=Case.Subject.ARENA,
        opened=date(2007, 4, 23),
    )
    example(
        record_decision,
        Decision,
        actor,
        case=case,
        body=Decision.Body.ARENA_BOARD,
        arena=isk,
        body_name="Samkommunestyret",
        case_number="ISK 12/07",
        meeting_date=date(2007, 5, 3),
        outcome=Decision.Outcome.ADOPTED,
        text="Mandat for forprosjekt «ISK 2» vedtas.",
    )
    for municipality, number in ((levanger, "31/07"), (verdal, "29/07")):
        council_adopted(
            actor,
            municipality,
            case=case,
            case_number=number,
            meeting_date=date(2007, 5, 9),
            text="Kommunestyret slutter seg til mandatet for forprosjektet.",
        )
    send_case(case, [levanger, verdal], planned_date=date(2007, 9, 26), actor=actor, channel=CMD)
    plan = example(
        create_plan,
        ProcessPlan,
        actor,
        title=title,
        description="«ISK – Hva skjer videre?» fra dialogseminaret 23.04.2007: fra mandat i "
        "samkommunestyret til ny søknad i november.",
        arena=isk,
    )
    steps = [
        ("Vedta mandat for forprosjekt «ISK 2»", "Samkommunestyret", date(2007, 5, 3), None, case),
        ("Behandling i kommunestyret", "Kommunestyrene", date(2007, 5, 9), None, case),
        ("Arbeid med forprosjektet", "Prosjektgruppen", date(2007, 5, 10), date(2007, 6, 30), None),
        (
            "Orientering / diskusjon i kommunestyret",
            "Kommunestyrene",
            date(2007, 6, 13),
            None,
            None,
        ),
        (
            "Fortsatt arbeid med forprosjektet",
            "Prosjektgruppen",
            date(2007, 8, 1),
            date(2007, 9, 14),
            None,
        ),
        ("Behandling / vedtak i kommunestyret", "Kommunestyrene", date(2007, 9, 26), None, case),
        ("Sende ny søknad", "Samkommunen", date(2007, 11, 1), date(2007, 11, 30), None),
    ]
    done = {1: date(2007, 5, 3), 2: date(2007, 5, 9), 3: date(2007, 6, 30), 4: date(2007, 6, 13)}
    for order, (step_title, body, planned, planned_end, linked) in enumerate(steps, start=1):
        example(
            add_step,
            ProcessStep,
            actor,
            plan=plan,
            order=order,
            title=step_title,
            body=body,
            planned_date=planned,
            planned_end=planned_end,
            done_date=done.get(order),
            case=linked,
        )


def load(actor: Actor) -> None:
    twelve_k = Arena.objects.filter(short_name="12K").first()
    if twelve_k is not None:
        _projects(actor, twelve_k)
        # The strategic plan 2008–2011 and its one case come from strategy.demo, which
        # sends the plan to the councils (send_for_treatment): no case of its own here.
        _vote(actor, twelve_k)
    _innherred(actor)
