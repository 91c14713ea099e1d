"""Who pays what: budget lines split by their keys over members or participants, in bulk.

A municipality that has merged into another is not a participant of its own after the
change: a line of year Y is split over those holding the recorded members' or
participants' areas on 31 December of Y (`Planner.split_day`), one share each, whichever
of a successor's predecessors took part (lib.succession: the successor's own population;
its own usage and fixed percentage, or else the sum of its predecessors' on the line).
Nøtterøy and Tjøme are one participant, Færder, in 2018 and later; each their own in 2017,
when each share is then billed to who pays it on the invoice date (`Planner.payer`).
The stored memberships and participations are left as they were.

One pass (finance.plan_inputs) loads everything the given budgets need (lines, keys,
memberships, participations, populations, usage, fixed percentages, municipality changes)
with a fixed number of queries, whatever the number of budgets, lines or municipalities.
Invoice runs, the municipality's payments and the reports all use it. `planned_shares`
keeps each arena's split in Django's cache until one of its inputs changes (core.stamps:
the arena's stamp and the shared stamp; every model read here or in finance.plan_inputs
must be described in core.stamps.SPLIT_INPUTS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from samarbeid.core.phrases import Param, Text, phrase
from samarbeid.core.stamps import SPLIT_TIMEOUT, split_versions
from samarbeid.finance.components import MESSAGES, PREVIEW_MESSAGES
from samarbeid.finance.external import ZERO, net
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine
from samarbeid.finance.plan_inputs import PlanInputs
from samarbeid.lib.allocation import DECLARATION, AllocationError, Basis, Participant, basis
from samarbeid.lib.money import from_ore
from samarbeid.lib.succession import carry_over
from samarbeid.registry.models import Municipality
from samarbeid.registry.population_links import with_population_links
from samarbeid.registry.services import SuccessorMap


@dataclass(frozen=True)
class Charge:
    """One participant's share of one budget line, and who pays it."""

    line_id: int
    budget_id: int
    arena_id: int
    year: int
    kind: str
    project_id: int | None
    description: str
    share_of_id: int
    payer_id: int
    amount: Decimal
    note: str
    gross: Decimal = ZERO  # the line's cost, and its external funding (grants) taken off it
    external: Decimal = ZERO


@dataclass(frozen=True)
class _Group:
    """Those who share a line (an arena's members or a project's participants in a year)
    under one key, and their exact fractions: the same for every such line, so worked out
    once. `error`: why their lines cannot be split, whatever the amount."""

    people: list[Municipality]
    participants: list[Participant]
    basis: Basis | None
    error: AllocationError | None


# Whose line it is: (arena, None, year) for a base contribution (its members),
# (None, project, year) for a project's line (its participants).
Who = tuple[int | None, int | None, int]


def _fmt_percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _added(code: str, participants: list[Participant]) -> Decimal:
    """The participants' figures added, for the component the error `code` is about."""
    for declared in DECLARATION:
        if declared.attribute and code.startswith(f"{declared.code}_"):
            figures = (getattr(p, declared.attribute) for p in participants)
            return sum((Decimal(f) for f in figures if f is not None), Decimal(0))
    return Decimal(0)


def refusals(exc: ValidationError) -> list[Text]:
    """The messages of `exc` as they were raised: a phrase stays a phrase (told in the
    reader's language where it is shown), where `exc.messages` would word it now."""
    if hasattr(exc, "error_dict"):
        return [text for errors in exc.error_dict.values() for text in _kept(errors)]
    return _kept(exc.error_list)


def _kept(errors: list[ValidationError]) -> list[Text]:
    kept: list[Text] = []
    for error in errors:
        message: Any = error.message  # Django takes any object as a message (a phrase)
        kept.append(str(message % error.params) if error.params else message)
    return kept


class Planner(PlanInputs):
    """Splits the lines of a set of budgets (loaded once by PlanInputs); `charges()` then
    works without queries."""

    def __init__(
        self,
        budgets: Sequence[Budget],
        *,
        successors: SuccessorMap | None = None,
        use_actual: bool = False,
        lines: Sequence[BudgetLine] | None = None,
    ) -> None:
        """`lines`: unsaved lines to split instead of the budgets' stored ones (previews);
        `use_actual`: split a line's actual cost where it has one."""
        super().__init__(budgets, successors=successors, lines=lines)
        self.preview = lines is not None  # its messages speak of the preview, not of a line
        self.use_actual = use_actual
        self._people: dict[Who, list[Municipality]] = {}
        self._carried: dict[Who, dict[Municipality, Municipality]] = {}
        self._groups: dict[tuple[int, Who], _Group] = {}
        # (key id, municipality id, year) → its participant: the same for each line of the key
        # that the municipality shares in the year (an arena's projects share their key)
        self._participants: dict[tuple[int, int, int], Participant] = {}
        self._payer: dict[tuple[int, date], tuple[Municipality, str]] = {}

    # Splitting --------------------------------------------------------------------------

    def _participant_of(
        self, key_id: int, key: AllocationKey, m: Municipality, year: int
    ) -> Participant:
        """_participant, worked out once per key, municipality and year."""
        found = self._participants.get((key_id, m.pk, year))
        if found is None:
            found = self._participants[(key_id, m.pk, year)] = self._participant(key, m, year)
        return found

    def _participant(self, key: AllocationKey, m: Municipality, year: int) -> Participant:
        # Only the figures the key uses: the others are never read.
        return Participant.with_figures(
            m.code,
            {
                c.attribute: self.figure(c.name, key, m.pk, year)
                for c in DECLARATION
                if c.attribute is not None
            },
        )

    def _message(
        self,
        exc: AllocationError,
        line: BudgetLine,
        year: int,
        people: list[Municipality],
        participants: list[Participant],
    ) -> Text:
        """Why `line` cannot be split, as a phrase told in the reader's language (a missing
        population: the text in the active language, with links to where it is entered)."""
        key = self.keys[line.key_id]
        by_code = {m.code: m for m in people}
        who = by_code.get(exc.participant_key or "")
        lacking = [who] if who else []
        if exc.code == "population_missing":  # every one lacking it, not only the first
            lacking = [by_code[p.key] for p in participants if p.population is None] or lacking
        names: dict[str, Param] = {
            "m": ", ".join(f"{m.name} ({m.number})" for m in lacking),
            "key": key.name,
            "line": line.description,
            "year": year,
            "ref": key.reference_year(year),
        }
        message = (PREVIEW_MESSAGES if self.preview else MESSAGES).get(exc.code)
        if message is not None:
            used = {name: value for name, value in names.items() if f"%({name})" in message}
            if "%(sum)" in message:
                used["sum"] = _fmt_percent(_added(exc.code, participants))
            text = phrase(message, **used)
            if exc.code == "population_missing":  # the pages where the figures are entered
                back = (
                    None
                    if self.preview
                    else reverse("finance:budget_detail", args=[line.budget_id])
                )
                return with_population_links(str(text), lacking, key.reference_year(year), back)
            return text
        match exc.code:
            case "weights_sum" | "weight_out_of_range":
                return phrase("Vektene i nøkkel «%(key)s» må summere til 100.", key=key.name)
            case "total_negative" if self.preview:
                return phrase("Beløpet i forhåndsvisningen kan ikke være negativt.")
            case "no_participants" if self.preview:
                arena = self.arenas[self.budgets[line.budget_id].arena_id]
                return phrase(
                    "%(arena)s har ingen medlemmer i %(year)s, så det er ingenting å fordele "
                    "i forhåndsvisningen.",
                    arena=arena.short_name,
                    year=year,
                )
            case "total_negative":
                return phrase(
                    "Beløpet på linje «%(line)s» kan ikke være negativt.", line=line.description
                )
            case "no_participants":
                if line.kind == BudgetLine.Kind.BASE:
                    arena = self.arenas[self.budgets[line.budget_id].arena_id]
                    return phrase(
                        "%(arena)s har ingen medlemmer i %(year)s, så basisbidraget "
                        "«%(line)s» kan ikke fordeles.",
                        arena=arena.short_name,
                        year=year,
                        line=line.description,
                    )
                return phrase(
                    "Prosjektet på linje «%(line)s» har ingen deltakere i %(year)s.",
                    line=line.description,
                    year=year,
                )
        return str(exc)

    def payer(self, municipality: Municipality, day: date) -> tuple[Municipality, str]:
        """Who pays `municipality`'s share on `day` (its successor if it has ceased), with a
        note saying whose share it is when that is another municipality."""
        found = self._payer.get((municipality.pk, day))
        if found is None:
            found = self._payer[(municipality.pk, day)] = self._find_payer(municipality, day)
        return found

    def _find_payer(self, municipality: Municipality, day: date) -> tuple[Municipality, str]:
        heirs = self.successors.successor_ids_on(municipality.pk, day)
        if heirs == [municipality.pk] or not heirs:
            return municipality, ""
        missing = [h for h in heirs if h not in self.municipalities]
        if missing:
            self.municipalities.update(Municipality.objects.in_bulk(missing))
        heir = sorted((self.municipalities[h] for h in heirs), key=lambda m: m.code)[0]
        note = _("Andel for %(old)s (%(number)s), nå %(new)s") % {
            "old": municipality.name,
            "number": municipality.number,
            "new": heir.name,
        }
        return heir, note

    def _who(self, line: BudgetLine) -> Who:
        budget = self.budgets[line.budget_id]
        if line.kind == BudgetLine.Kind.BASE:
            return (budget.arena_id, None, budget.year)
        assert line.project_id is not None
        return (None, line.project_id, budget.year)

    def _heirs_of(self, who: Who) -> dict[Municipality, Municipality]:
        """Each recorded member or participant → who carries it on the split day."""
        found = self._carried.get(who)
        if found is None:
            arena_id, project_id, year = who
            if project_id is not None:
                recorded = self.participants(project_id, year)
            else:
                assert arena_id is not None
                recorded = self.members(arena_id, year)
            day = self.split_day(year)
            found = self._carried[who] = {m: self.successor_on(m, day) for m in recorded}
        return found

    def _people_of(self, who: Who) -> list[Municipality]:
        """Those sharing the lines of `who`: one each, by code (`carry_over`'s order)."""
        found = self._people.get(who)
        if found is None:
            heirs = set(self._heirs_of(who).values())
            found = self._people[who] = sorted(heirs, key=lambda m: m.code)
        return found

    def _group(self, line: BudgetLine) -> _Group:
        who = self._who(line)
        found = self._groups.get((line.key_id, who))
        if found is None:
            key = self.keys[line.key_id]
            heirs = self._heirs_of(who)
            people = self._people_of(who)
            figures = {
                m.code: self._participant_of(line.key_id, key, m, who[2])
                for m in {*heirs, *heirs.values()}
            }
            participants = carry_over(
                {recorded.code: heir.code for recorded, heir in heirs.items()}, figures
            )
            assert [p.key for p in participants] == [m.code for m in people]
            try:
                found = _Group(people, participants, basis(key.weights, participants), None)
            except AllocationError as exc:
                found = _Group(people, participants, None, exc)
            self._groups[(line.key_id, who)] = found
        return found

    def _payers_of(self, who: Who, day: date) -> list[tuple[Municipality, str]]:
        return [self.payer(municipality, day) for municipality in self._people_of(who)]

    def _total(self, line: BudgetLine) -> Decimal:
        return line.actual if self.use_actual and line.actual is not None else line.amount

    def _net(self, line: BudgetLine) -> Decimal:
        """What the members share of the line: its cost less its external funding."""
        return net(self._total(line), self.external.get(line.pk, ZERO))

    def _line_charges(self, line: BudgetLine, payer_day: date | None) -> list[Charge]:
        """The shares of one line. Raises ValidationError with the line's problem."""
        budget = self.budgets[line.budget_id]
        year = budget.year
        group = self._group(line)
        problem = group.error
        if group.basis is not None:
            try:
                shares = group.basis.split(self._net(line))
            except AllocationError as exc:
                problem = exc
        if problem is not None:
            raise ValidationError(
                [self._message(problem, line, year, group.people, group.participants)]
            )
        payers = self._payers_of(self._who(line), payer_day or date(year, 12, 31))
        return [
            Charge(
                line_id=line.pk,
                budget_id=budget.pk,
                arena_id=budget.arena_id,
                year=year,
                kind=line.kind,
                project_id=line.project_id,
                description=line.description,
                share_of_id=municipality.pk,
                payer_id=payer.pk,
                amount=share.amount,
                note=note,
                gross=self._total(line),
                external=min(self.external.get(line.pk, ZERO), self._total(line)),
            )
            for municipality, share, (payer, note) in zip(group.people, shares, payers, strict=True)
        ]

    def charges(self, *, payer_day: date | None = None) -> list[Charge]:
        """Every share of every line. `payer_day`: the day that decides who pays a merged
        municipality's share (the invoice date); None: 31 December of the budget year.
        Raises ValidationError listing every problem; then nothing is returned."""
        result, problems = self.split(payer_day=payer_day)
        if problems:
            raise ValidationError([text for texts in problems.values() for text in texts])
        return result

    def split(self, *, payer_day: date | None = None) -> tuple[list[Charge], dict[int, list[Text]]]:
        """As `charges`, without raising: the shares of every line that can be split (in
        the lines' order), and each budget's problems (budget id → why its lines cannot be
        split; a budget without one is not named), for those who judge budget by budget
        (finance.invoicing.plan_drafts)."""
        result: list[Charge] = []
        problems: dict[int, list[Text]] = {}
        for line in self.lines:
            try:
                result.extend(self._line_charges(line, payer_day))
            except ValidationError as exc:
                problems.setdefault(line.budget_id, []).extend(refusals(exc))
        return result, problems

    def sums_by_budget(self) -> dict[int, dict[int, Decimal]]:
        """What each municipality pays of each budget on its own, as `plan([budget])`
        splits it on 31 December of its year: budget id → payer id → the sum of its
        charges (also when 0). A budget with a line that cannot be split is left out (where
        `plan([budget])` would raise), the others are unaffected. Adds øre as integers
        instead of making a Charge of every share: the national pages split tens of
        thousands of lines."""
        sums: dict[int, dict[int, int]] = {pk: defaultdict(int) for pk in self.budgets}
        failed: set[int] = set()
        for line in self.lines:
            if line.budget_id in failed:
                continue
            group = self._group(line)
            if group.basis is None:
                failed.add(line.budget_id)
                continue
            try:
                amounts = group.basis.split_ore(self._net(line))
            except AllocationError:
                failed.add(line.budget_id)
                continue
            who = self._who(line)
            budget_sums = sums[line.budget_id]
            for (payer, _note), ore in zip(
                self._payers_of(who, date(who[2], 12, 31)), amounts, strict=True
            ):
                budget_sums[payer.pk] += ore
        return {
            pk: {payer_id: from_ore(ore) for payer_id, ore in payers.items()}
            for pk, payers in sums.items()
            if pk not in failed
        }


def plan(
    budgets: Iterable[Budget],
    *,
    payer_day: date | None = None,
    use_actual: bool = False,
    successors: SuccessorMap | None = None,
) -> tuple[Planner, list[Charge]]:
    planner = Planner(list(budgets), successors=successors, use_actual=use_actual)
    return planner, planner.charges(payer_day=payer_day)


def planned_shares(
    budgets: Mapping[int, int], *, successors: SuccessorMap | None = None
) -> dict[int, dict[int, Decimal]]:
    """What each municipality pays of each budget (budget id → its arena's id) as
    `plan([budget])` splits it, on 31 December of its year: budget id → payer id → amount.
    A budget that cannot be split is left out. Give every budget of an arena that is to be
    split (e.g. all not invoiced): the splits are cached per arena under the arena's stamp
    and the shared stamp (read before the data, so a change made meanwhile is not hidden),
    and an arena found without one of its budgets is split again. Only the arenas not
    cached are split, with one Planner: a bounded number of queries whatever the data."""
    by_arena: dict[int, list[int]] = defaultdict(list)
    for budget_id, arena_id in budgets.items():
        by_arena[arena_id].append(budget_id)
    shared, versions = split_versions(by_arena)
    names = {a: f"split:{a}:{versions[a]}:{shared}" for a in by_arena}
    found = cache.get_many(list(names.values())) if names else {}
    result: dict[int, dict[int, Decimal]] = {}
    missing: list[int] = []
    for arena_id, ids in by_arena.items():
        entry = found.get(names[arena_id])
        if entry is not None and all(pk in entry for pk in ids):
            result.update({pk: entry[pk] for pk in ids if entry[pk] is not None})
        else:
            missing.extend(ids)
    if not missing:
        return result
    planner = Planner(list(Budget.objects.filter(pk__in=missing).order_by()), successors=successors)
    by_budget = planner.sums_by_budget()
    entries: dict[int, dict[int, dict[int, Decimal] | None]] = defaultdict(dict)
    for budget in planner.budgets.values():
        payers = by_budget.get(budget.pk)
        entries[budget.arena_id][budget.pk] = payers  # None: cannot be split, left out
        if payers is not None:
            result[budget.pk] = payers
    cache.set_many({names[a]: entry for a, entry in entries.items() if a in names}, SPLIT_TIMEOUT)
    return result
