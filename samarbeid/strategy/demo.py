"""Seed 001: 12K's strategic plan 2008–2011 (goals, prerequisites, working methods, success
and critical factors, focus areas) sent to every council, and the account 1997–2006
(administration 5.1 MNOK; joint electricity procurement saved 35 MNOK). Seed 004:
Innherred samkommune's adopted main goals and whether they were met. Dates, case numbers,
outcomes, assessments and benefits the documents do not give are invented and marked as
example data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.examples import example
from samarbeid.finance.demo_grants import CODE as WELFARE_TECHNOLOGY_CODE
from samarbeid.governance.models import Decision
from samarbeid.governance.services.decisions import update_decision
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import create_project
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    AdministrationCost,
    Basis,
    Benefit,
    BenefitRealisation,
    EconomicResult,
    FocusArea,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorValue,
    PlanItem,
    ProjectFocusArea,
    Result,
    StrategicPlan,
)
from samarbeid.strategy.services.attainment import assess_goal
from samarbeid.strategy.services.benefits import add_benefit, record_realisation
from samarbeid.strategy.services.links import link_focus_area, link_goal, plan_projects
from samarbeid.strategy.services.plans import (
    add_focus_area,
    add_goal,
    add_plan_item,
    create_plan,
    send_for_treatment,
    set_plan_status,
)
from samarbeid.strategy.services.results import (
    add_administration_cost,
    add_economic_result,
    add_indicator,
    add_indicator_value,
    add_result,
    keep_outside_account,
)

C = Channel.COMMAND
SOURCE_001 = "12-kommunesamarbeidet i Vestfold, Strategisk plan 2008–2011, lysark 4"

GOALS_12K = [
    ("Utvikle, forbedre og effektivisere kommunenes tjenestetilbud", ""),
    ("Samordne kommunenes plan-, areal- og næringspolitikk", ""),
    ("Være talerør for kommunale fellesinteresser i Vestfold", "Nytt mål i planperioden."),
]
PREREQUISITES = [
    ("Kommunenes frihet", "Kommunene bestemmer selv hvilke prosjekter og saker de deltar i."),
    ("Likhet", "Alle kommunene har samme status og stemme i samarbeidet."),
    (
        "Utviklings- og læringsarena",
        "12K har arenaer for dialog, utviklingssamarbeid og erfaringsutveksling.",
    ),
    ("Forankring", "Deltakelse i samarbeidet vedtas i de enkelte kommunestyrene."),
    (
        "Nettverksorganisasjon",
        "12K er en politisk og faglig nettverksorganisasjon for felles utviklings-, "
        "utrednings- og planleggingsinitiativ, ikke en organisasjon for drift av fellestiltak.",
    ),
    ("Oppgavefokusert", "Fokus på konkrete prosjekter og felles løsninger."),
]
WORKING_METHODS = [
    ("Fortsatt benytte fag- og læringsnettverk", ""),
    ("Utnytte muligheter i tilskuddsordninger og programmer", ""),
    ("Alle har et felles ansvar for å vurdere fellestiltak i nye saker", ""),
    (
        "Rådmennene",
        "Ansvar for informasjon og involvering av administrasjonen og tillitsvalgte i egen "
        "kommune.",
    ),
    ("Ordførerne", "Ansvar for informasjon og involvering av politiske organ."),
    ("Administrativ leder 12K", "Særlig blikk på nye utfordringer og muligheter."),
]
SUCCESS_FACTORS = [
    ("Velge prosjekter som gir gevinster og utvikling", ""),
    ("Kommunene beslutter selv deltakelse i prosjekter", ""),
    ("Felles problemløsing", ""),
    ("Utvikle beste praksis", "Læringsarenaer."),
]
CRITICAL_FACTORS = [
    ("Samordning", "Jf. aktivitetsveksten."),
    ("Informasjon", "Både administrativt og politisk."),
    ("Tid til å delta i prosjekter", ""),
    (
        "Implementering av fellesløsningene i kommunene",
        "Gevinster må tas ut i kommunens virksomheter. Hvordan nyttiggjør kommunen felles "
        "utredninger og planlegging?",
    ),
]
FOCUS_AREAS = [
    ("Harmonisering og standardisering", "Felles administrative systemer; IKT."),
    ("Videre oppfølging av Norge Digitalt og eKommune 2009", ""),
    ("Digital kompetanse i skolen", ""),
    ("Plan-, areal- og næringsspørsmål", ""),
    ("Utvikle og effektivisere tjenesteproduksjonen", ""),
    ("Gevinstrealisering", ""),
]
GOALS_ISK = [
    ("Bedre tjenester innenfor eksisterende økonomiske rammer", "partly_met"),
    ("Opparbeide og øke beredskap til å møte nye utfordringer", "partly_met"),
    ("Være drivkraften i utviklingen av samarbeidet i Innherredsregionen", "met"),
    ("Være tyngdepunktet for regional utvikling (kulturbasert forretningsutvikling)", "too_early"),
    ("Skape et positivt bilde av regionen", "partly_met"),
    ("Reduserte driftsutgifter på sikt", "too_early"),
]


def load(actor: Actor) -> None:
    twelve_k = Arena.objects.filter(short_name="12K").first()
    if twelve_k is not None:
        plan = _twelve_k_plan(twelve_k, actor)
        _twelve_k_account(twelve_k, plan, actor)
        _welfare_technology_results(twelve_k, actor)
    innherred = Arena.objects.filter(short_name="ISK").first()
    if innherred is not None:
        _innherred_goals(innherred, actor)


def _twelve_k_plan(arena: Arena, actor: Actor) -> StrategicPlan:
    plan = StrategicPlan.objects.filter(arena=arena, first_year=2008, last_year=2011).first()
    if plan is not None:
        return plan
    plan = create_plan(
        StrategicPlan(
            arena=arena,
            title="Strategisk plan for 12-kommunesamarbeidet i Vestfold",
            first_year=2008,
            last_year=2011,
            summary=(
                "12K har gjennomført ca. 50 prosjekter, har 18 pågående prosjekter og har "
                "etablert 4 faggrupper: en betydelig aktivitetsvekst, både i bredde, dybde og "
                "kompleksitet. Planen oversendes kommunene for politisk behandling."
            ),
        ),
        actor=actor,
        channel=C,
    )
    for number, (title, description) in enumerate(GOALS_12K, start=1):
        add_goal(
            Goal(arena=arena, plan=plan, number=number, title=title, description=description),
            actor=actor,
            channel=C,
        )
    for kind, rows in (
        (PlanItem.Kind.PREREQUISITE, PREREQUISITES),
        (PlanItem.Kind.WORKING_METHOD, WORKING_METHODS),
        (PlanItem.Kind.SUCCESS_FACTOR, SUCCESS_FACTORS),
        (PlanItem.Kind.CRITICAL_FACTOR, CRITICAL_FACTORS),
    ):
        for order, (title, description) in enumerate(rows, start=1):
            add_plan_item(
                PlanItem(plan=plan, kind=kind, order=order, title=title, description=description),
                actor=actor,
                channel=C,
            )
    for order, (title, description) in enumerate(FOCUS_AREAS, start=1):
        add_focus_area(
            FocusArea(plan=plan, order=order, title=title, description=description),
            actor=actor,
            channel=C,
        )
    # The treatment in each council: dates, case numbers and outcomes are invented.
    case = send_for_treatment(
        plan,
        planned_date=date(2007, 12, 13),
        sent_on=date(2007, 11, 1),
        example=True,
        actor=actor,
        channel=C,
    )
    for index, decision in enumerate(
        Decision.objects.filter(case=case).select_related("municipality").order_by("id"), start=1
    ):
        update_decision(
            decision,
            {
                "outcome": Decision.Outcome.ADOPTED,
                "meeting_date": date(2007, 12, 13),
                "case_number": f"PS {100 + index}/07",
                "text": "Strategisk plan 2008–2011 for 12-kommunesamarbeidet vedtas.",
                "is_example_data": True,
            },
            expected_version=None,
            actor=actor,
            channel=C,
        )
    plan.refresh_from_db()
    for status in (StrategicPlan.Status.ADOPTED, StrategicPlan.Status.EXPIRED):
        set_plan_status(plan, status, expected_version=None, actor=actor, channel=C)
    _link_portfolio(plan, actor)
    return plan


def _link_portfolio(plan: StrategicPlan, actor: Actor) -> None:
    """Link 12K's projects to the plan's focus areas by their focus-area text (portfolio's
    demo writes it until the plan exists)."""
    areas = list(plan.focus_areas.all())
    for project in plan_projects(plan):
        text = project.focus_area_text.strip().lower()
        if not text:
            continue
        for area in areas:
            title = area.title.lower()
            if (text in title or title in text) and not ProjectFocusArea.objects.filter(
                project=project, focus_area=area
            ).exists():
                link_focus_area(project, area, actor=actor, channel=C)


def _strom_project(arena: Arena, actor: Actor) -> Project:
    found = Project.objects.filter(arena=arena, title__iexact="Felles innkjøp av strøm").first()
    if found is not None:
        return found

    return create_project(
        Project(
            arena=arena,
            code="12K-STROM",
            title="Felles innkjøp av strøm",
            description=(
                "Felles anbud og innkjøp av strøm for kommunene. Seed 001: besparelsene, "
                "35 mill. kr, er ikke tatt med i de økonomiske resultatene 1997–2006. "
                "Prosjektet ligger før 12K ble etablert i registeret (2006); kode og datoer "
                "er oppdiktet."
            ),
            focus_area_text="Utvikle og effektivisere tjenesteproduksjonen",
            start=date(1997, 1, 1),
            end=date(2006, 12, 31),
            status=Project.Status.COMPLETED,
            is_example_data=True,
        ),
        actor=actor,
        channel=C,
        changed_on=date(1997, 1, 1),
        reason="Registrert fra strategisk plan 2008–2011",
    )


# Seed 001, slide 4, in its own words: the saving is not part of the economic results.
STROM_KEPT_OUTSIDE = (
    "«Besparelser på felles innkjøp av strøm – 35 mill – er ikke inkludert» "
    "i de økonomiske resultatene 1997–2006."
)


def _twelve_k_account(arena: Arena, plan: StrategicPlan, actor: Actor) -> None:
    if not AdministrationCost.objects.filter(arena=arena, first_year=1997).exists():
        add_administration_cost(
            AdministrationCost(
                arena=arena,
                first_year=1997,
                last_year=2006,
                amount=Decimal("5100000.00"),
                source=f"{SOURCE_001}: «Utgifter til administrasjon av 12k 1997–2006: 5,1 mill»",
            ),
            actor=actor,
            channel=C,
        )
    strom = _strom_project(arena, actor)
    saving = strom.economic_results.first()
    if saving is None:
        add_economic_result(
            EconomicResult(
                project=strom,
                kind=EconomicResult.Kind.SAVING,
                basis=Basis.REALISED,
                year=1997,
                to_year=2006,
                amount=Decimal("35000000.00"),
                source=f"{SOURCE_001}: «Besparelser på felles innkjøp av strøm – 35 mill»",
                note="Kilden gir én sum for perioden, ikke fordelt på år eller kommuner.",
                kept_outside_reason=STROM_KEPT_OUTSIDE,
            ),
            actor=actor,
            channel=C,
        )
    elif not saving.kept_outside_reason:  # loaded before results could be kept outside
        keep_outside_account(saving, STROM_KEPT_OUTSIDE, actor=actor, channel=C)
    if not strom.goal_links.exists():
        goal = plan.goals.get(number=1)
        link_goal(strom, goal, actor=actor, channel=C)
    if not strom.results.exists():
        result = example(
            add_result,
            Result,
            actor,
            project=strom,
            kind=Result.Kind.PROFESSIONAL,
            title="Felles strømavtale for kommunene",
            description="Samarbeid gir økonomiske innsparinger: felles anbud og innkjøp.",
            recorded_on=date(2006, 12, 31),
        )
        indicator = example(
            add_indicator,
            Indicator,
            actor,
            result=result,
            name="Kommuner med felles strømavtale",
            unit="antall",
            baseline=Decimal("0"),
            target=Decimal("12"),
        )
        example(
            add_indicator_value,
            IndicatorValue,
            actor,
            indicator=indicator,
            measured_on=date(2006, 12, 31),
            value=Decimal("12"),
        )
        add_result(
            Result(
                project=strom,
                kind=Result.Kind.UNQUANTIFIABLE,
                title="Tillit, møteplasser og samspill",
                description="Ikke kvantifiserbare resultater av samarbeidet (seed 001, lysark 5).",
                recorded_on=date(2006, 12, 31),
            ),
            actor=actor,
            channel=C,
        )
    if not strom.benefits.exists():
        _benefits(strom, actor)


# What the grant's report shows for 12K's «Felles velferdsteknologi» (finance.demo_grants):
# the results its own texts say it is for (the project's description and the grant's purpose:
# mapping the needs and a joint procurement of welfare technology in the home services of
# four municipalities), what seed 001 says cooperation gives (slide 5) and what seed 002
# says the county governor's project funds are for. Described outcomes, no figures: none of
# the texts gives one. (title, kind, description, recorded on)
WELFARE_TECHNOLOGY_RESULTS = [
    (
        "Kartlagte behov for velferdsteknologi i hjemmetjenestene",
        Result.Kind.PROFESSIONAL,
        "Behovene i hjemmetjenestene i Horten, Tønsberg, Larvik og Færder er kartlagt samlet, "
        "som prosjektskjønnsmidlene fra statsforvalteren er gitt til (eksempeldata; "
        "kartleggingen er ikke tallfestet her).",
        date(2025, 11, 28),
    ),
    (
        "Felles anskaffelse av velferdsteknologi for fire kommuner",
        Result.Kind.PROFESSIONAL,
        "Én felles anskaffelse i stedet for fire: «Samarbeid gir økonomiske innsparinger – "
        "felles anbud / innkjøp» (12-kommunesamarbeidet, lysark 5). Eksempeldata; ingen "
        "innsparing er beregnet.",
        date(2026, 9, 30),
    ),
    (
        "Bedre tjenester gjennom samarbeid om velferdsteknologi",
        Result.Kind.UNQUANTIFIABLE,
        "Prosjektskjønnsmidlene skal «stimulere til samarbeid der dette gir bedre tjenester "
        "eller bedre forvaltning» (Fylkesmannen, 2009); ikke kvantifisert (eksempeldata).",
        date(2026, 9, 30),
    ),
]


def _welfare_technology_results(arena: Arena, actor: Actor) -> None:
    """The results of the 12K project the county governor's grant finances, once."""
    project = Project.objects.filter(arena=arena, code=WELFARE_TECHNOLOGY_CODE).first()
    if project is None or project.results.exists():
        return
    for title, kind, description, recorded_on in WELFARE_TECHNOLOGY_RESULTS:
        example(
            add_result,
            Result,
            actor,
            project=project,
            kind=kind,
            title=title,
            description=description,
            recorded_on=recorded_on,
        )


def _benefits(project: Project, actor: Actor) -> None:
    """Example benefits realisation plans: one realised in old Larvik, one overdue in
    today's Larvik, one not realised in Sandefjord."""
    old_larvik = Municipality.objects.valid_on(date(2006, 1, 1)).get(number="0709")
    larvik = Municipality.objects.current().get(number="3909")
    old_sandefjord = Municipality.objects.valid_on(date(2006, 1, 1)).get(number="0706")
    plans: list[tuple[Benefit, BenefitRealisation | None]] = [
        (
            Benefit(
                municipality=old_larvik,
                description="Lavere strømkostnad i kommunale bygg gjennom felles avtale",
                expected_amount=Decimal("2500000.00"),
                owner="Eiendomssjef",
                target_date=date(2006, 12, 31),
            ),
            BenefitRealisation(
                recorded_on=date(2006, 12, 31),
                amount=Decimal("2750000.00"),
                status=Benefit.Status.REALISED,
                note="Lavere pris tatt ut i budsjettet for eiendom.",
            ),
        ),
        (
            Benefit(
                municipality=larvik,
                description="Energioppfølging i alle formålsbygg etter felles mal",
                expected_amount=Decimal("400000.00"),
                owner="Kommunalsjef teknisk",
                target_date=date(2025, 6, 30),
                status=Benefit.Status.IN_PROGRESS,
            ),
            None,
        ),
        (
            Benefit(
                municipality=old_sandefjord,
                description="Redusert tid til anbudsarbeid i innkjøpsavdelingen",
                owner="Innkjøpssjef",
                target_date=date(2006, 6, 30),
            ),
            BenefitRealisation(
                recorded_on=date(2006, 12, 31),
                status=Benefit.Status.NOT_REALISED,
                note="Arbeidet ble flyttet, ikke redusert.",
            ),
        ),
    ]
    for benefit, realisation in plans:
        benefit.project, benefit.is_example_data = project, True
        add_benefit(benefit, actor=actor, channel=C)
        if realisation is not None:
            realisation.benefit, realisation.is_example_data = benefit, True
            record_realisation(realisation, actor=actor, channel=C)


def _innherred_goals(arena: Arena, actor: Actor) -> None:
    if Goal.objects.filter(arena=arena, plan__isnull=True).exists():
        return
    for number, (title, attainment) in enumerate(GOALS_ISK, start=1):
        goal = add_goal(
            Goal(
                arena=arena,
                plan=None,
                number=number,
                title=title,
                description="Vedtatt hovedmål for Innherred samkommune (seed 004).",
            ),
            actor=actor,
            channel=C,
        )
        assess_goal(
            GoalAssessment(
                goal=goal,
                attainment=attainment,
                evidence=(
                    "Eksempelvurdering til dialogseminaret 23.04.2007 («Er målene oppnådd, "
                    "helt eller delvis?»). Oppdiktet for demonstrasjon."
                ),
                assessed_on=date(2007, 4, 23),
                assessed_by="Samkommunestyret (eksempel)",
                is_example_data=True,
            ),
            arena=arena,
            actor=actor,
            channel=C,
        )
