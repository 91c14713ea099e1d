"""Work on many items of a review round at once: one recommendation for those chosen, and
taking an item out of a round not yet decided."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, can_link, require
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import delete_record, update_record
from samarbeid.core.versioning import VersionConflict
from samarbeid.review.models import ReviewItem, ReviewRound
from samarbeid.review.services.rounds import check_item


class StaleItem(VersionConflict):
    """An item of a batch changed since it was read: the message names it."""

    def __init__(self, current: ReviewItem) -> None:
        super().__init__(current)
        self.args = (
            _(
                "«%(item)s» er endret av noen andre siden du åpnet siden. Ingen av de valgte "
                "punktene er lagret; se over punktet og prøv igjen."
            )
            % {"item": current},
        )


def _check_open(review: ReviewRound) -> None:
    if review.decision_id is not None:
        raise ValidationError(
            _("Gjennomgangen er allerede vedtatt; anbefalingene kan ikke endres lenger.")
        )


def recommend_items(
    review: ReviewRound,
    versions: Mapping[int, int],
    *,
    recommendation: str,
    reason: str = "",
    target_arena: Arena | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> list[ReviewItem]:
    """Give the items `versions` names (item id → the version the user read) one
    recommendation, with a common reason (kept where empty and the item has its own) and,
    for a transfer or merge, the arena that takes over. All or nothing, in one transaction:
    an item of another round, an item someone changed since it was read (VersionConflict)
    or one the rules refuse (ValidationError naming the item) leaves every item as it was.
    The round's secretariat may, while the round is not decided."""
    require(can_edit_arena(actor, review.arena))
    if target_arena is not None:
        require(can_link(actor, target_arena))
    if not versions:
        raise ValidationError({"items": _("Velg minst ett punkt.")})
    if not recommendation:
        raise ValidationError({"recommendation": _("Velg en anbefaling.")})
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review.pk)
        _check_open(locked)
        items = list(
            ReviewItem.objects.select_for_update(of=("self",))
            .filter(round=review, pk__in=list(versions))
            .select_related("arena", "project__arena", "target_arena")
            .order_by("pk")
        )
        if len(items) != len(versions):
            raise ValidationError(
                {"items": _("Et valgt punkt hører ikke til denne gjennomgangen lenger.")}
            )
        for item in items:
            if item.version != versions[item.pk]:
                raise StaleItem(item)
        for item in items:
            changes = {
                "recommendation": recommendation,
                "target_arena": target_arena,
                "reason": reason.strip() or item.reason,
            }
            try:
                update_record(
                    item,
                    changes,
                    expected_version=versions[item.pk],
                    actor=actor,
                    channel=channel,
                    check=check_item,
                )
            except ValidationError as exc:
                raise ValidationError(_named(item, exc)) from None
    return items


def _named(item: ReviewItem, exc: ValidationError) -> dict[str, list[str]]:
    """The rules' errors of one item, each naming the item (a batch has many)."""
    found = exc.message_dict if hasattr(exc, "error_dict") else {"items": exc.messages}
    return {
        field: [_("%(item)s: %(message)s") % {"item": item, "message": m} for m in messages]
        for field, messages in found.items()
    }


def remove_item(
    item: ReviewItem,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Take an item out of its round (the arena or project itself is untouched), with the
    audit entry. Only while the round is not decided; an item changed since it was read
    is not removed (VersionConflict). The round's secretariat may."""
    require(can_edit_arena(actor, item.round.arena))
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=item.round_id)
        if locked.decision_id is not None:
            raise ValidationError(
                _("Gjennomgangen er allerede vedtatt; punktene kan ikke tas ut lenger.")
            )
        delete_record(item, actor=actor, channel=channel, expected_version=expected_version)
