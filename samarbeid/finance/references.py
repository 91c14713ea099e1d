"""Invoice references (what a municipality's invoices carry for an arena), invoice
accounts, and the buyers' legal entities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.permissions import (
    require,
)
from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.phrases import Text, phrase
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.finance.access import can_set_invoice_reference
from samarbeid.finance.models import (
    InvoiceReference,
    InvoiceRun,
    validate_account_number,
)
from samarbeid.registry.models import LegalEntity, Municipality

# A reference is required, in these words (the page's form and the service say the same).
REFERENCE_MISSING = gettext_lazy("Skriv fakturareferansen.")


def _check_reference(reference: InvoiceReference) -> None:
    reference.reference = reference.reference.strip()
    if not reference.reference:
        raise ValidationError({"reference": str(REFERENCE_MISSING)})
    if reference.municipality.valid_to is not None:
        raise ValidationError(
            {
                "municipality": _("%(name)s finnes ikke lenger; velg kommunen slik den er nå.")
                % {"name": reference.municipality.name}
            }
        )
    if reference.arena_id is not None and not _member_this_year_or_later(reference):
        raise ValidationError(
            {
                "arena": _(
                    "%(name)s er ikke medlem av %(arena)s i %(year)s, så den får ingen faktura "
                    "derfra; velg en arena kommunen er medlem av, eller ingen (alle arenaer)."
                )
                % {
                    "name": reference.municipality.name,
                    "arena": reference.arena.short_name,  # type: ignore[union-attr]
                    "year": timezone.localdate().year,
                }
            }
        )


def _member_this_year_or_later(reference: InvoiceReference) -> bool:
    """A reference for an arena is for a member: one this year, or one that has joined for
    a later year (its invoices come from the arena's runs of those years)."""
    assert reference.arena_id is not None
    first_day = date(timezone.localdate().year, 1, 1)
    return Membership.objects.filter(
        Q(left__isnull=True) | Q(left__gte=first_day),
        arena_id=reference.arena_id,
        municipality_id=reference.municipality_id,
    ).exists()


def set_invoice_reference(
    municipality: Municipality,
    arena: Arena | None,
    reference: str,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    example: bool = False,
    contact_email: str = "",
) -> InvoiceReference:
    """Set (create or replace) a municipality's invoice reference, for one arena or, with
    `arena` None, for every arena without its own, and the address of its accounts
    department that is told when an invoice is issued (blank: nobody)."""
    require(can_set_invoice_reference(actor, municipality, arena))
    with transaction.atomic():
        found = (
            InvoiceReference.objects.select_for_update()
            .filter(municipality=municipality, arena=arena)
            .order_by("pk")  # not the default order, whose outer join cannot be locked
            .first()
        )
        if found is None:
            new = InvoiceReference(
                municipality=municipality,
                arena=arena,
                reference=reference,
                contact_email=contact_email.strip(),
                is_example_data=example,
            )
            _check_reference(new)
            return create_record(new, actor=actor, channel=channel)
        update_record(
            found,
            {
                "reference": reference.strip(),
                "contact_email": contact_email.strip(),
                "is_example_data": example,
            },
            expected_version=None,
            actor=actor,
            channel=channel,
            check=_check_reference,
        )
        return found


def delete_invoice_reference(
    reference: InvoiceReference,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> None:
    """Delete `reference`; with `expected_version`, not if someone saved it since it was
    read (VersionConflict)."""
    require(can_set_invoice_reference(actor, reference.municipality, reference.arena))
    delete_record(reference, actor=actor, channel=channel, expected_version=expected_version)


def legal_entities_of(municipalities: Iterable[Municipality]) -> dict[str, LegalEntity]:
    """The registered units of `municipalities` by organisation number (one query)."""
    numbers = {m.organisation_number for m in municipalities if m.organisation_number}
    return {
        e.organisation_number: e
        for e in LegalEntity.objects.filter(organisation_number__in=numbers)
    }


def _for_arena(arena_id: int, municipality_ids: Iterable[int], column: str) -> dict[int, str]:
    """Each municipality's `column` of its invoice reference for the arena, else of its
    general one; blank values and municipalities with neither are left out."""
    found: dict[int, str] = {}
    for municipality_id, arena, value in (
        InvoiceReference.objects.filter(municipality_id__in=list(municipality_ids))
        .filter(Q(arena_id=arena_id) | Q(arena__isnull=True))
        .exclude(**{column: ""})
        .order_by("arena_id")
        .values_list("municipality_id", "arena_id", column)
    ):
        if arena is not None or municipality_id not in found:
            found[municipality_id] = value
    return found


def invoice_references(arena_id: int, municipality_ids: Iterable[int]) -> dict[int, str]:
    """Each municipality's invoice reference for the arena: its reference for the arena,
    else its general one; municipalities without either are left out."""
    return _for_arena(arena_id, municipality_ids, "reference")


def invoice_contacts(arena_id: int, municipality_ids: Iterable[int]) -> dict[int, str]:
    """Each municipality's invoice contact for the arena: the address on its reference for
    the arena, else on its general one; municipalities with neither are left out."""
    return _for_arena(arena_id, municipality_ids, "contact_email")


def references_in_bulk(
    runs: Sequence[InvoiceRun], by_payer: Mapping[tuple[int, int], Any]
) -> dict[int, dict[int, str]]:
    """invoice_references for many runs at once (a national run): one query."""
    arena_ids = {run.arena_id for run in runs}
    general: dict[int, str] = {}
    specific: dict[tuple[int, int], str] = {}
    for municipality_id, arena_id, reference in InvoiceReference.objects.filter(
        municipality_id__in={m for _a, m in by_payer}
    ).values_list("municipality_id", "arena_id", "reference"):
        if arena_id is None:
            general[municipality_id] = reference
        elif arena_id in arena_ids:
            specific[(arena_id, municipality_id)] = reference
    result: dict[int, dict[int, str]] = defaultdict(dict)
    for arena_id, municipality_id in by_payer:
        found = specific.get((arena_id, municipality_id), general.get(municipality_id))
        if found is not None:
            result[arena_id][municipality_id] = found
    return result


def account_problem(account: str) -> Text | None:
    """Why `account` cannot receive the run's payments, or None."""
    if not account:
        return phrase(
            "Kjøringen mangler selgerens kontonummer, så KID-ene kan ikke betales. Legg inn "
            "kontonummeret på kjøringen."
        )
    try:
        validate_account_number(account)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def missing_references(run: InvoiceRun) -> list[Municipality]:
    """The buyers of the run's invoices not yet issued that have no invoice reference
    (for the arena, or in general), by number."""
    buyers = {
        invoice.buyer_id: invoice.buyer
        for invoice in run.invoices.filter(issued_at__isnull=True).select_related("buyer")
    }
    have = invoice_references(run.arena_id, buyers)
    return sorted((m for pk, m in buyers.items() if pk not in have), key=lambda m: m.code)
