"""Arenas of the source documents: 9K (Hankø 2004), 12K (strategic plan 2008–2011),
KS Vestfold, VUF, Partnerskap, the proposed n-k (the mayors' "Rydding i arenaer"),
Innherred samkommune. Dates and case numbers the documents do not give are invented and
marked as example data."""

from __future__ import annotations

from datetime import date

from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import (
    add_membership,
    create_arena,
    follow_successors,
)
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.examples import example
from samarbeid.governance.examples import council_adopted
from samarbeid.registry.models import Municipality

NINE_K = ["0719", "0714", "0702", "0701", "0722", "0716", "0720", "0723", "0704"]
TWELVE_K = [
    "0719",
    "0714",
    "0702",
    "0701",
    "0728",
    "0709",
    "0722",
    "0716",
    "0706",
    "0720",
    "0723",
    "0704",
]
VESTFOLD_2004 = sorted({*TWELVE_K, "0711", "0713"})

# The bodies every Vestfold municipality of 2004 belonged to (seed 000): the prefix of its
# members' case numbers, short name, name, kind, initiator, established, purpose, the rest
VESTFOLD_BODIES: list[tuple[str, str, str, str, str, date, str, dict[str, object]]] = [
    ("KS ", "KS-V", "KS Vestfold", Arena.Kind.KS_BODY, Arena.Initiator.KS, date(2002, 1, 1),
     "Arbeidsgiverrollen og kommunenes rammebetingelser; kontaktpunkt mot Fylkesmannen.",
     {"legal_form": Arena.LegalForm.ASSOCIATION, "next_review": date(2025, 12, 31),
      "primary_task": "Arbeidsgiverrollen og rammebetingelser."}),
    ("VUF ", "VUF", "Vestfold utviklingsforum", Arena.Kind.OTHER, Arena.Initiator.COUNTY,
     date(2002, 1, 1), "Regional utvikling i Vestfold sammen med fylkeskommunen.", {}),
    ("P ", "Partnerskap", "Nærings- og regionalpolitisk partnerskap", Arena.Kind.OTHER,
     Arena.Initiator.STATE, date(2003, 1, 1),
     "Nærings- og regionalpolitisk partnerskap med staten, fylkeskommunen og KS.", {}),
]  # fmt: skip


def _municipality(number: str, day: date) -> Municipality:
    return Municipality.objects.valid_on(day).get(number=number)


def _arena(actor: Actor, **fields: object) -> Arena:
    found = Arena.objects.filter(short_name=fields["short_name"]).first()
    if found is not None:
        return found
    return create_arena(Arena(is_example_data=True, **fields), actor=actor, channel=Channel.COMMAND)


def _join(
    arena: Arena,
    numbers: list[str],
    joined: date,
    meeting: date,
    prefix: str,
    actor: Actor,
    left: date | None = None,
    leave_reason: str = "",
) -> None:
    if arena.memberships.exists():
        return
    for index, number in enumerate(numbers, start=1):
        municipality = _municipality(number, joined)
        decision = council_adopted(
            actor,
            municipality,
            case_number=f"{prefix}{index + 10}/{meeting:%y}",
            meeting_date=meeting,
            text=f"{municipality.name} kommune slutter seg til {arena.name}.",
        )
        example(
            add_membership,
            Membership,
            actor,
            arena=arena,
            municipality=municipality,
            joined=joined,
            left=left,
            leave_reason=leave_reason,
            decision=decision,
        )


def load(actor: Actor) -> None:
    day = date(2004, 1, 1)
    twelve_k = _arena(
        actor,
        name="12-kommunesamarbeidet i Vestfold",
        short_name="12K",
        kind=Arena.Kind.OTHER,
        legal_form=Arena.LegalForm.AGREEMENT,
        legal_basis="Samarbeidsavtale mellom kommunene",
        purpose=(
            "Utvikle, forbedre og effektivisere kommunenes tjenestetilbud; samordne kommunenes "
            "plan-, areal- og næringspolitikk; være talerør for kommunale fellesinteresser "
            "i Vestfold."
        ),
        mandate=(
            "En politisk og faglig nettverksorganisasjon for felles utviklings-, utrednings- og "
            "planleggingsinitiativ, ikke en organisasjon for drift av fellestiltak. Kommunene "
            "bestemmer selv hvilke prosjekter de deltar i; deltakelse vedtas i kommunestyrene."
        ),
        primary_task="Felles utvikling av kommunale tjenester og samordning i Vestfold.",
        initiator=Arena.Initiator.MUNICIPALITIES,
        host_municipality=_municipality("0704", date(2006, 1, 1)),
        established=date(2006, 1, 1),
        next_review=date(2026, 6, 1),
    )
    nine_k = _arena(
        actor,
        name="9-kommunesamarbeidet i Vestfold",
        short_name="9K",
        kind=Arena.Kind.OTHER,
        legal_form=Arena.LegalForm.AGREEMENT,
        purpose="Stimulere regional tenkning og felles handling og utnytte regionens fortrinn.",
        mandate="Prosjektsamarbeid på frivillig grunnlag med lokal beslutning og forankring.",
        initiator=Arena.Initiator.MUNICIPALITIES,
        host_municipality=_municipality("0704", day),
        established=date(2002, 1, 1),
        ended=date(2005, 12, 31),
        status=Arena.Status.TRANSFERRED,
        transferred_to=twelve_k,
        status_reason="Utvidet til 12-kommunesamarbeidet med Larvik, Sandefjord og Lardal.",
    )
    _join(
        nine_k,
        NINE_K,
        date(2002, 3, 1),
        date(2002, 2, 14),
        "PS ",
        actor,
        left=date(2005, 12, 31),
        leave_reason="Videreført i 12K",
    )
    _join(twelve_k, TWELVE_K, date(2006, 1, 1), date(2005, 11, 24), "PS ", actor)
    groups = [
        ("Faggruppe IKT og digitalisering", "12K-IKT", "Felles administrative systemer og IKT."),
        ("Faggruppe plan, areal og næring", "12K-PAN", "Plan-, areal- og næringsspørsmål."),
        ("Faggruppe skole", "12K-SKOLE", "Digital kompetanse i skolen."),
        ("Faggruppe økonomi og innkjøp", "12K-INNKJOP", "Felles anbud og innkjøp."),
    ]
    for name, short, purpose in groups:
        _arena(
            actor,
            name=name,
            short_name=short,
            kind=Arena.Kind.PROFESSIONAL_GROUP,
            purpose=purpose,
            parent=twelve_k,
            initiator=Arena.Initiator.MUNICIPALITIES,
            established=date(2006, 3, 1),
        )
    bodies = {}
    for prefix, short, name, kind, initiator, established, purpose, more in VESTFOLD_BODIES:
        bodies[short] = _arena(
            actor,
            name=name,
            short_name=short,
            kind=kind,
            purpose=purpose,
            initiator=initiator,
            established=established,
            **more,
        )
        _join(bodies[short], VESTFOLD_2004, date(2004, 1, 1), date(2003, 12, 11), prefix, actor)
    _arena(
        actor,
        name="n-k: strategisk samarbeidsarena for kommune-Vestfold",
        short_name="n-k",
        kind=Arena.Kind.STRATEGIC,
        legal_form=Arena.LegalForm.HOST,
        legal_basis="Vertskommuneløsning; ingen egen driftsorganisasjon",
        purpose=(
            "Én arena som samler kommune-Vestfold: ikke maktoverføring, saks- og "
            "aksjonsorientert, initiering av prosjekter, langsiktig perspektiv. "
            "Eksempler: Torp, sykehuset, E18, inntektssystemet, voldtektsmottak, jernbane, "
            "beredskapssamarbeid."
        ),
        mandate=(
            "Frivillig, men forpliktende. Finansiering med basisbidrag og prosjektfakturering. "
            "Politisk, administrativt, drift og strategi/utvikling."
        ),
        primary_task="Strategisk samarbeid om kommune-Vestfolds felles saker.",
        # the three mayors together (seed 000), not Sandefjord alone
        initiator=Arena.Initiator.MUNICIPALITIES,
        initiator_other="Ordførerne i Sandefjord, Larvik og Tønsberg",
        host_municipality=_municipality("0704", day),
        status=Arena.Status.UNDER_REVIEW,
        status_reason="Forslag fra ordførerne, til drøfting med de ulike partene.",
        published=True,
    )
    innherred = _arena(
        actor,
        name="Innherred samkommune",
        short_name="ISK",
        kind=Arena.Kind.JOINT_MUNICIPALITY,
        legal_form=Arena.LegalForm.JOINT_MUNICIPALITY,
        legal_basis="Forsøksloven (samkommuneforsøk)",
        purpose=(
            "Bedre tjenester innenfor eksisterende økonomiske rammer; beredskap for nye "
            "utfordringer; drivkraft for samarbeidet i Innherredsregionen; tyngdepunkt for "
            "regional utvikling; et positivt bilde av regionen; reduserte driftsutgifter på sikt."
        ),
        initiator=Arena.Initiator.MUNICIPALITIES,
        host_municipality=_municipality("1719", date(2004, 1, 1)),
        established=date(2004, 1, 1),
        ended=date(2017, 12, 31),
        status=Arena.Status.CLOSED,
        status_reason=(
            "Samkommunemodellen ble opphevet av Stortinget 5. april 2016; samarbeidet ble "
            "videreført som vertskommunesamarbeid."
        ),
    )
    _join(
        innherred,
        ["1719", "1721"],
        date(2004, 1, 1),
        date(2003, 6, 18),
        "PS ",
        actor,
        left=date(2017, 12, 31),
        leave_reason="Samkommunen avviklet",
    )
    for arena in (twelve_k, *bodies.values()):
        follow_successors(arena, actor=actor, channel=Channel.COMMAND)
