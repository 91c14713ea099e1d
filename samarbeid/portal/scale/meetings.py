"""The scale data's meetings: per arena its board («Styret») with a seat for each member
municipality, about four meetings a year over the last five years (held, minutes approved,
with who was there and what was decided) and two planned ones, each with its agenda."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import accumulate

from samarbeid.arenas.models import Arena, Membership
from samarbeid.meetings.item_terms import LegalBasis, MinutesOutcome
from samarbeid.meetings.models import AgendaItem, Attendance, Body, BodyMember, Meeting
from samarbeid.portal.scale.arenas import TOPICS
from samarbeid.portal.scale.common import ScaleSummary, day
from samarbeid.portal.scale.tables import Table
from samarbeid.registry.models import Municipality

BODY_NAME = "Styret"
MEETING_YEARS = 5
# the quarters a board meets in: (first month, last month) of each
QUARTERS = ((2, 3), (5, 6), (9, 10), (11, 12))
UPCOMING_AFTER = (35, 120)  # days after the reference day of the two planned meetings
START_TIMES = (time(9, 0), time(10, 0), time(12, 0), time(13, 0))
OUTCOMES = [
    MinutesOutcome.ADOPTED,
    MinutesOutcome.NOTED,
    MinutesOutcome.ADOPTED_WITH_CHANGES,
    MinutesOutcome.POSTPONED,
]
OUTCOME_SHARES = list(accumulate([70, 15, 10, 5]))  # cumulative weights: one draw each
# closed items: an item now and then is exempt from the public, on one of these grounds
CLOSED_SHARE = 0.05
CLOSED_GROUNDS = [
    (LegalBasis.NEGOTIATING_POSITION, "Forhandlingsposisjon i pågående anskaffelse."),
    (LegalBasis.DUTY_OF_CONFIDENTIALITY, "Opplysninger om personlige forhold."),
    (LegalBasis.INTERNAL_DOCUMENT, "Organinternt utkast før behandling."),
]
PRESENT_SHARE = 0.85


@dataclass(frozen=True)
class Seat:
    pk: int
    joined: date
    ends: date | None

    def sits_on(self, when: date) -> bool:
        return self.joined <= when and (self.ends is None or self.ends >= when)


def _agenda(rng: random.Random, topic: str, year: int, count: int) -> list[dict[str, str]]:
    """`count` items of a board's meeting: the fixed openers, then the year's business."""
    business = [
        (
            f"Budsjett for {year + 1}",
            f"Forslag til budsjett for {year + 1} med fordeling på medlemmene.",
            f"Styret vedtar budsjettet for {year + 1} som foreslått.",
        ),
        (
            f"Årsmelding og regnskap {year - 1}",
            f"Årsmeldingen og regnskapet for {year - 1} legges fram for styret.",
            f"Styret godkjenner årsmeldingen og regnskapet for {year - 1}.",
        ),
        (
            f"Status for samarbeidet om {topic}",
            f"Sekretariatet orienterer om arbeidet med {topic} siden forrige møte.",
            "Styret tar orienteringen til etterretning.",
        ),
        (
            f"Felles anskaffelse innen {topic}",
            "Utkast til konkurransegrunnlag og fremdriftsplan.",
            "Styret slutter seg til planen for anskaffelsen.",
        ),
        (
            "Handlingsplan for neste periode",
            "Forslag til prioriterte tiltak for de neste to årene.",
            "Styret vedtar handlingsplanen.",
        ),
        (
            "Henvendelser fra medlemskommunene",
            "Innspill som er kommet fra kommunene siden forrige møte.",
            "Styret ber sekretariatet følge opp innspillene.",
        ),
        (
            "Rapportering fra prosjektene",
            "Kort status for de løpende prosjektene.",
            "Styret tar rapporteringen til orientering.",
        ),
    ]
    rng.shuffle(business)
    items = [
        {
            "title": "Godkjenning av innkalling og sakliste",
            "description": "Innkalling og sakliste er sendt medlemmene.",
            "proposal": "Innkalling og sakliste godkjennes.",
        },
        {
            "title": "Godkjenning av protokoll fra forrige møte",
            "description": "Protokollen fra forrige møte er sendt medlemmene.",
            "proposal": "Protokollen godkjennes.",
        },
    ]
    for title, description, proposal in business[: count - 2]:
        items.append({"title": title, "description": description, "proposal": proposal})
    return items


def _meeting_days(
    rng: random.Random, arena: Arena, seats: list[Seat], today: date
) -> tuple[list[date], list[date]]:
    """The held days (one drawn in each quarter of the last five years, on a weekday, while
    the arena existed and someone sat in its board) and the two planned ones (an arena
    still running, with a seat)."""
    held: list[date] = []
    for year in range(today.year - MEETING_YEARS + 1, today.year + 1):
        for first_month, last_month in QUARTERS:
            when = day(rng, date(year, first_month, 1), date(year, last_month, 28))
            when -= timedelta(days=max(0, when.weekday() - 4))  # a Saturday or Sunday: Friday
            if when > today or (arena.established and when < arena.established):
                continue
            if arena.ended and when > arena.ended:
                continue
            if any(seat.sits_on(when) for seat in seats):
                held.append(when)
    planned: list[date] = []
    if not arena.ended:
        for after in UPCOMING_AFTER:
            when = today + timedelta(days=after + rng.randrange(14))
            when -= timedelta(days=max(0, when.weekday() - 4))
            if any(seat.sits_on(when) for seat in seats):
                planned.append(when)
    return held, planned


def seed_meetings(
    rng: random.Random,
    windows: list[tuple[Arena, list[Municipality]]],
    today: date,
    summary: ScaleSummary,
) -> None:
    """Per arena its board, its members (a seat per member municipality from the day it
    joined, to the arena's end) and its meetings: held ones with their attendance and
    minutes (approved), and planned ones with their agenda not yet numbered (the notice
    numbers it). Items are numbered per body and year in the order of the meetings."""
    names = {m.pk: m.name for _arena, window in windows for m in window}
    joined: dict[int, list[tuple[int, date]]] = {}
    for arena_id, municipality_id, since in (
        Membership.objects.filter(arena_id__in=[arena.pk for arena, _window in windows])
        .order_by("arena_id", "joined", "pk")
        .values_list("arena_id", "municipality_id", "joined")
    ):
        joined.setdefault(arena_id, []).append((municipality_id, since))
    bodies = Table(Body)
    members = Table(BodyMember)
    meetings = Table(Meeting)
    items = Table(AgendaItem)
    attendance = Table(Attendance)
    roles = [BodyMember.Role.LEADER, BodyMember.Role.DEPUTY_LEADER]
    for index, (arena, _window) in enumerate(windows):
        body_id = bodies.add(
            arena_id=arena.pk,
            kind=Body.Kind.BOARD,
            name=BODY_NAME,
            description="Arenaens styre (syntetiske skaladata).",
            is_example_data=True,
        )
        seats: list[Seat] = []
        for position, (municipality_id, joined_on) in enumerate(joined.get(arena.pk, [])):
            since = max(joined_on, arena.established or joined_on)
            ends = max(arena.ended, since) if arena.ended else None
            role = roles[position] if position < len(roles) else BodyMember.Role.MEMBER
            pk = members.add(
                body_id=body_id,
                municipality_id=municipality_id,
                person=f"Styrerepresentant for {names.get(municipality_id, 'kommunen')}",
                role=role,
                valid_from=since,
                valid_to=ends,
                is_example_data=True,
            )
            seats.append(Seat(pk, since, ends))
        held, planned = _meeting_days(rng, arena, seats, today)
        topic = TOPICS[index % len(TOPICS)]  # the arena's own (`seed_arenas`)
        place = f"{arena.host_municipality.name} rådhus" if arena.host_municipality else "Rådhuset"
        numbers: dict[int, int] = {}
        for when in held + planned:
            is_held = when <= today
            start = START_TIMES[rng.randrange(len(START_TIMES))]
            meeting_id = meetings.add(
                body_id=body_id,
                date=when,
                start_time=start,
                end_time=time(start.hour + 3, 0),
                place=place,
                video_link=f"https://video.example.no/skala-{index + 1}" if index % 3 == 0 else "",
                status=Meeting.Status.MINUTES_APPROVED if is_held else Meeting.Status.PLANNED,
                published=True,
                notice_sent_on=when - timedelta(days=rng.randint(7, 14)) if is_held else None,
                minutes_approved_on=min(when + timedelta(days=rng.randint(7, 30)), today)
                if is_held
                else None,
                minutes_approved_by="Møteleder og ett valgt medlem" if is_held else "",
                is_example_data=True,
            )
            agenda = _agenda(rng, topic, when.year, rng.randint(5, 8))
            for position, fields in enumerate(agenda, start=1):
                minutes: dict[str, object] = {}
                if is_held:
                    number = numbers.get(when.year, 0) + 1
                    numbers[when.year] = number
                    outcome = rng.choices(OUTCOMES, cum_weights=OUTCOME_SHARES)[0]
                    decision_text = {
                        MinutesOutcome.ADOPTED: fields["proposal"],
                        MinutesOutcome.ADOPTED_WITH_CHANGES: fields["proposal"]
                        + " Sekretariatet legger fram en oppdatert plan til neste møte.",
                        MinutesOutcome.NOTED: "Saken tas til orientering.",
                        MinutesOutcome.POSTPONED: "Saken utsettes til neste møte.",
                    }[outcome]
                    minutes = {
                        "year": when.year,
                        "number": number,
                        "treatment": "Saken ble drøftet.",
                        "decision_text": decision_text,
                        "outcome": outcome,
                    }
                closed = position > 2 and rng.random() < CLOSED_SHARE
                if closed:
                    basis, reason = CLOSED_GROUNDS[rng.randrange(len(CLOSED_GROUNDS))]
                    minutes |= {"closed": True, "legal_basis": basis, "closed_reason": reason}
                items.add(
                    meeting_id=meeting_id,
                    body_id=body_id,
                    position=position,
                    is_example_data=True,
                    **fields,
                    **minutes,
                )
            if is_held:
                seated = [seat for seat in seats if seat.sits_on(when)]
                present = [seat for seat in seated if rng.random() < PRESENT_SHARE]
                for seat in present or seated[:1]:  # minutes are approved with someone there
                    attendance.add(meeting_id=meeting_id, member_id=seat.pk)
    summary.bodies = bodies.finish()
    summary.members = members.finish()
    summary.meetings = meetings.finish()
    summary.agenda_items = items.finish()
    summary.attendance = attendance.finish()
