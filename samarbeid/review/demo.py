"""Seed 000's review of KS Vestfold's projects (slides 6–7, "ajour pr 010104") against the
new primary task "arbeidsgiverrollen og rammebetingelser", seed 002's criteria on a proposal
for joint procurement, and seed 004's comparison of Innherred's alternatives. The
recommendations, scores and dates are invented and marked as example data."""

from __future__ import annotations

from datetime import date

from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import create_arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
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
KS = Arena.Initiator.KS
STATE = Arena.Initiator.STATE
COUNTY = Arena.Initiator.COUNTY

# (name, initiator, purpose, recommendation, target short name, serves, reason)
KS_PROJECTS: list[tuple[str, str, str, str, str, str, str]] = [
    ("Statlige rammeoverføringer strategigruppe", KS,
     "Strategi for statlige rammeoverføringer og inntektssystemet for kommunene.",
     "continue", "", "yes", "Rammebetingelser: kjernen i KS-Vs primæroppgave."),
    ("AU", KS, "KS Vestfolds arbeidsutvalg.", "continue", "", "yes", "KS-Vs eget arbeidsutvalg."),
    ("Personalsektor KU", KS, "Kontaktutvalg for personal og arbeidsgiverpolitikk.",
     "continue", "", "yes", "Arbeidsgiverrollen."),
    ("HS-sektor AG", KS, "Arbeidsgruppe for helse- og sosialsektoren som arbeidsgiver.",
     "continue", "", "yes", "Arbeidsgiverrollen i helse og sosial."),
    ("Lobbyvirksomhet", KS, "Påvirkning av sentrale myndigheter om kommunenes rammebetingelser.",
     "continue", "", "yes", "Rammebetingelser; gir gjennomslagskraft mot sentrale myndigheter."),
    ("Lederforum O&U", KS, "Lederforum for organisasjon og utvikling i kommunene.",
     "continue", "", "yes", "Arbeidsgiverrollen: ledelse og organisasjonsutvikling."),
    ("Barn & unge samfunnsengasjement", STATE,
     "Barn og unges samfunnsengasjement og deltakelse.",
     "transfer", "VUF", "no", "Regional utvikling, ikke arbeidsgiverrollen."),
    ("Forenkling statlig avtaleverk", KS, "Forenkling av det statlige avtaleverket for kommunene.",
     "continue", "", "yes", "Rammebetingelser."),
    ("Energiforum", COUNTY, "Energi, klima og miljø i Vestfold.",
     "transfer", "VUF", "no", "Regional utvikling; hører hjemme i VUF."),
    ("Oppfølging av fylkesplan", COUNTY, "Oppfølging av fylkesplanen for Vestfold.",
     "transfer", "VUF", "no", "Fylkesplanen følges opp i VUF sammen med fylkeskommunen."),
    ("Revisjon av fylkesplan", COUNTY, "Revisjon av fylkesplanen for Vestfold.",
     "merge", "VUF", "no", "Slås sammen med VUFs fylkesplanarbeid."),
    ("Strategisk plan for landbruk og BU", STATE,
     "Strategisk plan for landbruk og bygdeutvikling (AG og SG).",
     "transfer", "VUF", "no", "Bygdeutvikling er regional utvikling."),
    ("Ungt entreprenørskap", COUNTY, "Entreprenørskap i skolen og næringsutvikling.",
     "transfer", "VUF", "no", "Næringsutvikling."),
    ("Etablererprogrammet", COUNTY, "Veiledning av etablerere og næringsutvikling.",
     "transfer", "VUF", "no", "Næringsutvikling."),
    ("Høyskolens strategiplan", Arena.Initiator.OTHER, "Høyskolen i Vestfolds strategiplan.",
     "transfer", "n-k", "no", "Strategisk sak for kommune-Vestfold samlet."),
    ("Handlingsplan for idrett og friluftsliv", COUNTY,
     "Handlingsplan for idrett, friluftsliv og anlegg.",
     "transfer", "VUF", "no", "Regional plan; følges opp i VUF."),
    ("Kompetanseutvalg kulturminnevern", COUNTY, "Kompetanse i kulturminnevern.",
     "transfer", "VUF", "no", "Faglig samarbeid med fylkeskommunen."),
    ("Rådgivende utvalg for Vestfold informasjonssenter", Arena.Initiator.OTHER,
     "Rådgivning for Vestfold informasjonssenter.",
     "close", "", "no", "Utenfor primæroppgaven; ingen annen arena trenger det."),
    ("Kystled Vestfold", COUNTY, "Kystled og friluftsliv langs Vestfoldkysten.",
     "transfer", "VUF", "no", "Friluftsliv og regional utvikling."),
    ("Kulturlandskapsgruppe", STATE, "Kulturlandskap og landbruk i Vestfold.",
     "transfer", "VUF", "no", "Landbruk og kulturlandskap: regional utvikling."),
    ("Regionalt utmarksråd", STATE, "Forvaltning av utmark, vilt og friluftsliv.",
     "transfer", "VUF", "no", "Utmarksforvaltning: regional utvikling."),
    ("Rovviltutvalg", STATE, "Forvaltning av rovvilt i utmark.",
     "close", "", "no", "Statlig oppgave; KS-V trenger ikke sitte i utvalget."),
    ("Incestsenterets styre", Arena.Initiator.MUNICIPALITIES, "Styret for incestsenteret.",
     "transfer", "n-k", "no", "Felles tjeneste; eiersak for kommunene samlet."),
    ("Vold mot kvinner", STATE, "Tiltak mot vold mot kvinner; voldtektsmottak.",
     "transfer", "n-k", "no", "Voldtektsmottak er en n-k-sak."),
    ("Rettssikkerhetsprosjekt", STATE, "Rettssikkerhet for kommunenes innbyggere.",
     "close", "", "no", "Prosjektet avsluttes; utenfor primæroppgaven."),
    ("Fylkesberedskapsråd", STATE, "Samordning av beredskap i Vestfold.",
     "transfer", "n-k", "no", "Beredskapssamarbeid er en n-k-sak."),
    ("Nærings- og regionalpolitisk partnerskap", STATE,
     "Nærings- og regionalpolitisk partnerskap med staten, fylkeskommunen og KS.",
     "merge", "Partnerskap", "no", "Samme arbeid som Partnerskapet; slås sammen."),
    ("Miljøforum", COUNTY, "Miljø og klima i Vestfold.",
     "transfer", "VUF", "no", "Regional utvikling."),
    ("Vestfoldscenarier 2025", COUNTY, "Scenarier for Vestfolds utvikling fram mot 2025.",
     "transfer", "n-k", "partly", "Langsiktig strategi for kommune-Vestfold: n-k."),
]  # fmt: skip

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
    for index, (name, initiator, purpose, *_rest) in enumerate(KS_PROJECTS, start=1):
        short = f"KS-V-{index:02d}"
        if not Arena.objects.filter(short_name=short).exists():
            create_arena(
                Arena(
                    name=name,
                    short_name=short,
                    kind=Arena.Kind.PROJECT_FORUM,
                    purpose=purpose,
                    initiator=initiator,
                    parent=ks,
                    is_example_data=True,
                ),
                actor=actor,
                channel=C,
            )
    review = create_round(
        ReviewRound(
            title=title,
            arena=ks,
            primary_task="Arbeidsgiverrollen og rammebetingelser",
            opened=date(2004, 1, 1),
            is_example_data=True,
        ),
        actor=actor,
        channel=C,
        include_projects=False,
    )
    by_name = {item.arena.name: item for item in review.items.select_related("arena") if item.arena}
    for name, _initiator, _purpose, recommendation, target, serves, reason in KS_PROJECTS:
        item = by_name.get(name)
        if item is None:
            continue
        update_item(
            item,
            {
                "recommendation": recommendation,
                "target_arena": targets.get(target),
                "serves_primary_task": serves,
                "reason": reason,
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
    comparison = create_comparison(
        ModelComparison(
            title=title,
            description=(
                "Dialogseminar 23.04.2007 i Levanger. Alternativene fra lysark 7 og momentene "
                "fra lysark 5; vektene og poengene er eksempler."
            ),
            arena=Arena.objects.filter(short_name="ISK").first(),
            is_example_data=True,
        ),
        actor=actor,
        channel=C,
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
    proposal = create_proposal(
        CooperationProposal(
            title=title,
            need=(
                "Sikre minimumskompetanse og -kvalitet i offentlige anskaffelser, redusere "
                "anskaffelseskostnadene og nå miljø- og etiske mål."
            ),
            expected_effect="Lavere priser og færre klagesaker; felles kompetansemiljø.",
            arena=Arena.objects.filter(short_name="12K").first(),
            partners_asked="Rådmennene i 12K-kommunene",
            partners_asked_on=date(2009, 11, 1),
            proposed_form=ProposedForm.HOST_ADMIN,
            mandate="Vertskommunen gjennomfører felles anbud etter fullmakt fra hver kommune.",
            needs=["produce_services", "no_new_legal_entity"],
            source="Visjoner om kommunesamarbeid, Fylkesmannen 2009 (tema: innkjøp)",
            is_example_data=True,
        ),
        actor=actor,
        channel=C,
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


def load(actor: Actor) -> None:
    _review(actor)
    _comparison(actor)
    _proposal(actor)
