"""Who may see and change financing: the visible runs, invoices, keys, budgets and
invoice references, and who manages an arena's finances."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from samarbeid.accounts.permissions import (
    is_coordinator_for,
    is_internal,
    is_secretariat,
    published_to,
)
from samarbeid.arenas.models import Arena
from samarbeid.core.phrases import Phrase, phrase
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    Invoice,
    InvoiceReference,
    InvoiceRun,
)
from samarbeid.registry.models import Municipality

# Permissions -------------------------------------------------------------------------------


def can_manage_finance(user: Any, arena: Arena) -> bool:
    """Keys, budgets and runs: the arena's secretariat. Coordinators and the public read."""
    return is_secretariat(user, arena)


def manage_refusal(arena: Arena) -> Phrase:
    """Who may change `arena`'s finances, said to whoever may not (its pages, the API and
    its tasks): the arena's secretariat, or a secretariat for every arena."""
    return phrase(
        "Bare sekretariatet for %(arena)s, eller et sekretariat for alle arenaer, kan endre "
        "økonomien til arenaen.",
        arena=arena.short_name,
    )


def require_manage_finance(user: Any, arena: Arena) -> None:
    """Refuse changing `arena`'s keys, budgets, grants or invoice runs (403) with who may."""
    if not can_manage_finance(user, arena):
        raise PermissionDenied(manage_refusal(arena))


def manages_finance(user: Any, arena: Arena) -> bool:
    """An API finder's rule (`may_change`): True when `user` may change `arena`'s finances,
    else refused at once with who may (the finder's own refusal would not say)."""
    require_manage_finance(user, arena)
    return True


# Who may draft every arena's invoice runs at once, said to whoever may not.
DRAFT_ALL_REFUSAL = gettext_lazy(
    "Bare et sekretariat for alle arenaer kan lage utkast til fakturakjøringer for alle arenaer."
)


def can_draft_all(user: Any) -> bool:
    """Every arena's drafts at once: a secretariat for every arena (one arena's secretariat
    drafts its own)."""
    return is_secretariat(user, None)


def require_draft_all(user: Any) -> None:
    """Refuse every arena's drafts (403) with who may."""
    if not can_draft_all(user):
        raise PermissionDenied(str(DRAFT_ALL_REFUSAL))


def runs_visible_to(user: Any) -> QuerySet[InvoiceRun]:
    """Internal users see every run; the public sees issued runs of published arenas
    (invoices between public bodies are public documents once sent)."""
    runs = InvoiceRun.objects.all()
    if is_internal(user):
        return runs
    return runs.filter(arena__published=True, status=InvoiceRun.Status.ISSUED)


def invoices_visible_to(user: Any) -> QuerySet[Invoice]:
    invoices = Invoice.objects.all()
    if is_internal(user):
        return invoices
    return invoices.filter(run__arena__published=True, run__status=InvoiceRun.Status.ISSUED)


def keys_visible_to(user: Any) -> QuerySet[AllocationKey]:
    return published_to(AllocationKey.objects.all(), user, "arena")


def budgets_visible_to(user: Any) -> QuerySet[Budget]:
    return published_to(Budget.objects.all(), user, "arena")


# Invoice references ---------------------------------------------------------------------------


def can_set_invoice_reference(user: Any, municipality: Municipality, arena: Arena | None) -> bool:
    """A municipality's invoice reference: its coordinator, or the secretariat of the arena
    it is for; one for every arena, only a secretariat of every arena (the secretariat of
    one arena would otherwise change what other arenas' invoices carry)."""
    if is_coordinator_for(user, municipality):
        return True
    return is_secretariat(user, arena)


def references_visible_to(user: Any) -> QuerySet[InvoiceReference]:
    """Internal users see every reference (they are not secret, but not published)."""
    # the arena's parents too: the page asks for each row whether the user serves its arena
    # (accounts.permissions walks up from it), for arenas nested as deep as they go in use
    found = InvoiceReference.objects.select_related("municipality", "arena__parent__parent")
    return found if is_internal(user) else found.none()
