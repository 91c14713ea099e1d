"""Correcting a review round after it started (its title, primary task, start date) and
publishing it. Once the reviewing body's decision is registered, what the decision was made
on stays as it was: only whether the round is published can change. A round nothing builds
on yet (no decision, no recommendation, on no meeting's agenda) can be deleted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import delete_record, update_record
from samarbeid.review.models import ReviewItem, ReviewRound

# what a round's edit page and `PATCH /reviews/{id}` change
ROUND_FIELDS = ("title", "primary_task", "opened", "published")
# what the decision was made on (its case and text quote the title and the primary task,
# the period the items were weighed over starts on the day opened): fixed once decided
LOCKED_ONCE_DECIDED = ("title", "primary_task", "opened")


def check_round(review: ReviewRound) -> None:
    """The rules of a round's own fields, as field errors (starting and correcting it)."""
    errors: dict[str, str] = {}
    if not review.title.strip():
        errors["title"] = _("Skriv en tittel.")
    if not review.primary_task.strip():
        errors["primary_task"] = _("Skriv primæroppgaven det vurderes mot.")
    if review.opened is not None and review.opened > timezone.localdate():
        errors["opened"] = _("En gjennomgang kan ikke startes fram i tid.")
    if errors:
        raise ValidationError(errors)


def locked_message() -> str:
    """Why a decided round's title, primary task and start date cannot change (the page
    says it above the form, the service refuses with it)."""
    return _(
        "Gjennomgangen er vedtatt: tittel, primæroppgave og startdato står slik vedtaket ble "
        "gjort, og kan ikke endres. Den kan fortsatt publiseres eller gjøres intern."
    )


def update_round(
    review: ReviewRound,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ReviewRound:
    """Correct a round's title, primary task or start date, or publish it (or make it
    internal again). The reviewing arena's secretariat may. A decided round refuses a
    change of what the decision was made on, naming the field; publishing stays possible."""
    require(can_edit_arena(actor, review.arena))
    wanted = {k: v for k, v in changes.items() if k in ROUND_FIELDS}
    with transaction.atomic():
        # the decision as stored now, under a lock: a decision registered meanwhile counts
        decision_id = (
            ReviewRound.objects.select_for_update()
            .filter(pk=review.pk)
            .order_by("pk")
            .values_list("decision_id", flat=True)
            .get()
        )
        if decision_id is not None:
            refused = {
                name: locked_message()
                for name in LOCKED_ONCE_DECIDED
                if name in wanted and wanted[name] != getattr(review, name)
            }
            if refused:
                raise ValidationError(refused)
        update_record(
            review,
            wanted,
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=check_round,
        )
    return review


def round_delete_refusal(review: ReviewRound) -> str | None:
    """Why the round cannot be deleted (None: it can): something builds on it. The delete
    page says it before a button is offered; `delete_round` refuses with it."""
    if review.decision_id is not None or review.case_id is not None:
        return _(
            "Gjennomgangen er vedtatt og kan ikke slettes: vedtaket og saken bygger på den. "
            "Den kan gjøres intern under «Endre»."
        )
    recommended = [
        str(item)
        for item in review.items.exclude(recommendation="").select_related("arena", "project")
    ]
    if recommended:
        return _(
            "Gjennomgangen kan ikke slettes: disse punktene har en anbefaling: %(items)s. "
            "Ta dem ut av gjennomgangen først."
        ) % {"items": ", ".join(recommended)}
    # an agenda item (meetings) that treats the round would lose what it treats unseen
    if review.agenda_items.exists():
        return _(
            "Gjennomgangen kan ikke slettes: den står på sakslisten til et møte. Ta den ut av "
            "saken på møtet først."
        )
    return None


def delete_round(
    review: ReviewRound,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a round nothing builds on (`round_delete_refusal`), its items first (each with
    its audit entry). A round changed since it was read is not deleted (VersionConflict)."""
    require(can_edit_arena(actor, review.arena))
    with transaction.atomic():
        # as stored now, under a lock: a decision registered meanwhile counts
        locked = ReviewRound.objects.select_for_update().order_by("pk").get(pk=review.pk)
        refusal = round_delete_refusal(locked)
        if refusal is not None:
            raise ValidationError(refusal)
        for item in ReviewItem.objects.filter(round=locked).order_by("pk"):
            delete_record(item, actor=actor, channel=channel)
        delete_record(review, actor=actor, channel=channel, expected_version=expected_version)
