"""Finding a workshop's records for the API's caller, the one way for every endpoint: 404
for what they may not see, 403 (with `change=True`) for what they may see but not change
(the secretariat of the workshop's arena may)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _

from samarbeid.accounts.api_auth import optional_token_user
from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.core.api_endpoints import through
from samarbeid.core.records import record_for
from samarbeid.workshops.models import (
    Group,
    Participant,
    Question,
    ThemeMerge,
    Workshop,
    WorkshopQuerySet,
)

Part = TypeVar("Part", Group, Participant, Question)


# The secretariat of the workshop's arena may change a workshop and what belongs to it.
_may_change_workshop = through("arena", can_edit_arena)
_may_change_part = through("workshop.arena", can_edit_arena)
_may_change_merge = through("question.workshop.arena", can_edit_arena)


def visible_workshops(request: HttpRequest) -> WorkshopQuerySet:
    """The workshops the caller may see (a bearer token identifies them on reads too)."""
    optional_token_user(request)
    return Workshop.objects.visible_to(request.user)


def counted_workshops(request: HttpRequest) -> Any:
    """The visible workshops with their number of groups and questions."""
    return (
        visible_workshops(request)
        .select_related("arena")
        .annotate(
            group_count=Count("groups", distinct=True),
            question_count=Count("questions", distinct=True),
        )
    )


def workshop_for(request: HttpRequest, workshop_id: int, *, change: bool = False) -> Workshop:
    return record_for(
        request.user,
        visible_workshops(request).select_related("arena"),
        workshop_id,
        may_change=_may_change_workshop if change else None,
    )


def _part_for(request: HttpRequest, model: type[Part], pk: int, *, change: bool) -> Part:
    """A workshop's question, group or participant, in a workshop the caller may see."""
    return record_for(
        request.user,
        model._default_manager.select_related("workshop__arena").filter(
            workshop__in=visible_workshops(request)
        ),
        pk,
        may_change=_may_change_part if change else None,
    )


def question_for(request: HttpRequest, question_id: int, *, change: bool = False) -> Question:
    return _part_for(request, Question, question_id, change=change)


def group_for(request: HttpRequest, group_id: int) -> Group:
    """A group for its facilitator (only they may see its link)."""
    return _part_for(request, Group, group_id, change=True)


def participant_for(request: HttpRequest, participant_id: int) -> Participant:
    return _part_for(request, Participant, participant_id, change=True)


def merge_for(request: HttpRequest, merge_id: int) -> ThemeMerge:
    return record_for(
        request.user,
        ThemeMerge.objects.select_related("question__workshop__arena").filter(
            question__workshop__in=visible_workshops(request)
        ),
        merge_id,
        may_change=_may_change_merge,
    )


def arena_id_for(request: HttpRequest, arena_id: int) -> int:
    """An arena the caller may see, for a workshop to be under (else 422 on `arena`)."""
    if not Arena.objects.visible_to(request.user).filter(pk=arena_id).exists():
        raise ValidationError({"arena": _("Ukjent arena.")})
    return arena_id
