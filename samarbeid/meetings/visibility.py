"""Who sees what of a meeting: everyone who sees the meeting sees its agenda's titles; a
closed item's text and documents only the arena's secretariat and the coordinators of the
municipalities that sit in the body (those the law's exemption does not keep it from)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.permissions import can_edit_arena, coordinator_municipality_ids
from samarbeid.meetings.models import AgendaItem, Meeting, MeetingDocument

# What a refused meetings write says (the 403 page, the API's problem): who may write
WRITERS_ONLY = _("Bare arenaens sekretariat kan endre møter, organer og protokoller.")


def may_write(user: Any, arena: Any) -> bool:
    """Whether `user` may change `arena`'s bodies, meetings and minutes (its secretariat, a
    superuser); refused (PermissionDenied saying who may) otherwise."""
    if not can_edit_arena(user, arena):
        raise PermissionDenied(WRITERS_ONLY)
    return True


def may_see_closed(user: Any, meeting: Meeting) -> bool:
    """Whether `user` may read the closed items of `meeting`: the arena's secretariat, a
    superuser, or a coordinator of a municipality with a seat in the body."""
    if can_edit_arena(user, meeting.body.arena):
        return True
    own = coordinator_municipality_ids(user)
    if not own:
        return False
    cached: dict[int, bool] = getattr(user, "_samarbeid_seats", {})
    if meeting.body_id not in cached:
        cached[meeting.body_id] = meeting.body.members.filter(municipality_id__in=own).exists()
        user._samarbeid_seats = cached
    return cached[meeting.body_id]


def documents_for(user: Any, meeting: Meeting, items: list[AgendaItem]) -> list[MeetingDocument]:
    """The documents of `meeting` that `user` may see (one query, two with a closed item)."""
    documents = list(meeting.documents.order_by("item_id", "date", "pk"))
    by_pk = {item.pk: item for item in items}
    for document in documents:
        document.meeting = meeting
        if document.item_id is not None and document.item_id in by_pk:
            document.item = by_pk[document.item_id]
    return [d for d in documents if may_see_document(user, d)]


def may_see_document(user: Any, document: MeetingDocument) -> bool:
    """Whether `user` may have the file (the caller has checked that they see the meeting):
    a closed item's files only those who may read closed items."""
    if document.item is None or not document.item.closed:
        return True
    return may_see_closed(user, document.meeting)


def withheld(user: Any, meeting: Meeting, items: list[AgendaItem]) -> list[AgendaItem]:
    """`items` as `user` may read them: a closed item's text and proposal, link, reason and
    minutes (its outcome and the decision it recorded among them) emptied (not saved) for
    those who may not read it; its title and legal basis stay."""
    if not any(item.closed for item in items) or may_see_closed(user, meeting):
        return items
    for item in items:
        if item.closed:
            item.description = item.proposal = item.closed_reason = ""
            item.treatment = item.decision_text = ""
            item.outcome = ""
            item.case = item.project = item.review_round = item.strategic_plan = None
            item.decision = None
            item.withheld = True  # type: ignore[attr-defined]
    return items
