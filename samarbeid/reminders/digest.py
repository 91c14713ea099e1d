"""What a person is reminded of: the dashboard's sections for their roles (one rule for the
page and the e-mail), cut to the kinds they chose, less what they were already told in the
same state."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import coordinator_municipality_ids, secretariat_arena_ids
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.portal.dashboard import REVIEW_HORIZON, SHOWN, Row, Section, sections_for
from samarbeid.reminders.models import (
    COORDINATOR_KINDS,
    KINDS,
    SECRETARIAT_KINDS,
    ReminderSettings,
    SentReminder,
)


@dataclass(frozen=True)
class Part:
    """One section of the digest: the rows not yet sent, and how many the section has."""

    section: Section
    rows: list[Row]
    keys: list[str]


@dataclass(frozen=True)
class Digest:
    user: Any
    prefs: ReminderSettings
    parts: list[Part]

    @property
    def count(self) -> int:
        return sum(len(part.rows) for part in self.parts)

    @property
    def keys(self) -> list[str]:
        return [key for part in self.parts for key in part.keys]


def reminder_key(slug: str, row: Row) -> str:
    """A reminder's identity in its state: where it links, its date and whether it is late.
    The same row again is the same key; a row that became late, or got a new date, is not."""
    state = "|".join((slug, row.url, row.text, str(row.when or ""), "late" if row.late else ""))
    return hashlib.sha256(state.encode()).hexdigest()


def kinds_for(user: Any) -> list[str]:
    """The reminder kinds `user`'s roles can receive, in the page's order: the one rule the
    settings form offers and the sender keeps to."""
    can: set[str] = set()
    roots = secretariat_arena_ids(user)
    if roots is None or roots:
        can |= SECRETARIAT_KINDS
    if coordinator_municipality_ids(user):
        can |= COORDINATOR_KINDS
    return [slug for slug, _label in KINDS if slug in can]


def wanted(user: Any, prefs: ReminderSettings) -> set[str]:
    """The kinds `user` chose and their roles can receive."""
    return set(prefs.kinds) & set(kinds_for(user))


def prefs_for(user: Any) -> ReminderSettings:
    """The person's settings, or the defaults (not saved) when they never chose."""
    try:
        prefs: ReminderSettings = user.reminder_settings
    except ReminderSettings.DoesNotExist:
        prefs = ReminderSettings(user=user)
    return prefs


def is_due(prefs: ReminderSettings, now: datetime) -> bool:
    """Daily: not yet today; weekly: not in the last seven days; never: not at all."""
    if prefs.frequency == ReminderSettings.Frequency.NEVER:
        return False
    if prefs.last_sent is None:
        return True
    last = timezone.localdate(prefs.last_sent)
    today = timezone.localdate(now)
    if prefs.frequency == ReminderSettings.Frequency.WEEKLY:
        return (today - last).days >= 7
    return last < today


def secretariat_reviews(user: Any, today: date) -> Section | None:
    """The reviews due in the arenas a secretariat serves (and their sub-arenas): the active
    arenas' own reviews and their members' memberships, overdue or due within the
    dashboard's horizon, soonest first (None for a user who serves no arena). A secretariat
    who is also a coordinator gets their municipalities' memberships here too, each once:
    one section of reviews, not the dashboard's coordinator section beside it."""
    roots = secretariat_arena_ids(user)
    if roots is not None and not roots:
        return None
    own = coordinator_municipality_ids(user)
    last = today + REVIEW_HORIZON
    arenas = Arena.objects.active().filter(next_review__isnull=False, next_review__lte=last)
    memberships = (
        Membership.objects.active_on(today)
        .filter(arena__in=Arena.objects.active(), next_review__isnull=False, next_review__lte=last)
        .select_related("arena", "municipality")
    )
    if roots is not None:
        served = with_sub_arenas(roots)
        arenas = arenas.filter(pk__in=served)
        memberships = memberships.filter(Q(arena_id__in=served) | Q(municipality_id__in=own))
    arena_rows = [
        Row(
            text=arena.name,
            url=arena.get_absolute_url(),
            when=arena.next_review,
            late=arena.next_review < today,
            detail=_("Gjennomgang av arenaen"),
        )
        for arena in arenas.order_by("next_review", "name")[:SHOWN]
        if arena.next_review is not None
    ]
    membership_rows = [
        Row(
            text=membership.arena.name,
            url=membership.arena.get_absolute_url(),
            when=membership.next_review,
            late=membership.next_review < today,
            detail=_("Medlemskapet til %(municipality)s")
            % {"municipality": membership.municipality.name},
        )
        for membership in memberships.order_by("next_review", "pk")[:SHOWN]
        if membership.next_review is not None
    ]
    rows = sorted(arena_rows + membership_rows, key=lambda row: (row.when, row.text))
    return Section(
        slug="reviews",
        title=_("Arenaer og medlemskap som skal gjennomgås"),
        total=arenas.count() + memberships.count(),
        late=sum(1 for row in rows if row.late),
        rows=rows[:SHOWN],
        empty=_("Ingen arenaer eller medlemskap skal gjennomgås de neste 90 dagene."),
    )


def digest_for(user: Any, prefs: ReminderSettings, today: date) -> Digest:
    """The reminders not yet sent to `user` in their present state, in the user's language."""
    with translation.override(prefs.language):
        chosen = wanted(user, prefs)
        sections = [s for s in sections_for(user, today) if s.slug in chosen]
        # the dashboard's reviews are a coordinator's; a secretariat's are its arenas' and
        # hold a coordinator's own too (one section per kind: a clerk's trial with both
        # roles got reviews twice)
        if "reviews" in chosen:
            reviews = secretariat_reviews(user, today)
            if reviews is not None:
                sections = [s for s in sections if s.slug != "reviews"]
                if reviews.rows:
                    sections.append(reviews)
    keyed = [(s, [(reminder_key(s.slug, row), row) for row in s.rows]) for s in sections]
    every = [key for _s, rows in keyed for key, _row in rows]
    sent = set(SentReminder.objects.filter(user=user, key__in=every).values_list("key", flat=True))
    parts = []
    for section, rows in keyed:
        new = [(key, row) for key, row in rows if key not in sent]
        if new:
            parts.append(Part(section, [row for _k, row in new], [key for key, _r in new]))
    return Digest(user=user, prefs=prefs, parts=parts)
