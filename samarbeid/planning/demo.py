"""Planning demo: the planning strategies of three Vestfold municipalities and the
cooperation needs they name on the county governor's topics (seed 002, slide 7: "Eldreomsorg
mot 2030", "Innkjøp – offentlige anskaffelser"). Illustrative, not from the municipalities'
documents: every record is example data, and the pages say "(eksempel)". Review's demo
starts the proposal "Felles innkjøp" from the procurement needs."""

from __future__ import annotations

from datetime import date

from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.planning.models import CooperationNeed, PlanningStrategy, Theme
from samarbeid.planning.services import add_need, create_strategy
from samarbeid.registry.models import Municipality

C = Channel.COMMAND

# (number, adopted on), the current Vestfold municipalities of the seeds' 12K
MUNICIPALITIES = [
    ("3909", date(2024, 6, 19)),
    ("3907", date(2024, 9, 25)),
    ("3911", date(2024, 10, 16)),
]

NEEDS = [
    (
        Theme.HEALTH_CARE,
        "Eldreomsorg mot 2030: flere eldre og færre i arbeidsfør alder. Bygging og drift av "
        "sykehjem og omsorgsboliger med heldøgns bemanning, og rekruttering av helse- og "
        "pleiepersonell, bør vurderes sammen med nabokommunene.",
        "Nabokommunene i Vestfold; helseforetaket",
    ),
    (
        Theme.PROCUREMENT,
        "Innkjøp – offentlige anskaffelser: sikre minimumskompetanse og -kvalitet, redusere "
        "anskaffelseskostnadene og nå miljø- og etiske mål i anskaffelsene gjennom et felles "
        "innkjøpssamarbeid.",
        "Vestfold-kommunene",
    ),
]

TITLE = "Kommunal planstrategi"


def load(actor: Actor) -> None:
    for number, adopted in MUNICIPALITIES:
        municipality = Municipality.objects.current().filter(number=number).first()
        if municipality is None:
            continue
        if PlanningStrategy.objects.filter(
            municipality=municipality, title=TITLE, is_example_data=True
        ).exists():
            continue
        strategy = create_strategy(
            PlanningStrategy(
                municipality=municipality,
                title=TITLE,
                first_year=2024,
                last_year=2027,
                adopted_on=adopted,
                decision_reference="eksempel",
                is_example_data=True,
            ),
            actor=actor,
            channel=C,
        )
        for theme, description, partners in NEEDS:
            add_need(
                CooperationNeed(
                    strategy=strategy,
                    theme=theme,
                    description=description,
                    partners=partners,
                    is_example_data=True,
                ),
                actor=actor,
                channel=C,
            )
