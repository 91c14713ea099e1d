"""Correcting a review round after it started (its title, primary task, start date) and
publishing it. Once the reviewing body's decision is registered, what the decision was made
on stays as it was: only whether the round is published can change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import update_record
from samarbeid.review.models import ReviewRound

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
