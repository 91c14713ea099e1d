"""Meetings from the source documents: the 12K's chief executives' group and mayors'
meeting, where the strategic plan 2008–2011 is item 1 and is sent to the councils (seed
001: "Strategisk plan 2008–2011 oversendes kommunene for politisk behandling"); the
Innherred joint board's meeting of 03.05.2007 adopting the mandate for "ISK 2" (seed
004); and KS Vestfold's meeting where the mayors of Sandefjord, Larvik and Tønsberg
present "Rydding i arenaer" (seed 000).

The 12K's mayors' meeting treats the plan's case (the one it is sent to the councils in),
so the case's treatment table shows the mayors' decision; the ISK mandate's case gets the
councils' treatments of the mandate on 09.05.2007 (seed 004; their orientation on
13.06.2007 decides nothing and is told in the item's text). Each meeting has its printed
notice (the notice's PDF as the public reads it) as a document.

What the documents do not say (times, places, who sat in the bodies, the 12K's and KS
Vestfold's meeting days) is invented and marked as example data. Built through the
services (channel COMMAND); idempotent."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.core.files.base import ContentFile

from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.examples import example
from samarbeid.governance.examples import council_adopted
from samarbeid.governance.models import Case, Decision
from samarbeid.meetings.models import AgendaItem, Body, BodyMember, Meeting, MeetingDocument
from samarbeid.meetings.seats import seated_members
from samarbeid.meetings.services.attendance import set_attendance
from samarbeid.meetings.services.bodies import add_member, create_body
from samarbeid.meetings.services.documents import add_document
from samarbeid.meetings.services.meetings import add_item, create_meeting
from samarbeid.meetings.services.minutes import approve_minutes, write_item_minutes
from samarbeid.meetings.services.notice import send_notice
from samarbeid.meetings.services.status import change_status
from samarbeid.review.models import ReviewRound
from samarbeid.strategy.models import StrategicPlan

C = Channel.COMMAND


def _body(actor: Actor, arena: Arena, kind: str, name: str) -> Body:
    found = Body.objects.filter(arena=arena, name=name).first()
    return found or example(create_body, Body, actor, arena=arena, kind=kind, name=name)


def _members(actor: Actor, body: Body, day: date, role_name: str) -> list[BodyMember]:
    """One seat per municipality that was a member of the arena on `day` (the person is
    invented: the role and the municipality's name)."""
    if not body.members.exists():
        memberships = (
            Membership.objects.filter(arena=body.arena, joined__lte=day)
            .exclude(left__lt=day)
            .select_related("municipality")
            .order_by("municipality__name")
        )
        for index, membership in enumerate(memberships):
            example(
                add_member,
                BodyMember,
                actor,
                body=body,
                municipality=membership.municipality,
                person=f"{role_name} i {membership.municipality.name}",
                role=BodyMember.Role.LEADER if index == 0 else BodyMember.Role.MEMBER,
                valid_from=min(day, membership.joined),
            )
    return list(body.members.all())


def _held_meeting(
    actor: Actor,
    body: Body,
    day: date,
    place: str,
    items: list[dict[str, Any]],
    *,
    approved_by: str,
) -> Meeting | None:
    """A meeting of `body` on `day` with `items`, from the notice (with its printed notice
    attached) to approved minutes: each item's dict holds its fields (a `proposal` where the
    source says what was proposed) and its minutes (`treatment`, `decision_text`, `outcome`;
    an item adopted as it stood with no decision text takes its proposal). None when the
    body has held it already (by its first item's title: a demo loaded before may have
    dated it otherwise)."""
    if Meeting.objects.filter(body=body, items__title=items[0]["title"]).exists():
        return None
    meeting = example(
        create_meeting, Meeting, actor, body=body, date=day, start_time=time(10, 0), place=place
    )
    added = []
    for fields in items:
        minutes = {k: fields.pop(k) for k in ("treatment", "decision_text", "outcome")}
        item = example(add_item, AgendaItem, actor, meeting=meeting, **fields)
        added.append((item, minutes))
    send_notice(
        meeting,
        expected_version=None,
        actor=actor,
        channel=C,
        today=day - timedelta(days=7),
        notify=False,
    )
    _printed_notice(actor, meeting)
    change_status(meeting, Meeting.Status.HELD, expected_version=None, actor=actor, channel=C)
    set_attendance(meeting, list(seated_members(meeting)), actor=actor, channel=C)
    for item, minutes in added:
        item.refresh_from_db()
        item.meeting = meeting
        write_item_minutes(item, minutes, expected_version=None, actor=actor, channel=C)
    meeting.refresh_from_db()
    return approve_minutes(
        meeting,
        approved_on=day + timedelta(days=14),
        approved_by=approved_by,
        expected_version=None,
        actor=actor,
        channel=C,
    )


def _printed_notice(actor: Actor, meeting: Meeting) -> None:
    """Attach the meeting's printed notice (its PDF as the public reads it) as the notice
    document, dated the day the notice was sent, unless it has one."""
    if meeting.documents.filter(kind=MeetingDocument.Kind.NOTICE).exists():
        return
    from samarbeid.meetings.views.notice import printed_notice  # the page's own PDF

    day = meeting.notice_sent_on or meeting.date
    upload = ContentFile(printed_notice(meeting), name=f"innkalling-{meeting.date:%Y-%m-%d}.pdf")
    add_document(
        MeetingDocument(
            meeting=meeting,
            title=f"Innkalling til møte i {meeting.body.name} {meeting.date:%d.%m.%Y}",
            date=day,
            kind=MeetingDocument.Kind.NOTICE,
            is_example_data=True,
        ),
        upload,
        actor=actor,
        channel=C,
    )


def _twelve_k(actor: Actor) -> None:
    arena = Arena.objects.filter(short_name="12K").first()
    plan = StrategicPlan.objects.filter(first_year=2008, last_year=2011, arena=arena).first()
    if arena is None or plan is None:
        return
    # invented: the day the plan's case was sent to the councils (01.11.2007); the mayors
    # decide to send it (a decision in a case is not dated before the case)
    day = plan.case.opened if plan.case else date(2007, 11, 1)
    chiefs = _body(actor, arena, Body.Kind.CHIEF_EXECUTIVES, "Rådmannsutvalget")
    mayors = _body(actor, arena, Body.Kind.MAYORS, "Ordførermøtet")
    _members(actor, chiefs, day, "Rådmannen")
    _members(actor, mayors, day, "Ordføreren")
    _held_meeting(
        actor,
        chiefs,
        day - timedelta(days=14),
        "Sandefjord rådhus (eksempel)",
        [
            {
                "title": "Strategisk plan 2008–2011 for 12-kommunesamarbeidet",
                "strategic_plan": plan,
                "description": (
                    "12K har gjennomført ca. 50 prosjekter, har 18 pågående prosjekter og har "
                    "etablert 4 faggrupper. Planen legges fram for ordførermøtet."
                ),
                "treatment": "Rådmennene drøftet utkastet til strategisk plan.",
                "decision_text": "Rådmannsutvalget tilrår at ordførermøtet sender planen til "
                "kommunene for politisk behandling.",
                "outcome": "adopted",
            }
        ],
        approved_by="Rådmannsutvalgets leder (eksempel)",
    )
    _held_meeting(
        actor,
        mayors,
        day,
        "Sandefjord rådhus (eksempel)",
        [
            {
                "title": "Strategisk plan 2008–2011 for 12-kommunesamarbeidet",
                # the plan's case: the mayors' decision goes into its treatment table
                **({"case": plan.case} if plan.case else {"strategic_plan": plan}),
                "description": (
                    "Mål: utvikle, forbedre og effektivisere kommunenes tjenestetilbud; samordne "
                    "kommunenes plan-, areal- og næringspolitikk; være talerør for kommunale "
                    "fellesinteresser i Vestfold."
                ),
                # seed 001's words: the proposal, adopted as it stood (the minutes take it)
                "proposal": "Strategisk plan 2008–2011 oversendes kommunene for politisk "
                "behandling.",
                "treatment": "Ordførerne sluttet seg til rådmannsutvalgets tilråding.",
                "decision_text": "",
                "outcome": "adopted",
            }
        ],
        approved_by="Ordførermøtets leder (eksempel)",
    )


def _innherred(actor: Actor) -> None:
    arena = Arena.objects.filter(short_name="ISK").first()
    case = Case.objects.filter(title__startswith="Forprosjekt «ISK 2»").first()
    if arena is None or case is None:
        return
    day = date(2007, 5, 3)
    board = _body(actor, arena, Body.Kind.JOINT_BOARD, "Samkommunestyret")
    _members(actor, board, day, "Representant")
    _held_meeting(
        actor,
        board,
        day,
        "Levanger rådhus (eksempel)",
        [
            {
                "title": "Mandat for forprosjekt «ISK 2»",
                "case": case,
                "description": (
                    "Forsøket med samkommune går mot slutten. Forprosjektet utreder videre "
                    "organisering: ny fireårig forsøksperiode, forlengelse i to år, "
                    "vertskommune, interkommunalt selskap eller tilbake til start. Mandatet "
                    "sendes kommunestyrene i Levanger og Verdal (behandling 09.05.); de "
                    "orienteres og drøfter forprosjektet 13.06. og vedtar i september; ny "
                    "søknad sendes i november."
                ),
                # the proposal (seed 004: the board adopts the mandate), adopted as it stood
                "proposal": "Mandat for forprosjekt «ISK 2» vedtas.",
                "treatment": "Samkommunestyret drøftet alternativene fra dialogseminaret "
                "23.04.2007.",
                "decision_text": "",
                "outcome": "adopted",
            }
        ],
        approved_by="Samkommunestyrets leder (eksempel)",
    )
    _council_treatments(actor, arena, case)


# Seed 004's process after the joint board's mandate: the councils treat the mandate on
# 09.05.2007; on 13.06.2007 they are oriented and discuss it, which decides nothing (as the
# minutes' "tatt til orientering" records no decision), so it stays in the item's text. Case
# numbers and wording are not in the document and are invented.
MANDATE_DAY = date(2007, 5, 9)


def _council_treatments(actor: Actor, arena: Arena, case: Case) -> None:
    """The treatments of `case` in the councils of the arena's members on the day of seed
    004 (those recorded already, by the portfolio's demo, are kept)."""
    councils = [
        membership.municipality
        for membership in Membership.objects.filter(arena=arena, joined__lte=MANDATE_DAY)
        .exclude(left__lt=MANDATE_DAY)
        .select_related("municipality")
        .order_by("municipality__number")
    ]
    treated = set(
        Decision.objects.filter(case=case, body=Decision.Body.COUNCIL).values_list(
            "municipality_id", flat=True
        )
    )
    for municipality in councils:
        if municipality.pk in treated:
            continue
        council_adopted(
            actor,
            municipality,
            case=case,
            meeting_date=MANDATE_DAY,
            text="Kommunestyret slutter seg til mandatet for forprosjektet.",
        )


def _ks_vestfold(actor: Actor) -> None:
    arena = Arena.objects.filter(short_name="KS-V").first()
    if arena is None:
        return
    review = ReviewRound.objects.filter(title__startswith="Rydding i arenaer").first()
    day = date(2004, 2, 12)  # invented: the KS projects are listed "ajour pr 010104"
    # the issue and seed 000: the mayors' meeting is where the three mayors presented it
    mayors = _body(actor, arena, Body.Kind.MAYORS, "Ordførermøtet i KS Vestfold")
    _members(actor, mayors, day, "Ordføreren")
    _held_meeting(
        actor,
        mayors,
        day,
        "Tønsberg (eksempel)",
        [
            {
                "title": "Rydding i arenaer – innspill fra ordførerne i Sandefjord, Larvik og "
                "Tønsberg",
                "review_round": review if review and review.arena_id == arena.pk else None,
                "description": (
                    "Invitasjon til bedre interkommunalt samarbeid i Vestfold: én arena som "
                    "samler kommune-Vestfold («n-k»), et fokusert KS Vestfold "
                    "(arbeidsgiverrollen og rammebetingelser); prosjekter og forum utenfor "
                    "primæroppgaven avvikles eller overføres andre arenaer."
                ),
                "treatment": "Ordførerne i Sandefjord, Larvik og Tønsberg presenterte innspillet.",
                "decision_text": "Innspillet tas til orientering og drøftes videre med partene.",
                "outcome": "noted",
            }
        ],
        approved_by="Møteleder (eksempel)",
    )


def load(actor: Actor) -> None:
    _twelve_k(actor)
    _innherred(actor)
    _ks_vestfold(actor)
    # a demo loaded before the printed notices were attached gets them now
    for meeting in Meeting.objects.filter(is_example_data=True, notice_sent_on__isnull=False):
        _printed_notice(actor, meeting)
