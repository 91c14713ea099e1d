"""Financing services: keys, budgets, invoice runs, credit notes, and cost figures for
the reports. Every change checks permission, validates, writes through core.services and
is audited (an invoice run's invoices are audited with the run: one entry per run)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.permissions import (
    can_link,
    is_coordinator_for,
    is_internal,
    is_secretariat,
    require,
)
from samarbeid.arenas.models import Arena, Membership, with_visible_arena
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record
from samarbeid.core.conflicts import Conflict, is_unique_violation
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.core.stamps import bump
from samarbeid.core.versioning import VersionConflict, save_versioned
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    HostShareLine,
    Invoice,
    InvoiceLine,
    InvoiceReference,
    InvoiceRun,
    KeyFixedPercent,
    KeyUsage,
    validate_account_number,
)
from samarbeid.finance.planning import Charge, Planner, plan, planned_shares
from samarbeid.lib.allocation import COMPONENTS, AllocationError, check_weights, preset_weights
from samarbeid.lib.kid import make_kid
from samarbeid.lib.money import CENT, format_nok, to_ore
from samarbeid.portfolio.models import Participation
from samarbeid.registry.models import LegalEntity, Municipality
from samarbeid.registry.services import SuccessorMap

# Permissions -------------------------------------------------------------------------------


def can_manage_finance(user: Any, arena: Arena) -> bool:
    """Keys, budgets and runs: the arena's secretariat. Coordinators and the public read."""
    return is_secretariat(user, arena)


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
    return AllocationKey.objects.filter(arena__in=Arena.objects.visible_to(user))


def budgets_visible_to(user: Any) -> QuerySet[Budget]:
    return with_visible_arena(Budget.objects.all(), user)


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
    found = InvoiceReference.objects.select_related("municipality", "arena")
    return found if is_internal(user) else found.none()


def _check_reference(reference: InvoiceReference) -> None:
    reference.reference = reference.reference.strip()
    if not reference.reference:
        raise ValidationError({"reference": _("Skriv fakturareferansen.")})
    if reference.municipality.valid_to is not None:
        raise ValidationError(
            {
                "municipality": _("%(name)s finnes ikke lenger; velg kommunen slik den er nå.")
                % {"name": reference.municipality.name}
            }
        )


def set_invoice_reference(
    municipality: Municipality,
    arena: Arena | None,
    reference: str,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    example: bool = False,
) -> InvoiceReference:
    """Set (create or replace) a municipality's invoice reference, for one arena or, with
    `arena` None, for every arena without its own."""
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
                is_example_data=example,
            )
            _check_reference(new)
            return create_record(new, actor=actor, channel=channel)
        update_record(
            found,
            {"reference": reference.strip(), "is_example_data": example},
            expected_version=None,
            actor=actor,
            channel=channel,
            check=_check_reference,
        )
        return found


def delete_invoice_reference(
    reference: InvoiceReference, *, actor: Actor, channel: str = Channel.PAGE
) -> None:
    require(can_set_invoice_reference(actor, reference.municipality, reference.arena))
    delete_record(reference, actor=actor, channel=channel)


# Keys ----------------------------------------------------------------------------------------


PRESET_LABELS = {
    "equal": gettext_lazy("100 % likt"),
    "per_capita": gettext_lazy("100 % per innbygger"),
    "50/50": gettext_lazy("50 % likt + 50 % per innbygger"),
    "30/70": gettext_lazy("30 % likt + 70 % per innbygger"),
}


def key_weights(preset: str | None, typed: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    """The weights a key is stored with, from a standard key (`preset`, "" or None: none)
    and the weights given (None: left blank): `lib.allocation.preset_weights`' rule, for
    the page's form and the API alike. A preset never replaces a weight that was given:
    one that disagrees is refused on the field "preset"."""
    try:
        weights = preset_weights(preset or "", typed)
    except AllocationError as exc:
        if exc.code == "preset_unknown":
            raise ValidationError({"preset": _("Ukjent standardnøkkel.")}) from None
        raise ValidationError(
            {
                "preset": _(
                    "Standardnøkkelen «%(preset)s» stemmer ikke med vektene som er oppgitt. "
                    "Velg egendefinert nøkkel for å bruke vektene, eller rett dem."
                )
                % {"preset": PRESET_LABELS.get(preset or "", preset)}
            }
        ) from None
    return {name: getattr(weights, name) for name in COMPONENTS}


def _check_key(key: AllocationKey) -> None:
    try:
        check_weights(key.weights)
    except AllocationError:
        total = key.equal + key.per_capita + key.usage + key.fixed
        raise ValidationError(
            _("Vektene må summere til 100 %% (nå %(sum)s %%).")
            % {"sum": f"{total.normalize():f}".replace(".", ",")}
        ) from None
    if key.population_year is not None and not 1900 <= key.population_year <= 2100:
        raise ValidationError({"population_year": _("Oppgi et årstall.")})


def create_key(key: AllocationKey, *, actor: Actor, channel: str = Channel.PAGE) -> AllocationKey:
    require(can_manage_finance(actor, key.arena))
    _check_key(key)
    if AllocationKey.objects.filter(arena=key.arena, name=key.name).exists():
        raise ValidationError({"name": _("Arenaen har allerede en nøkkel med dette navnet.")})
    return create_record(key, actor=actor, channel=channel)


KEY_SPLIT_FIELDS = ("equal", "per_capita", "usage", "fixed", "population_year")


def _check_version(obj: Any, expected_version: int | None) -> None:
    """For changes that do not go through update_record (deletions, a run made again):
    refuse if the stored record is newer than the version the caller read."""
    if expected_version is None:
        return
    current = type(obj)._default_manager.get(pk=obj.pk)
    if current.version != expected_version:
        raise VersionConflict(current)


def issued_years(arena_id: int) -> set[int]:
    """The years of an arena whose invoice run is issued: their budgets are locked."""
    return set(
        InvoiceRun.objects.filter(arena_id=arena_id, status=InvoiceRun.Status.ISSUED).values_list(
            "year", flat=True
        )
    )


def update_key(
    key: AllocationKey,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> AllocationKey:
    """Change a key. Its weights and reference year are locked once a budget line using it
    has been invoiced (the budget's run issued): the split of that budget must not change."""
    require(can_manage_finance(actor, key.arena))
    split_changed = [
        name for name in KEY_SPLIT_FIELDS if name in changes and changes[name] != getattr(key, name)
    ]
    if split_changed:
        years = sorted(
            key.lines.filter(budget__year__in=issued_years(key.arena_id))
            .values_list("budget__year", flat=True)
            .distinct()
        )
        if years:
            raise ValidationError(
                {
                    split_changed[0]: _(
                        "Nøkkelen er brukt i budsjett som er fakturert (%(years)s); vektene "
                        "kan ikke endres. Lag en ny nøkkel."
                    )
                    % {"years": ", ".join(str(y) for y in years)}
                }
            )
    update_record(
        key,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_key,
    )
    return key


def key_delete_refusal(key: AllocationKey) -> str | None:
    """Why the key cannot be deleted now, or None (the delete page says so beforehand)."""
    if key.lines.exists():
        return _("Nøkkelen brukes i budsjettlinjer og kan ikke slettes; endre linjene først.")
    return None


def delete_key(
    key: AllocationKey,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a key that no budget line uses (with its usage figures and percentages)."""
    require(can_manage_finance(actor, key.arena))
    _check_version(key, expected_version)
    refusal = key_delete_refusal(key)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        for usage in key.usages.all():
            delete_record(usage, actor=actor, channel=channel)
        for fixed in key.fixed_percents.all():
            delete_record(fixed, actor=actor, channel=channel)
        delete_record(key, actor=actor, channel=channel)


def set_usage(
    key: AllocationKey,
    municipality: Municipality,
    year: int,
    units: Decimal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> KeyUsage:
    """Record (or replace) a municipality's units of usage for a year."""
    require(can_manage_finance(actor, key.arena))
    if units < 0:
        raise ValidationError({"units": _("Forbruket kan ikke være negativt.")})
    with transaction.atomic():
        old = KeyUsage.objects.filter(key=key, municipality=municipality, year=year).first()
        if old is not None:
            delete_record(old, actor=actor, channel=channel)
        return create_record(
            KeyUsage(key=key, municipality=municipality, year=year, units=units),
            actor=actor,
            channel=channel,
        )


def set_fixed_percent(
    key: AllocationKey,
    municipality: Municipality,
    percent: Decimal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> KeyFixedPercent:
    """Record (or replace) a municipality's negotiated percentage. The percentages of the
    participants of a line must add up to 100 when the line is split."""
    require(can_manage_finance(actor, key.arena))
    if percent < 0 or percent > 100:
        raise ValidationError({"percent": _("Prosenten må være mellom 0 og 100.")})
    with transaction.atomic():
        old = KeyFixedPercent.objects.filter(key=key, municipality=municipality).first()
        if old is not None:
            delete_record(old, actor=actor, channel=channel)
        return create_record(
            KeyFixedPercent(key=key, municipality=municipality, percent=percent),
            actor=actor,
            channel=channel,
        )


@dataclass(frozen=True)
class PreviewRow:
    municipality: Municipality
    population: int | None
    amount: Decimal


def preview_key(key: AllocationKey, total: Decimal, year: int) -> list[PreviewRow]:
    """Split `total` with `key` over the arena's members in `year`, writing nothing.
    Raises ValidationError naming the problem."""
    if total < 0:
        raise ValidationError({"total": _("Beløpet kan ikke være negativt.")})
    budget = Budget(arena=key.arena, year=year, pk=0)
    line = BudgetLine(
        pk=0,
        budget=budget,
        kind=BudgetLine.Kind.BASE,
        key=key,
        amount=total,
        description=_("forhåndsvisning"),
    )
    planner = Planner([budget], lines=[line])
    ref = key.reference_year(year)
    return [
        PreviewRow(
            municipality=planner.municipalities[c.share_of_id],
            population=planner.populations.get((c.share_of_id, ref)),
            amount=c.amount,
        )
        for c in planner.charges()
    ]


# Budgets -------------------------------------------------------------------------------------


def _check_budget(budget: Budget) -> None:
    if budget.administration_cost is not None and budget.administration_cost < 0:
        raise ValidationError(
            {"administration_cost": _("Administrasjonskostnaden kan ikke være negativ.")}
        )


def _require_open(arena_id: int, year: int, field: str | None = None) -> None:
    """Refuse to change a budget whose year has an issued invoice run."""
    if year in issued_years(arena_id):
        message = _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt) og kan ikke endres; "
            "rett opp med en kreditnota."
        ) % {"year": year}
        raise ValidationError({field: message} if field else message)


def create_budget(
    budget: Budget,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    lines: Sequence[BudgetLine] = (),
) -> Budget:
    """Create a budget, and with it `lines` (all or nothing). A line's errors are named
    `lines.<index>.<field>`."""
    require(can_manage_finance(actor, budget.arena))
    _check_budget(budget)
    if Budget.objects.filter(arena=budget.arena, year=budget.year).exists():
        raise ValidationError({"year": _("Arenaen har allerede et budsjett for dette året.")})
    _require_open(budget.arena_id, budget.year, "year")
    with transaction.atomic():
        create_record(budget, actor=actor, channel=channel)
        for index, line in enumerate(lines):
            line.budget = budget
            try:
                add_line(line, actor=actor, channel=channel)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    raise ValidationError(
                        {
                            f"lines.{index}.{name}": messages
                            for name, messages in exc.message_dict.items()
                        }
                    ) from None
                raise ValidationError({f"lines.{index}": exc.messages}) from None
    return budget


def update_budget(
    budget: Budget,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Budget:
    """Change a budget's year, administration cost or note; refused once its run is issued
    (and a budget cannot be moved into an issued year)."""
    require(can_manage_finance(actor, budget.arena))
    _require_open(budget.arena_id, budget.year)
    if "year" in changes and changes["year"] != budget.year:
        _require_open(budget.arena_id, changes["year"], "year")
    update_record(
        budget,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_budget,
    )
    return budget


def budget_delete_refusal(budget: Budget) -> str | None:
    """Why the budget cannot be deleted now, or None."""
    if budget.year in issued_years(budget.arena_id):
        return _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt) og kan ikke "
            "slettes; rett opp med en kreditnota."
        ) % {"year": budget.year}
    if InvoiceLine.objects.filter(budget_line__budget=budget).exists():
        return _(
            "Budsjettets linjer står på fakturaene i et utkast til fakturakjøring; slett "
            "utkastet før budsjettet slettes."
        )
    return None


def delete_budget(
    budget: Budget,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a budget with its lines (each line and the budget audited). Refused once the
    year is invoiced for the arena (its run issued: correct with a credit note), and while
    the invoices of a run not yet issued use any of its lines (discard the draft first)."""
    require(can_manage_finance(actor, budget.arena))
    _check_version(budget, expected_version)
    refusal = budget_delete_refusal(budget)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        for line in budget.lines.all():
            delete_record(line, actor=actor, channel=channel)
        delete_record(budget, actor=actor, channel=channel)


def _check_line(line: BudgetLine) -> None:
    errors: dict[str, str] = {}
    if line.amount is not None and line.amount < 0:
        errors["amount"] = _("Beløpet kan ikke være negativt.")
    if line.actual is not None and line.actual < 0:
        errors["actual"] = _("Regnskapsbeløpet kan ikke være negativt.")
    if line.key.arena_id != line.budget.arena_id:
        errors["key"] = _("Nøkkelen tilhører en annen arena.")
    if line.kind == BudgetLine.Kind.PROJECT:
        if line.project is None:
            errors["project"] = _("Velg prosjektet.")
        elif line.project.arena_id != line.budget.arena_id:
            errors["project"] = _("Prosjektet hører til en annen arena.")
    elif line.project is not None:
        errors["project"] = _("Et basisbidrag gjelder ikke et prosjekt.")
    if errors:
        raise ValidationError(errors)


def _require_line_links(actor: Actor, key: AllocationKey | None, project: Any) -> None:
    """A line's key and project must be within the actor's rights, not only its budget
    (another arena's are refused as such, before the rule that they must match)."""
    require(can_link(actor, *(link.arena for link in (key, project) if link is not None)))


def add_line(line: BudgetLine, *, actor: Actor, channel: str = Channel.PAGE) -> BudgetLine:
    require(can_manage_finance(actor, line.budget.arena))
    _require_line_links(actor, line.key if line.key_id else None, line.project)
    _require_open(line.budget.arena_id, line.budget.year)
    _check_line(line)
    if (
        line.project is not None
        and BudgetLine.objects.filter(budget=line.budget, project=line.project).exists()
    ):
        raise ValidationError({"project": _("Prosjektet har allerede en linje i budsjettet.")})
    return create_record(line, actor=actor, channel=channel)


# What may still change on a line of an invoiced budget: the accounts, filled in afterwards.
LINE_FIELDS_AFTER_ISSUE = {"actual"}


def update_line(
    line: BudgetLine,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> BudgetLine:
    """Change a line. Once its budget is invoiced only `actual` (the accounts) may change."""
    require(can_manage_finance(actor, line.budget.arena))
    _require_line_links(actor, changes.get("key"), changes.get("project"))
    locked = [
        name
        for name, value in changes.items()
        if name not in LINE_FIELDS_AFTER_ISSUE and value != getattr(line, name)
    ]
    if locked:
        _require_open(line.budget.arena_id, line.budget.year, locked[0])
    if (
        changes.get("project") is not None
        and changes["project"] != line.project
        and BudgetLine.objects.filter(budget=line.budget, project=changes["project"])
        .exclude(pk=line.pk)
        .exists()
    ):
        raise ValidationError({"project": _("Prosjektet har allerede en linje i budsjettet.")})
    update_record(
        line,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_line,
    )
    return line


def line_delete_refusal(line: BudgetLine) -> str | None:
    """Why the line cannot be deleted now, or None."""
    if line.budget.year in issued_years(line.budget.arena_id):
        return _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt) og kan ikke endres; "
            "rett opp med en kreditnota."
        ) % {"year": line.budget.year}
    if InvoiceLine.objects.filter(budget_line=line).exists():
        return _(
            "Linjen står på fakturaene i et utkast til fakturakjøring; slett utkastet "
            "før linjen slettes."
        )
    return None


def delete_line(
    line: BudgetLine,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a line of a budget that is not invoiced and not on a draft run's invoices."""
    require(can_manage_finance(actor, line.budget.arena))
    _check_version(line, expected_version)
    refusal = line_delete_refusal(line)
    if refusal:
        raise ValidationError(refusal)
    delete_record(line, actor=actor, channel=channel)


# Invoice runs --------------------------------------------------------------------------------


def _line_text(charge: Charge, arena: Arena, planner: Planner) -> str:
    if charge.kind == BudgetLine.Kind.BASE:
        return _("Basisbidrag %(arena)s %(year)s: %(text)s") % {
            "arena": arena.short_name,
            "year": charge.year,
            "text": charge.description,
        }
    return _("Prosjekt %(text)s %(year)s") % {"text": charge.description, "year": charge.year}


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


def _charge_note(charge: Charge, planner: Planner) -> str:
    share_of = planner.municipalities.get(charge.share_of_id)
    payer = planner.municipalities.get(charge.payer_id)
    if share_of is None or payer is None:
        return charge.note
    return line_note(share_of, payer)


def party_fields(
    role: str, municipality: Municipality, entity: LegalEntity | None
) -> dict[str, str]:
    """An invoice's `role` ("buyer"/"seller") fields for `municipality`: its registered
    name and invoice (postal) address from the register of legal entities, blank when the
    register has no record of it."""
    if entity is None:
        street = postal_code = city = country = name = ""
    else:
        street, postal_code, city, country = entity.invoice_address
        name = entity.name
    return {
        f"{role}_registered_name": name,
        f"{role}_street": street,
        f"{role}_postal_code": postal_code,
        f"{role}_city": city,
        f"{role}_country": country,
    }


def legal_entities_of(municipalities: Iterable[Municipality]) -> dict[str, LegalEntity]:
    """The registered units of `municipalities` by organisation number (one query)."""
    numbers = {m.organisation_number for m in municipalities if m.organisation_number}
    return {
        e.organisation_number: e
        for e in LegalEntity.objects.filter(organisation_number__in=numbers)
    }


def invoice_references(arena_id: int, municipality_ids: Iterable[int]) -> dict[int, str]:
    """Each municipality's invoice reference for the arena: its reference for the arena,
    else its general one; municipalities without either are left out."""
    found: dict[int, str] = {}
    for municipality_id, arena, reference in (
        InvoiceReference.objects.filter(municipality_id__in=list(municipality_ids))
        .filter(Q(arena_id=arena_id) | Q(arena__isnull=True))
        .order_by("arena_id")
        .values_list("municipality_id", "arena_id", "reference")
    ):
        if arena is not None or municipality_id not in found:
            found[municipality_id] = reference
    return found


def _build_invoices(
    runs: Sequence[InvoiceRun], planner: Planner, charges: Sequence[Charge]
) -> None:
    """Create the invoices and lines of draft runs from their charges, in bulk. The
    seller's own share (the host municipality paying its part of the budget) is not
    invoiced: it is kept as the run's host share lines, with no number, KID or EHF."""
    run_by_arena = {run.arena_id: run for run in runs}
    by_payer: dict[tuple[int, int], list[Charge]] = defaultdict(list)
    host_lines: list[HostShareLine] = []
    host_positions: dict[int, int] = defaultdict(int)
    for charge in charges:
        run = run_by_arena[charge.arena_id]
        if charge.payer_id == run.seller_id:
            host_positions[run.pk] += 1
            host_lines.append(
                HostShareLine(
                    run=run,
                    municipality_id=run.seller_id,
                    position=host_positions[run.pk],
                    kind=charge.kind,
                    budget_line_id=charge.line_id or None,
                    project_id=charge.project_id,
                    share_of_id=charge.share_of_id,
                    description=_line_text(charge, planner.arenas[charge.arena_id], planner)[:300],
                    amount=charge.amount,
                    note=_charge_note(charge, planner)[:300],
                )
            )
            continue
        by_payer[(charge.arena_id, charge.payer_id)].append(charge)
    HostShareLine.objects.bulk_create(host_lines, batch_size=2000)
    entities = legal_entities_of(
        [planner.municipalities[m] for _a, m in by_payer]
        + [planner.municipalities.get(run.seller_id) or run.seller for run in runs]
    )
    references = _references_in_bulk(runs, by_payer)
    invoices: list[Invoice] = []
    grouped: list[list[Charge]] = []
    sequence: dict[int, int] = defaultdict(int)
    for (arena_id, payer_id), items in sorted(
        by_payer.items(), key=lambda kv: (kv[0][0], planner.municipalities[kv[0][1]].code)
    ):
        run = run_by_arena[arena_id]
        buyer = planner.municipalities[payer_id]
        seller = planner.municipalities.get(run.seller_id) or run.seller
        sequence[run.pk] += 1
        total = sum((c.amount for c in items), Decimal("0.00"))
        invoices.append(
            Invoice(
                run=run,
                number=f"{run.year}-{run.pk}-{buyer.code}",
                kid=make_kid(f"{run.year}{run.pk:06d}{sequence[run.pk]:05d}"),
                buyer=buyer,
                buyer_name=buyer.name,
                buyer_organisation_number=buyer.organisation_number,
                seller_name=seller.name,
                seller_organisation_number=seller.organisation_number,
                issue_date=run.issue_date,
                due_date=run.due_date,
                total=total,
                buyer_reference=references.get(arena_id, {}).get(payer_id, ""),
                **party_fields("buyer", buyer, entities.get(buyer.organisation_number)),
                **party_fields("seller", seller, entities.get(seller.organisation_number)),
            )
        )
        grouped.append(items)
    Invoice.objects.bulk_create(invoices, batch_size=2000)
    # Bulk writes send no signals: cached figures must recompute. Invoices feed no split
    # (core.stamps.SPLIT_INPUTS), so no arena's split is done again.
    bump(arenas=())
    # The lines are the bulk of a national run (hundreds of thousands of rows): written with
    # one executemany instead of model instances, which would cost most of the run's time.
    rows: list[tuple[Any, ...]] = []
    for invoice, items in zip(invoices, grouped, strict=True):
        arena = planner.arenas[invoice.run.arena_id]
        for position, charge in enumerate(items, start=1):
            rows.append(
                (
                    invoice.pk,
                    position,
                    charge.kind,
                    charge.line_id or None,
                    charge.project_id,
                    charge.share_of_id,
                    _line_text(charge, arena, planner)[:300],
                    connection.ops.adapt_decimalfield_value(charge.amount, 14, 2),
                    _charge_note(charge, planner)[:300],
                )
            )
    columns = [
        "invoice_id",
        "position",
        "kind",
        "budget_line_id",
        "project_id",
        "share_of_id",
        "description",
        "amount",
        "note",
    ]
    table = connection.ops.quote_name(InvoiceLine._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _references_in_bulk(
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


def _sellers(
    arenas: Sequence[Arena], day: date, successors: SuccessorMap
) -> dict[int, Municipality]:
    """Each arena's host municipality as it is on `day` (its successor after a merger)."""
    missing = [a.short_name for a in arenas if a.host_municipality_id is None]
    if missing:
        raise ValidationError(
            {
                "seller": _("Ingen vertskommune registrert for %(arenas)s; velg selger.")
                % {"arenas": ", ".join(missing)}
            }
        )
    holder: dict[int, int] = {}
    for arena in arenas:
        assert arena.host_municipality_id is not None
        heirs = successors.successor_ids_on(arena.host_municipality_id, day)
        holder[arena.pk] = heirs[0] if heirs else arena.host_municipality_id
    found = Municipality.objects.in_bulk(set(holder.values()))
    return {arena_id: found[m] for arena_id, m in holder.items()}


def create_runs(
    arenas: Sequence[Arena],
    year: int,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    issue_date: date | None = None,
    due_days: int = 30,
    seller: Municipality | None = None,
    seller_account: str = "",
    example: bool = False,
) -> list[InvoiceRun]:
    """Make draft invoice runs for `year`, one per arena, from the arenas' budgets, with a
    bounded number of queries whatever the number of arenas, lines and municipalities.
    The seller is each arena's host municipality (as it is on the invoice date) unless
    given. Refused as a whole (nothing written) if any arena has no budget, a run already,
    no one to invoice, or a line that cannot be split."""
    for arena in arenas:
        require(can_manage_finance(actor, arena))
    issue_date = issue_date or timezone.localdate()
    if due_days < 0:
        raise ValidationError({"due_days": _("Forfall kan ikke være før fakturadato.")})
    budgets = list(Budget.objects.filter(arena__in=arenas, year=year).select_related("arena"))
    have = {b.arena_id for b in budgets}
    problems = [
        _("%(arena)s har ikke noe budsjett for %(year)s.") % {"arena": a.short_name, "year": year}
        for a in arenas
        if a.pk not in have
    ]
    existing = set(
        InvoiceRun.objects.filter(arena__in=arenas, year=year).values_list("arena_id", flat=True)
    )
    problems += [
        _("%(arena)s har allerede en fakturakjøring for %(year)s.")
        % {"arena": a.short_name, "year": year}
        for a in arenas
        if a.pk in existing
    ]
    if problems:
        raise ValidationError(problems)
    successors = SuccessorMap()
    planner, charges = plan(budgets, payer_day=issue_date, successors=successors)
    charged = {c.arena_id for c in charges}
    empty = [a for a in arenas if a.pk not in charged]
    if empty:
        raise ValidationError(
            [
                _("%(arena)s har ingenting å fakturere for %(year)s.")
                % {"arena": a.short_name, "year": year}
                for a in empty
            ]
        )
    if seller is not None:
        sellers = {arena.pk: seller for arena in arenas}
    else:
        sellers = _sellers(arenas, issue_date, successors)
    runs = [
        InvoiceRun(
            arena=arena,
            year=year,
            issue_date=issue_date,
            due_date=issue_date + timedelta(days=due_days),
            seller=sellers[arena.pk],
            seller_account=seller_account,
            is_example_data=example,
        )
        for arena in arenas
    ]
    # The constraints (one run per arena and year, due after issue) were checked above for
    # all runs at once; create_record's per-record constraint queries would cost seconds in
    # a national run. So is the existence of the runs' arenas and sellers (two queries in
    # all, where clean_fields asks once per foreign key and run); a run whose arena or
    # seller is missing gets the full clean_fields, which raises its usual error.
    foreign_keys = ["arena", "seller"]
    found_arenas = set(
        Arena.objects.filter(pk__in={run.arena_id for run in runs}).values_list("pk", flat=True)
    )
    found_sellers = set(
        Municipality.objects.filter(pk__in={run.seller_id for run in runs}).values_list(
            "pk", flat=True
        )
    )
    for run in runs:
        if run.arena_id in found_arenas and run.seller_id in found_sellers:
            run.clean_fields(exclude=foreign_keys)
        else:
            run.clean_fields()
    try:
        with transaction.atomic():
            InvoiceRun.objects.bulk_create(runs)
            # Bulk writes send no signals: cached figures must recompute, and a run raises
            # its arena's split stamp (core.stamps.SPLIT_INPUTS).
            bump(arenas=[run.arena_id for run in runs])
            for run in runs:
                record(run, AuditEntry.Action.CREATE, actor=actor, channel=channel)
            for municipality in sellers.values():
                planner.municipalities.setdefault(municipality.pk, municipality)
            _build_invoices(runs, planner, charges)
    except IntegrityError as exc:
        # Someone made a run for the same arena and year between the check above and
        # now (the same request sent twice at once): the database refused the second.
        if not is_unique_violation(exc):
            raise
        raise Conflict(
            _("En fakturakjøring for %(year)s ble laget av noen andre i samme øyeblikk.")
            % {"year": year}
        ) from exc
    return runs


def create_run(arena: Arena, year: int, **options: Any) -> InvoiceRun:
    """One arena's draft run; see create_runs."""
    return create_runs([arena], year, **options)[0]


def _require_draft(run: InvoiceRun) -> None:
    if run.status != InvoiceRun.Status.DRAFT:
        raise ValidationError(
            _("Kjøringen er %(status)s og kan ikke endres.") % {"status": run.get_status_display()}
        )


def refresh_run(
    run: InvoiceRun,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Make a draft's invoices again from the budget as it is now (a new version)."""
    require(can_manage_finance(actor, run.arena))
    _require_draft(run)
    _check_version(run, expected_version)
    budgets = list(Budget.objects.filter(arena=run.arena, year=run.year))
    planner, charges = plan(budgets, payer_day=run.issue_date)
    if not charges:
        raise ValidationError(
            _("%(arena)s har ingenting å fakturere for %(year)s.")
            % {"arena": run.arena.short_name, "year": run.year}
        )
    with transaction.atomic():
        run.invoices.all().delete()
        run.host_share_lines.all().delete()
        planner.municipalities.setdefault(run.seller_id, run.seller)
        _build_invoices([run], planner, charges)
        save_versioned(run, expected_version, [])
        record(run, AuditEntry.Action.UPDATE, actor=actor, channel=channel, before={})
    return run


def delete_run(
    run: InvoiceRun,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Discard a draft run with its invoices (approved and issued runs stay)."""
    require(can_manage_finance(actor, run.arena))
    _require_draft(run)
    _check_version(run, expected_version)
    with transaction.atomic():
        run.invoices.all().delete()
        run.host_share_lines.all().delete()
        delete_record(run, actor=actor, channel=channel)


def account_problem(account: str) -> str | None:
    """Why `account` cannot receive the run's payments, or None."""
    if not account:
        return _(
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


def approval_problems(run: InvoiceRun) -> dict[str, str]:
    """Why the draft `run` cannot be approved yet, by what must be fixed: "seller_account"
    (no bank account, or one failing its MOD11 check digit) and "references" (buyers
    without an invoice reference: their accounts departments route invoices by it).
    Shown on the run's page before approval; approve_run refuses while any is left."""
    problems: dict[str, str] = {}
    account = account_problem(run.seller_account)
    if account:
        problems["seller_account"] = account
    missing = missing_references(run)
    if missing:
        problems["references"] = _(
            "Disse kjøperne mangler fakturareferanse: %(names)s. Kommunens koordinator eller "
            "sekretariatet legger den inn under Økonomi → Fakturareferanser."
        ) % {"names": ", ".join(f"{m.name} ({m.number})" for m in missing)}
    return problems


def set_run_account(
    run: InvoiceRun,
    account: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Set the seller's bank account on a draft run (11 digits with a MOD11 check digit)."""
    require(can_manage_finance(actor, run.arena))
    _require_draft(run)
    account = account.strip().replace(" ", "").replace(".", "")
    problem = account_problem(account)
    if problem:
        raise ValidationError({"seller_account": problem})
    update_record(
        run,
        {"seller_account": account},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return run


def _stamp_invoices(run: InvoiceRun) -> None:
    """Write the buyers' invoice references and both parties' registered names and
    addresses, as they are now, onto the run's invoices not yet issued."""
    invoices = list(run.invoices.filter(issued_at__isnull=True).select_related("buyer"))
    entities = legal_entities_of([invoice.buyer for invoice in invoices] + [run.seller])
    references = invoice_references(run.arena_id, {invoice.buyer_id for invoice in invoices})
    seller = party_fields("seller", run.seller, entities.get(run.seller.organisation_number))
    for invoice in invoices:
        values = {
            "buyer_reference": references.get(invoice.buyer_id, ""),
            **party_fields("buyer", invoice.buyer, entities.get(invoice.buyer.organisation_number)),
            **seller,
        }
        for name, value in values.items():
            setattr(invoice, name, value)
    Invoice.objects.bulk_update(
        invoices,
        ["buyer_reference", *party_fields("buyer", run.seller, None), *seller],
        batch_size=2000,
    )


def approve_run(
    run: InvoiceRun,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Approve a draft run. Refused while approval_problems names anything (the seller's
    bank account, buyers' invoice references). The invoices take the buyers' references
    and the parties' registered names and addresses as they are at approval."""
    require(can_manage_finance(actor, run.arena))
    if run.status != InvoiceRun.Status.DRAFT:
        raise ValidationError(
            _("Kjøringen er allerede %(status)s; den kan ikke godkjennes på nytt.")
            % {"status": run.get_status_display()}
        )
    problems = approval_problems(run)
    if problems:
        raise ValidationError(problems)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        _stamp_invoices(run)
        update_record(
            run,
            {
                "status": InvoiceRun.Status.APPROVED,
                "approved_at": timezone.now(),
                "approved_by": user,
            },
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
    bump(arenas=())
    return run


def run_problems(run: InvoiceRun) -> list[str]:
    """Why the run's EHF documents would not be valid (empty: all pass validation)."""
    from samarbeid.finance.outputs import ehf_problems

    problems: list[str] = []
    for invoice in run.invoices.select_related("run__arena").prefetch_related("lines"):
        problems.extend(f"{invoice.number}: {p}" for p in ehf_problems(invoice))
    return problems


def issue_run(
    run: InvoiceRun,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Issue an approved run: every EHF document must validate, else nothing changes."""
    require(can_manage_finance(actor, run.arena))
    if run.status == InvoiceRun.Status.ISSUED:
        raise ValidationError(_("Kjøringen er allerede utstedt."))
    if run.status != InvoiceRun.Status.APPROVED:
        raise ValidationError(_("Kjøringen må godkjennes før den utstedes."))
    problems = run_problems(run)
    if problems:
        shown = problems[:10]
        more = len(problems) - len(shown)
        message = _("EHF-filene er ikke gyldige, så kjøringen er ikke utstedt: ") + "; ".join(shown)
        if more:
            message += " " + _("(og %(n)s til)") % {"n": more}
        raise ValidationError(message)
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        update_record(
            run,
            {"status": InvoiceRun.Status.ISSUED, "issued_at": now, "issued_by": user},
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
        run.invoices.filter(issued_at__isnull=True).update(issued_at=now)
        # Bulk writes send no signals: cached figures must recompute. Invoices feed no split
        # (the run's own change above raised its arena's stamp).
        bump(arenas=())
    return run


# Credit notes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditLine:
    """A line of an issued invoice with what its credit notes have credited on it so far.

    A credit note's line carries the position of the line it credits (positions are unique
    per invoice and an issued invoice never changes), so that is how the two are matched."""

    line: InvoiceLine
    credited: Decimal

    @property
    def position(self) -> int:
        return self.line.position

    @property
    def left(self) -> Decimal:
        """What may still be credited on the line."""
        return self.line.amount - self.credited


def credit_field(position: int) -> str:
    """The name under which a refusal about the invoice line at `position` is given (and
    the name of the line's amount field on the credit page)."""
    return f"line_{position}"


def credit_lines(invoice: Invoice) -> list[CreditLine]:
    """The invoice's lines, in order, each with what credit notes have credited on it.
    Two queries whatever the number of lines and credit notes."""
    return match_credits(
        invoice.lines.select_related("share_of").order_by("position"),
        InvoiceLine.objects.filter(
            invoice__credited=invoice, invoice__kind=Invoice.Kind.CREDIT_NOTE
        ).only("position", "amount"),
    )


def match_credits(
    lines: Iterable[InvoiceLine], credited_lines: Iterable[InvoiceLine]
) -> list[CreditLine]:
    """An invoice's `lines`, each with what the `credited_lines` (its credit notes' lines)
    credited on it: a credit note's line has the position of the line it credits."""
    credited: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line in credited_lines:
        credited[line.position] += line.amount
    return [CreditLine(line=line, credited=credited[line.position]) for line in lines]


def left_to_credit(lines: Sequence[CreditLine]) -> Decimal:
    """What may still be credited on the invoice of `lines` (see credit_lines)."""
    return sum((line.left for line in lines if line.left > 0), Decimal("0.00"))


def credit_refusal(invoice: Invoice, lines: Sequence[CreditLine] | None = None) -> str | None:
    """Why the invoice cannot be credited now, or None (the credit page says so beforehand).
    `lines`: the invoice's credit_lines, when the caller has them already."""
    refusal = _not_creditable(invoice)
    if refusal is None and left_to_credit(credit_lines(invoice) if lines is None else lines) <= 0:
        refusal = _("Fakturaen er allerede kreditert i sin helhet.")
    return refusal


def _not_creditable(invoice: Invoice) -> str | None:
    """Why the invoice can never be credited (what credit_refusal says without reading its
    lines), or None."""
    if invoice.is_credit_note:
        return _("En kreditnota kan ikke krediteres.")
    if invoice.issued_at is None:
        return _("Bare utstedte fakturaer krediteres; endre utkastet i stedet.")
    return None


LineT = TypeVar("LineT")


def _amounts_per_line(
    lines: Mapping[int, LineT],
    amounts: Mapping[int, Decimal],
    most: Callable[[LineT], Decimal | None],
) -> list[tuple[LineT, Decimal]]:
    """`amounts` (line position → NOK) checked line by line: the invoice has the line, the
    amount has at most two decimals, is not negative and not above `most(line)` (None: no
    limit). The lines with a positive amount; a ValidationError naming every line refused
    (keyed `credit_field(position)`)."""
    errors: dict[str, str] = {}
    chosen: list[tuple[LineT, Decimal]] = []
    for position, amount in sorted(amounts.items()):
        line = lines.get(position)
        limit = most(line) if line is not None else None
        # The key names the line (a form shows it by the line's field, the API by its
        # place in the request), so the message does not.
        if line is None:
            errors[credit_field(position)] = _("Fakturaen har ingen slik linje.")
        elif not _whole_ore(amount):
            errors[credit_field(position)] = _("Skriv beløpet med høyst to desimaler.")
        elif amount < 0:
            errors[credit_field(position)] = _("Beløpet kan ikke være negativt.")
        elif limit is not None and amount > limit:
            errors[credit_field(position)] = _(
                "Beløpet er større enn det som gjenstår å kreditere (%(left)s kr)."
            ) % {"left": format_nok(max(limit, Decimal("0.00")))}
        elif amount > 0:
            chosen.append((line, amount.quantize(CENT)))
    if errors:
        raise ValidationError(errors)
    return chosen


def _whole_ore(amount: Decimal) -> bool:
    try:
        to_ore(amount)
    except ValueError:
        return False
    return True


def _credits(
    lines: Sequence[CreditLine], amounts: Mapping[int, Decimal] | None
) -> list[tuple[CreditLine, Decimal]]:
    """What to credit on which line: `amounts` checked against what is left on each line,
    or everything left when `amounts` is None. Raises ValidationError naming the lines."""
    if amounts is None:
        return [(line, line.left) for line in lines if line.left > 0]
    credits = _amounts_per_line({line.position: line for line in lines}, amounts, _left)
    if not credits:
        raise ValidationError(_("Skriv et beløp å kreditere på minst én linje."))
    return credits


def _left(line: CreditLine) -> Decimal:
    return line.left


def _next_number(base: str, first: int) -> str:
    """`base` with the first count from `first` that no invoice has taken (count 1 is
    `base` alone): <number>-K, -K2 … for credit notes, <number>-2, -3 … for corrections."""
    taken = set(Invoice.objects.filter(number__startswith=base).values_list("number", flat=True))
    count = first
    while (number := base if count == 1 else f"{base}{count}") in taken:
        count += 1
    return number


def _credit_number(invoice: Invoice) -> str:
    """The next credit note's number: <number>-K for the first, then -K2, -K3 …"""
    return _next_number(f"{invoice.number}-K", 1)


def credit_invoice(
    invoice: Invoice,
    reason: str,
    *,
    amounts: Mapping[int, Decimal] | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Invoice:
    """Correct an issued invoice with a credit note (then, if need be, issue a corrected
    invoice with issue_replacement).

    `amounts` maps a line's position to the amount (NOK, at most two decimals) to credit on
    that line; a line left out or given 0 is not credited. Without `amounts` everything not
    yet credited is credited (the whole invoice, the first time). An invoice may be credited
    by several notes until nothing is left, never a line beyond its amount. The notes are
    numbered <number>-K, then <number>-K2, -K3 …; each note's lines are the lines credited,
    with the amounts credited. The note is issued at once and validated as EHF.

    Refused with ValidationError, nothing written: a credit note, an invoice not issued, an
    invoice credited in full, no reason, and amounts that are negative, have more than two
    decimals, exceed what is left on their line (keyed `credit_field(position)`) or are all
    zero."""

    run = invoice.run
    require(can_manage_finance(actor, run.arena))
    refusal = _not_creditable(invoice)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor fakturaen krediteres.")})
    with transaction.atomic():
        # Lock the invoice before reading what is left: a second credit of the same invoice
        # waits here until this one is written, then sees it (PostgreSQL; SQLite ignores
        # the lock and runs one write transaction at a time anyway).
        Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").get()
        lines = credit_lines(invoice)
        refusal = credit_refusal(invoice, lines)
        if refusal:
            raise ValidationError(refusal)
        credits = _credits(lines, amounts)
        note = _issue_from(
            invoice,
            [(credit.line, amount) for credit, amount in credits],
            kind=Invoice.Kind.CREDIT_NOTE,
            number=_credit_number(invoice),
            kid=invoice.kid,
            due_date=timezone.localdate(),
            credited=invoice,
            reason=reason.strip(),
            actor=actor,
            channel=channel,
        )
    return note


def _issue_from(
    source: Invoice,
    lines: Sequence[tuple[InvoiceLine, Decimal]],
    *,
    actor: Actor,
    channel: str,
    **fields: Any,
) -> Invoice:
    """Issue a credit note or a corrected invoice made from `source`: its run and parties,
    dated today, with `fields` (kind, number, KID, due date, what it credits or replaces,
    reason) and `source`'s `lines` copied with the amounts given (keeping their positions).
    Validated as EHF (refused whole when it is not valid), then issued. Inside the caller's
    transaction."""
    from samarbeid.finance.outputs import ehf_problems

    document = Invoice(
        run=source.run,
        buyer=source.buyer,
        buyer_name=source.buyer_name,
        buyer_organisation_number=source.buyer_organisation_number,
        seller_name=source.seller_name,
        seller_organisation_number=source.seller_organisation_number,
        issue_date=timezone.localdate(),
        total=sum((amount for _line, amount in lines), Decimal("0.00")),
        **fields,
    )
    create_record(document, actor=actor, channel=channel)
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=document,
            position=line.position,
            kind=line.kind,
            budget_line_id=line.budget_line_id,
            project_id=line.project_id,
            share_of_id=line.share_of_id,
            description=line.description,
            amount=amount,
            note=line.note,
        )
        for line, amount in lines
    )
    problems = ehf_problems(document)
    if problems:
        raise ValidationError("; ".join(problems))
    Invoice.objects.filter(pk=document.pk).update(issued_at=timezone.now())
    # Bulk writes send no signals: cached figures must recompute. Invoices and credit notes
    # feed no budget split (core.stamps.SPLIT_INPUTS).
    bump(arenas=())
    document.refresh_from_db()
    return document


# Corrected invoices ---------------------------------------------------------------------------


def replacement_refusal(
    invoice: Invoice,
    credit_notes: Sequence[Invoice] | None = None,
    replacements: Sequence[Invoice] | None = None,
) -> str | None:
    """Why no corrected invoice can be made for `invoice` now, or None: only an issued
    invoice (a corrected one included) with a credit note issued after its last corrected
    invoice. A corrected invoice answers every credit note before it (it re-invoices what
    they credited), so a form sent twice, or two clerks at once, cannot invoice the
    credited amounts twice, however many credit notes there were. `credit_notes`,
    `replacements`: the invoice's, when the caller has them already."""
    if invoice.is_credit_note:
        return _("En kreditnota kan ikke erstattes med en korrigert faktura.")
    if invoice.issued_at is None:
        return _("Bare utstedte fakturaer kan erstattes; endre utkastet i stedet.")
    # Ids follow the order of issue: each document is made under the invoice's row lock.
    note_ids = (
        list(invoice.credit_notes.values_list("pk", flat=True))
        if credit_notes is None
        else [note.pk for note in credit_notes]
    )
    if not note_ids:
        return _("Krediter fakturaen først.")
    replacement_ids = (
        list(invoice.replacements.values_list("pk", flat=True))
        if replacements is None
        else [new.pk for new in replacements]
    )
    if replacement_ids and max(note_ids) < max(replacement_ids):
        return _(
            "Hver kreditnota på fakturaen har alt fått sin korrigerte faktura. Krediter "
            "fakturaen igjen før du lager en ny."
        )
    return None


def _replacement_lines(
    lines: Sequence[InvoiceLine], amounts: Mapping[int, Decimal]
) -> list[tuple[InvoiceLine, Decimal]]:
    """The original `lines` to copy with their new amounts: `amounts` (line position →
    NOK) checked (a correction may go above the original), lines left out or given 0
    dropped. Raises ValidationError naming the lines (keyed `credit_field(position)`)."""
    chosen = _amounts_per_line({line.position: line for line in lines}, amounts, _no_limit)
    if not chosen:
        raise ValidationError(_("Skriv et beløp på minst én linje."))
    return chosen


def _no_limit(_line: InvoiceLine) -> None:
    return None


def _replacement_number(invoice: Invoice) -> str:
    """The corrected invoice's number: the first invoice's number (the one the chain of
    replacements started from) with -2, then -3 … (the next free one)."""
    first = invoice
    while first.replaces_id is not None:
        first = Invoice.objects.only("number", "replaces_id").get(pk=first.replaces_id)
    return _next_number(f"{first.number}-", 2)


def _replacement_kid(run: InvoiceRun) -> str:
    """A KID not used in the run: the run's invoices are numbered 1 … n in their KIDs
    (see _build_invoices); a corrected invoice takes the next free number after them.
    Unique across runs too, since the run's id is part of every KID."""
    taken = set(run.invoices.values_list("kid", flat=True))
    sequence = run.invoices.filter(kind=Invoice.Kind.INVOICE).count() + 1
    while True:
        kid = make_kid(f"{run.year}{run.pk:06d}{sequence:05d}")
        if kid not in taken:
            return kid
        sequence += 1


def issue_replacement(
    invoice: Invoice,
    amounts: Mapping[int, Decimal],
    reason: str,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Invoice:
    """Issue a corrected invoice for a credited invoice ("ny faktura etter kreditering").

    `amounts` maps the position of a line on `invoice` to the line's new amount (NOK, at
    most two decimals; more than the original is allowed, a correction may go up); a line
    left out or given 0 is not on the new invoice. The new invoice is in the same run, to
    the same buyer, with the parties as on `invoice`; dated today, due after the run's
    payment terms (its due date minus its invoice date); numbered <first number>-2, then
    -3 … (the first number: that of the invoice the chain of corrections started from);
    with its own KID. Its lines are copies of the chosen lines with the new amounts, and
    keep their positions on `invoice` (so a position names the same line on both, gaps
    possible). It replaces `invoice` (`replaces`), is validated as EHF and issued at once.

    Refused with ValidationError, nothing written: a credit note, an invoice not issued,
    one never credited or whose every credit note has its corrected invoice, no reason,
    amounts negative or with more than two decimals (keyed `credit_field(position)`), or
    no positive amount."""

    run = invoice.run
    require(can_manage_finance(actor, run.arena))
    refusal = replacement_refusal(invoice)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor fakturaen korrigeres.")})
    with transaction.atomic():
        # Lock the invoice and its run: a second correction made at the same time waits
        # here and then gets the next number and KID (PostgreSQL; SQLite runs one write
        # transaction at a time anyway).
        Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").get()
        InvoiceRun.objects.select_for_update().filter(pk=run.pk).values_list("pk").get()
        refusal = replacement_refusal(invoice)  # again: one may have been made meanwhile
        if refusal:
            raise ValidationError(refusal)
        originals = list(invoice.lines.order_by("position"))
        chosen = _replacement_lines(originals, amounts)
        new = _issue_from(
            invoice,
            chosen,
            kind=Invoice.Kind.INVOICE,
            number=_replacement_number(invoice),
            kid=_replacement_kid(run),
            due_date=timezone.localdate() + (run.due_date - run.issue_date),
            replaces=invoice,
            reason=reason.strip(),
            actor=actor,
            channel=channel,
        )
    return new


# Figures for pages and reports ----------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityTotal:
    municipality: Municipality
    amount: Decimal


def run_totals(run: InvoiceRun) -> list[MunicipalityTotal]:
    """Net amount per paying municipality (invoices minus credit notes)."""
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    buyers: dict[int, Municipality] = {}
    for invoice in run.invoices.select_related("buyer"):
        totals[invoice.buyer_id] += invoice.signed_total
        buyers[invoice.buyer_id] = invoice.buyer
    return [
        MunicipalityTotal(buyers[m], amount)
        for m, amount in sorted(totals.items(), key=lambda kv: buyers[kv[0]].code)
    ]


def host_share(run: InvoiceRun) -> MunicipalityTotal | None:
    """The host municipality's own share of the run ("egen andel"): not invoiced, no EHF
    or KID, never sent. None when the host pays nothing in the run."""
    rows = list(
        run.host_share_lines.order_by()
        .values("municipality_id")
        .annotate(amount=Sum("amount"))
        .values_list("municipality_id", "amount")
    )
    if not rows:
        return None
    municipality_id, amount = rows[0]
    municipality = (
        run.seller
        if run.seller_id == municipality_id
        else (Municipality.objects.get(pk=municipality_id))
    )
    return MunicipalityTotal(municipality, _money_value(amount))


@dataclass(frozen=True)
class RunSummary:
    """What a run splits: the net invoiced per buyer, and the host's own share. Invoiced
    and own share add up to the budget (until credit notes change what is invoiced)."""

    totals: list[MunicipalityTotal]
    host: MunicipalityTotal | None

    @property
    def invoiced(self) -> Decimal:
        return sum((t.amount for t in self.totals), Decimal("0.00"))

    @property
    def host_share(self) -> Decimal:
        return self.host.amount if self.host else Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.invoiced + self.host_share


def run_summary(run: InvoiceRun) -> RunSummary:
    return RunSummary(totals=run_totals(run), host=host_share(run))


@dataclass(frozen=True)
class CostRow:
    municipality_id: int
    year: int
    administration: Decimal
    projects: Decimal


@dataclass(frozen=True)
class PaymentRow:
    arena_id: int
    arena_name: str
    year: int
    amount: Decimal
    invoiced: bool = True  # False: the planned share from the budget (no issued run yet)
    # The part of `amount` that is the municipality's own share as the arena's host: not
    # invoiced to it (from the issued run, or planned when the municipality hosts the arena)
    own_share: Decimal = Decimal("0.00")


def _issued_lines(q: Q) -> QuerySet[InvoiceLine]:
    return InvoiceLine.objects.filter(
        q, invoice__run__status=InvoiceRun.Status.ISSUED, invoice__issued_at__isnull=False
    )


def arena_costs(arena: Arena, first_year: int, last_year: int) -> list[CostRow]:
    """What each municipality pays `arena` per year: administration (base contributions) and
    projects. From issued invoices (net of credit notes) where a run was issued for the
    year, else from the budget's planned split (the municipality of that year pays).
    Ordered by year, then municipality number."""
    rows: dict[tuple[int, int], list[Decimal]] = defaultdict(
        lambda: [Decimal("0.00"), Decimal("0.00")]
    )
    issued_years = set(
        InvoiceRun.objects.filter(
            arena=arena,
            year__gte=first_year,
            year__lte=last_year,
            status=InvoiceRun.Status.ISSUED,
        ).values_list("year", flat=True)
    )
    for payer, year, kind, amount, invoice_kind in _issued_lines(
        Q(invoice__run__arena=arena, invoice__run__year__in=issued_years)
    ).values_list("invoice__buyer_id", "invoice__run__year", "kind", "amount", "invoice__kind"):
        sign = -1 if invoice_kind == Invoice.Kind.CREDIT_NOTE else 1
        rows[(year, payer)][0 if kind == BudgetLine.Kind.BASE else 1] += sign * amount
    for payer, year, kind, amount in HostShareLine.objects.filter(
        run__arena=arena, run__year__in=issued_years, run__status=InvoiceRun.Status.ISSUED
    ).values_list("municipality_id", "run__year", "kind", "amount"):
        rows[(year, payer)][0 if kind == BudgetLine.Kind.BASE else 1] += amount
    budgets = Budget.objects.filter(arena=arena, year__gte=first_year, year__lte=last_year).exclude(
        year__in=issued_years
    )
    try:
        _planner, charges = plan(list(budgets))
    except ValidationError:
        charges = []
    for charge in charges:
        slot = 0 if charge.kind == BudgetLine.Kind.BASE else 1
        rows[(charge.year, charge.payer_id)][slot] += charge.amount
    numbers = dict(
        Municipality.objects.filter(pk__in={m for _y, m in rows}).values_list("pk", "code")
    )
    return [
        CostRow(municipality_id=m, year=year, administration=values[0], projects=values[1])
        for (year, m), values in sorted(rows.items(), key=lambda kv: (kv[0][0], numbers[kv[0][1]]))
    ]


def arenas_taken_part_in(municipality_ids: Iterable[int]) -> set[int]:
    """The arenas these municipalities are or were members of, or took part in a project
    of. Two subqueries rather than one OR over two outer joins (which SQLite answers by
    walking every participation of every arena)."""
    ids = list(municipality_ids)
    return set(
        Arena.objects.filter(
            Q(pk__in=Membership.objects.filter(municipality_id__in=ids).values("arena_id"))
            | Q(
                pk__in=Participation.objects.filter(municipality_id__in=ids).values(
                    "project__arena_id"
                )
            )
        ).values_list("pk", flat=True)
    )


def municipality_payments(municipality: Municipality) -> list[PaymentRow]:
    """What `municipality` pays per arena and year: issued invoices net of credit notes,
    and, for years without an issued run, its planned share of the arenas' budgets.
    Ordered by year (newest first), then arena name.

    A fixed number of queries whatever the data: the invoices come as one row per arena
    and year (summed in the database, credit notes subtracted), and the budgets of every
    arena the municipality belongs to or takes part in are split with one Planner (the
    data for all of them loaded at once), each budget on its own as `plan([budget])`.
    The splits are shared by every municipality and cached per arena until that arena's
    inputs or the shared ones change (planning.planned_shares): after a change elsewhere
    nothing is split again, after one in an arena only its budgets."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: Decimal("0.00"))
    signed = Case(
        When(kind=Invoice.Kind.CREDIT_NOTE, then=-F("total")),
        default=F("total"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    for arena_id, year, amount in (
        Invoice.objects.filter(
            buyer=municipality, issued_at__isnull=False, run__status=InvoiceRun.Status.ISSUED
        )
        .order_by()
        .values("run__arena_id", "run__year")
        .annotate(amount=Sum(signed))
        .values_list("run__arena_id", "run__year", "amount")
    ):
        totals[(arena_id, year)] += _money_value(amount)
    own: dict[tuple[int, int], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for arena_id, year, amount in (
        HostShareLine.objects.filter(
            municipality=municipality, run__status=InvoiceRun.Status.ISSUED
        )
        .order_by()
        .values("run__arena_id", "run__year")
        .annotate(amount=Sum("amount"))
        .values_list("run__arena_id", "run__year", "amount")
    ):
        totals[(arena_id, year)] += _money_value(amount)
        own[(arena_id, year)] += _money_value(amount)
    successors = SuccessorMap()
    related = {municipality.pk, *successors.predecessor_ids(municipality.pk)}
    arena_ids = arenas_taken_part_in(related)
    issued: set[tuple[int, int]] = set(
        InvoiceRun.objects.filter(
            status=InvoiceRun.Status.ISSUED, arena_id__in=arena_ids | {a for a, _y in totals}
        ).values_list("arena_id", "year")
    )
    budgets = {
        pk: (arena_id, year)
        for pk, arena_id, year in Budget.objects.filter(arena_id__in=arena_ids)
        .order_by()
        .values_list("pk", "arena_id", "year")
        if (arena_id, year) not in issued
    }
    shares = planned_shares({pk: a for pk, (a, _y) in budgets.items()}, successors=successors)
    for budget_id, payers in shares.items():
        if municipality.pk in payers:
            totals[budgets[budget_id]] += payers[municipality.pk]
    names: dict[int, str] = {}
    hosts: dict[int, int | None] = {}
    for pk, name, host in Arena.objects.filter(pk__in={a for a, _y in totals}).values_list(
        "pk", "name", "host_municipality_id"
    ):
        names[pk] = name
        hosts[pk] = host
    hosted = {a for a, host in hosts.items() if host is not None and host in related}
    return [
        PaymentRow(
            arena_id=a,
            arena_name=names[a],
            year=y,
            amount=amount,
            invoiced=(a, y) in issued,
            own_share=own[(a, y)]
            if (a, y) in issued
            else (amount if a in hosted else Decimal("0.00")),
        )
        for (a, y), amount in sorted(totals.items(), key=lambda kv: (-kv[0][1], names[kv[0][0]]))
    ]


def _money_value(value: Decimal | None) -> Decimal:
    """A sum from the database as exact kroner and øre (SQLite sums decimals as floats)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def run_for(arena: Arena, year: int) -> InvoiceRun | None:
    return InvoiceRun.objects.filter(arena=arena, year=year).first()


def today() -> dt.date:
    return timezone.localdate()
