"""Workshops of the source documents.

Seed 003: 9K at Hankø 12.03.2004. The nine strategies of the strategic plan, question A
(open answer) and question B (3–5 themes per group). The groups' answers are invented so
that the plenary reproduces the seed's summary: several groups prioritised four areas,
eight other areas were mentioned once. Two groups wrote the ICT theme in their own words
("IKT-drift", "felles IKT"); the demo merges them, as the facilitator would.

Seed 004: the Innherred samkommune dialogue seminar 23.04.2007, with its group questions
(pros and cons, open answers) left open for trying the group pages. The seed gives no
answers, so none are invented."""

from __future__ import annotations

import contextlib
from datetime import date

from django.core.exceptions import ValidationError

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.registry.models import Municipality
from samarbeid.workshops.models import Participant, Question, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.groups import add_group, add_participant
from samarbeid.workshops.services.themes import merge_themes, theme_to_project
from samarbeid.workshops.services.workshops import (
    create_question,
    create_workshop,
    set_question_status,
)

C = Channel.COMMAND

STRATEGIES = [
    "Perspektiv: 1) Stimulere regional tenkning og felles handling og utnytte regionens fortrinn",
    "Nye prosjekter: 2) Bygge på oppnådde resultater – «legge stein på stein». "
    "Prosjektutvikling underveis – rette initiativ til rette tid (fleksibel plan)",
    "3) Ta utgangspunkt i kommunenes utfordringer",
    "4) Utnytte nasjonale programmer og tilskuddsordninger",
    "5) Kostnadseffektivitet og kvalitet – fokus på mål og måloppnåelse",
    "Prosess og kommunikasjon: 6) Utvikle samarbeidskultur – åpen samarbeidsholdning til "
    "andre aktører",
    "7) Bygge på frivillighet og lokal beslutning (fleksibel prosjektdeltakelse)",
    "8) Styrke lokal involvering og forankring",
    "9) Vektlegge samfunns- og brukerfokus",
]

ADM = "Adm. tjenester: lønn, regnskap, IKT (felles IKT-drift)"
SCHOOL = "Digital kompetanse i skolen"
LAND = "Areal, bolig, næring"
CARE = "Korttidsopphold sykehjem (1½-linjetjeneste)"

# Question B: each group's flip-over sheet, most important first.
HANKO_THEMES = {
    "Gruppe 1": [ADM, SCHOOL, LAND, "Kompetanseutvikling / rekruttering"],
    "Gruppe 2": ["IKT-drift", CARE, SCHOOL, "Ressurskrevende brukere", "Finansforvaltning"],
    "Gruppe 3": [LAND, "felles IKT", "Forebyggende arbeid (rus, psykiatri)", "Veisamarbeid"],
    "Gruppe 4": [CARE, SCHOOL, "VAR-samarbeid", "Kultur"],
    "Gruppe 5": [LAND, ADM, CARE, "Energi"],
}

# Question A: what each group said about the strategies.
HANKO_OPEN = {
    "Gruppe 1": "Ja, strategiene er riktige. 9K må legge mer vekt på kostnadseffektivitet "
    "og fokus på resultater.",
    "Gruppe 2": "Bred enighet om strategivalget. Mer vekt på forankring og informasjon i "
    "kommunene. Økt tjenestekvalitet bør nevnes.",
    "Gruppe 3": "Enige i strategiene. Kostnadseffektivitet og resultater må tydeliggjøres; "
    "rolleavklaring mellom 9K og kommunene.",
    "Gruppe 4": "Strategiene er dekkende. Forankring og informasjon må styrkes.",
    "Gruppe 5": "Enige. Stimulering av regional tenkning bør fortsatt stå sentralt; mer "
    "fokus på resultater.",
}

# The 9K municipalities in 2004 (seed 003): Andebu, Hof, Holmestrand, Horten, Nøtterøy, Re,
# Stokke, Tjøme, Tønsberg.
NINE_K = ["0719", "0714", "0702", "0701", "0722", "0716", "0720", "0723", "0704"]


def _workshop(actor: Actor, arena: Arena, **fields: object) -> tuple[Workshop, bool]:
    found = Workshop.objects.filter(arena=arena, title=fields["title"]).first()
    if found is not None:
        return found, False
    workshop = create_workshop(
        Workshop(arena=arena, is_example_data=True, **fields), actor=actor, channel=C
    )
    return workshop, True


def load_hanko(actor: Actor) -> Workshop | None:
    arena = Arena.objects.filter(short_name="9K").first()
    if arena is None:
        return None
    day = date(2004, 3, 12)
    workshop, created = _workshop(
        actor,
        arena,
        title="9-kommunesamarbeidet i Vestfold, Hankø",
        date=day,
        place="Hankø",
        description=(
            "Gruppearbeid om strategiene i strategisk plan og prosjektområder for 2004–07. "
            "Deltakere fra Andebu, Hof, Holmestrand, Horten, Nøtterøy, Re, Stokke, Tjøme "
            "og Tønsberg."
        ),
    )
    if not created:
        return workshop
    groups = {name: add_group(workshop, name, actor=actor, channel=C) for name in HANKO_THEMES}
    group_list = list(groups.values())
    municipalities = Municipality.objects.valid_on(day).filter(number__in=NINE_K)
    for index, municipality in enumerate(municipalities.order_by("name")):
        for offset, role in enumerate(("Ordfører", "Rådmann")):
            add_participant(
                Participant(
                    workshop=workshop,
                    name=f"{role} i {municipality.name}",
                    role=role.lower(),
                    municipality=municipality,
                    group=group_list[(2 * index + offset) % len(group_list)],
                ),
                actor=actor,
                channel=C,
            )
    question_a = create_question(
        Question(
            workshop=workshop,
            label="A",
            order=1,
            kind=Question.Kind.OPEN,
            text="Er de riktige strategiene poengtert i samarbeidsgrunnlaget?",
            guidance="Strategier for 9K (fra strategisk plan):\n" + "\n".join(STRATEGIES),
            status=Question.Status.OPEN,
        ),
        actor=actor,
        channel=C,
    )
    question_b = create_question(
        Question(
            workshop=workshop,
            label="B",
            order=2,
            kind=Question.Kind.RANKED,
            text=(
                "Prosjektområder – idéutvikling: hvilke innsatsområder ser gruppa som de "
                "viktigste for 9K-samarbeidet i perioden 2004–07?"
            ),
            guidance="Ta med de 3–5 viktigste temaene til oppsummeringen i plenum.",
            min_themes=3,
            max_themes=5,
            status=Question.Status.OPEN,
        ),
        actor=actor,
        channel=C,
    )
    for name, group in groups.items():
        submit_answer(group, question_a, text=HANKO_OPEN[name], actor=actor, channel=C)
        submit_answer(group, question_b, themes=HANKO_THEMES[name], actor=actor, channel=C)
    for question in (question_a, question_b):
        set_question_status(question, Question.Status.CLOSED, actor=actor, channel=C)
    # The facilitator's merges: "felles IKT" → "IKT-drift" → the administrative services.
    merge_themes(question_b, "IKT-drift", ADM, actor=actor, channel=C)
    merge_themes(question_b, "felles IKT", "IKT-drift", actor=actor, channel=C)
    # One prioritised theme becomes a project idea, linked back to the workshop. If the
    # arena's portfolio refuses it (e.g. the code is taken), the demo leaves it out.
    with contextlib.suppress(ValidationError):
        theme_to_project(
            question_b, SCHOOL, code="9K-H04-1", actor=actor, channel=C, is_example_data=True
        )
    return workshop


def load_innherred(actor: Actor) -> Workshop | None:
    arena = Arena.objects.filter(short_name="ISK").first()
    if arena is None:
        return None
    workshop, created = _workshop(
        actor,
        arena,
        title="Dialogseminar: ISK – forsøket går mot slutten, hva nå?",
        date=date(2007, 4, 23),
        place="Levanger",
        description=(
            "Innherred samkommune: er målene nådd, helt eller delvis? Alternativene: nytt "
            "forsøk i 4 år, forlenge forsøket i 2 år, vertskommune med og uten nemnd, andre "
            "interkommunale løsninger (IKS), tilbake til «start»."
        ),
    )
    if not created:
        return workshop
    for name in ("Gruppe 1", "Gruppe 2", "Gruppe 3"):
        add_group(workshop, name, actor=actor, channel=C)
    questions = [
        Question(
            label="1",
            kind=Question.Kind.PROS_CONS,
            text="Drøft fordeler og ulemper ved et nytt 4-årig forsøk med ISK.",
            alternatives="Nytt 4-årig forsøk med ISK",
        ),
        Question(
            label="2",
            kind=Question.Kind.PROS_CONS,
            text="Fordeler og ulemper med samkommune i forhold til vertskommunemodell.",
            alternatives="Samkommune\nVertskommunemodell (med eller uten felles nemnd)",
        ),
        Question(
            label="3",
            kind=Question.Kind.OPEN,
            text=(
                "Dersom videre forsøk med samkommune: skal målene justeres eller endres? "
                "I tilfelle ja, hvilke nye mål bør vedtas?"
            ),
        ),
        Question(
            label="4",
            kind=Question.Kind.OPEN,
            text="Kan nye oppgaver legges inn i en framtidig samkommune? Eventuelt hvilke?",
        ),
    ]
    for order, question in enumerate(questions, start=1):
        question.workshop = workshop
        question.order = order
        question.status = Question.Status.OPEN
        create_question(question, actor=actor, channel=C)
    return workshop


def load(actor: Actor) -> None:
    load_hanko(actor)
    load_innherred(actor)
