"""What invoices and their lines say: texts, notes, the parties' fields, number and KID."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena
from samarbeid.finance.models import REGISTERED, BudgetLine
from samarbeid.finance.planning import Charge, Planner
from samarbeid.lib.kid import make_kid
from samarbeid.registry.models import LegalEntity, Municipality


def charge_text(charge: Charge, arena: Arena) -> str:
    """The text of a charge's invoice line (line_text of its budget line)."""
    return line_text(charge.kind, charge.description, arena.short_name, charge.year)


def line_text(kind: str, description: str, arena: str, year: int) -> str:
    """An invoice line's text from its budget line: "Basisbidrag 12K 2026: Drift", or
    "Prosjekt Felles IKT 2026". What the budget line already says is not said twice: a line
    called "Basisbidrag n-k 2026" reads so, not "Basisbidrag n-k 2026: Basisbidrag n-k 2026",
    and "Drift 2026" is not followed by 2026 again."""
    said = description.casefold()
    year_text = "" if str(year) in description else f" {year}"
    if kind == BudgetLine.Kind.BASE:
        # Budget lines are typed in Norwegian whatever the page's language.
        if "basisbidrag" in said or _("Basisbidrag").casefold() in said:
            return f"{description}{year_text}"
        named = "" if arena.casefold() in said else f" {arena}"
        return _("Basisbidrag%(arena)s%(year)s: %(text)s") % {
            "arena": named,
            "year": year_text,
            "text": description,
        }
    if said.startswith(_("Prosjekt").casefold()):
        return f"{description}{year_text}"
    return _("Prosjekt %(text)s%(year)s") % {"text": description, "year": year_text}


def line_note(share_of: Municipality, payer: Municipality) -> str:
    """The note on a line whose share is paid by another municipality after a change:
    "Andel for Nøtterøy (0722), nå Færder (3911)". None when the same municipality pays
    under a new number only (Horten 0701, now 3901: no change to name)."""
    if share_of.pk == payer.pk or share_of.name == payer.name:
        return ""
    return _("Andel for %(old)s (%(number)s), nå %(new)s (%(new_number)s)") % {
        "old": share_of.name,
        "number": share_of.number,
        "new": payer.name,
        "new_number": payer.number,
    }


def charge_note(charge: Charge, planner: Planner) -> str:
    """The note on a charge's line: whose share it is, when another municipality pays it."""
    share_of = planner.municipalities.get(charge.share_of_id)
    payer = planner.municipalities.get(charge.payer_id)
    if share_of is None or payer is None:
        return charge.note
    return line_note(share_of, payer)


def charge_funding(charge: Charge) -> dict[str, Decimal | None]:
    """The line's gross cost and external funding, stored on a charge line whose budget
    line has external funding (else None: the share is of the whole cost)."""
    if not charge.external:
        return {"gross": None, "external": None}
    return {"gross": charge.gross, "external": charge.external}


def party_fields(
    role: str, municipality: Municipality, entity: LegalEntity | None
) -> dict[str, str]:
    """An invoice's `role` ("buyer"/"seller") fields for `municipality`: its registered
    name and invoice (postal) address from the register of legal entities, blank when the
    register has no record of it."""
    values = ("",) * len(REGISTERED) if entity is None else (entity.name, *entity.invoice_address)
    return {f"{role}_{part}": value for part, value in zip(REGISTERED, values, strict=True)}


def invoice_number(year: int, run_id: int, buyer_code: str) -> str:
    """An invoice's number: the run's year and id and the buyer's code ("2026-17-3909")."""
    return f"{year}-{run_id}-{buyer_code}"


def invoice_kid(year: int, run_id: int, sequence: int) -> str:
    """An invoice's KID: the run's year and id and the invoice's place in the run, with a
    check digit."""
    return make_kid(f"{year}{run_id:06d}{sequence:05d}")
