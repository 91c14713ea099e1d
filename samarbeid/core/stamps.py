"""Aggregates cached until the data changes, and budget splits cached until their inputs do.

Overview pages count over every project, participation and membership in the country;
those counts grow with the data, the page should not. `cached_aggregate` keeps such a
result in Django's cache under the current data version (`DataStamp.version`), which every
save and delete of a domain record raises (signals connected in `CoreConfig.ready`;
`save_versioned` for queryset updates; bulk writes — imports, invoice runs, scale seeding —
call `bump()` themselves). Reading the version is one query; a change anywhere makes every
cached aggregate recompute on its next use.

Splitting budgets is the one computation too heavy to redo after every change (what a
municipality pays splits every budget of every arena it sits in), so a budget's split is
cached under finer stamps (`split_versions`, used by finance.planning.planned_shares):

* the arena stamp (`ArenaStamp`, one per arena): raised by a change to a record that feeds
  the splits of that arena's budgets — its budgets and their lines, the keys the lines use
  with their usage and fixed percentages, its memberships, the participations in the
  projects its budgets' lines name, the arena itself and its invoice runs;
* the shared stamp (`DataStamp.shared`): raised by a change to what feeds splits in every
  arena (the municipality register, mergers and successions, population figures), by a
  change that moves a record from one arena's inputs to another's or that cannot be placed,
  and by every `bump()` without `arenas`.

`SPLIT_INPUTS` says which records raise which stamp; records of the other domain apps
(governance, strategy, review, workshops) raise the data version only. A bulk write that
knows it touched only some arenas' records says so with `bump(arenas=...)`.

"Raising" a version sets it to a new random number, not the next one: a version counted up
in a transaction that is then rolled back would be counted up to the same number again by
the next change, and a result cached meanwhile from the rolled-back data would then be
served as current.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.utils.translation import get_language

T = TypeVar("T")

# Apps whose records feed aggregates; audit entries, tokens and sessions do not.
DOMAIN_APPS = {
    "registry",
    "governance",
    "arenas",
    "portfolio",
    "finance",
    "strategy",
    "review",
    "workshops",
}
TIMEOUT = 600  # versions invalidate; the timeout bounds staleness from a write path missed
# Splits are keyed on exactly the stamps of their inputs, and expire only as a bound on a
# missed write path: kept longer than the aggregates, so that the aggregate built on them
# (recomputed every TIMEOUT) does not split the whole country again each time.
SPLIT_TIMEOUT = 6 * 3600


def current_version() -> int:
    from samarbeid.core.models import DataStamp

    row = DataStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(row or 0)


def split_versions(arena_ids: Iterable[int]) -> tuple[int, dict[int, int]]:
    """The shared stamp and each arena's stamp (0 if it never changed): two queries."""
    from samarbeid.core.models import ArenaStamp, DataStamp

    shared = DataStamp.objects.filter(pk=1).values_list("shared", flat=True).first()
    ids = set(arena_ids)
    found = dict(ArenaStamp.objects.filter(arena__in=ids).values_list("arena", "version"))
    return int(shared or 0), {pk: int(found.get(pk, 0)) for pk in ids}


def _fresh() -> int:
    """A new version: random, never 0 (no stamp yet), within a positive 64-bit integer."""
    return secrets.randbits(62) + 1


def _raise_data(*, shared: bool) -> None:
    from samarbeid.core.models import DataStamp

    values: dict[str, Any] = {"version": _fresh()}
    if shared:
        values["shared"] = _fresh()
    if not DataStamp.objects.filter(pk=1).update(**values):
        # The first change ever: make the row (keeping one made meanwhile), then raise it.
        DataStamp.objects.bulk_create([DataStamp(pk=1)], ignore_conflicts=True)
        DataStamp.objects.filter(pk=1).update(**values)


def _raise_arenas(arena_ids: Iterable[int]) -> None:
    from samarbeid.core.models import ArenaStamp

    ids = sorted(set(arena_ids))
    if not ids:
        return
    stamps = ArenaStamp.objects.filter(arena__in=ids)
    version = _fresh()  # one for all: a stamp only has to change
    if stamps.update(version=version) < len(ids):
        # An arena's first change: rows for those without one (keeping one made
        # meanwhile), then all raised again.
        ArenaStamp.objects.bulk_create([ArenaStamp(arena=pk) for pk in ids], ignore_conflicts=True)
        stamps.update(version=version)


def bump(*, arenas: Iterable[int] | None = None) -> None:
    """Record that domain data changed (a bulk write, which sends no signals). `arenas`: the
    write touched only records of these arenas (see SPLIT_INPUTS), so only their budgets'
    splits are computed again; None: anything may have changed, every split too."""
    if arenas is None:
        _raise_data(shared=True)
    else:
        _raise_data(shared=False)
        _raise_arenas(arenas)


# Which stamps a change raises ----------------------------------------------------------------

SHARED = None  # a scope: every arena's splits (the shared stamp)
Scope = set[int] | None  # arena ids, or SHARED


def _arenas_of_budgets(**line_filter: Any) -> set[int]:
    """The arenas of the budgets with a line matching `line_filter`."""
    from samarbeid.finance.models import Budget

    lookups = {f"lines__{name}": value for name, value in line_filter.items()}
    return set(Budget.objects.filter(**lookups).values_list("arena_id", flat=True).distinct())


def _arena_of_budget(budget_id: int) -> Scope:
    from samarbeid.finance.models import Budget

    found = Budget.objects.filter(pk=budget_id).values_list("arena_id", flat=True).first()
    return SHARED if found is None else {found}


def _shared(_obj: Any) -> Scope:
    return SHARED


def _none(_obj: Any) -> Scope:
    return set()


# Model label → (the arenas whose budgets' splits the record feeds, the fields that move it
# from one arena's inputs to another's: an update of one of them raises the shared stamp,
# since the arenas it fed before are no longer known). Every model the finance Planner reads
# is here (a test checks it); a model of these apps that is not raises the shared stamp.
# Keys (with their usage and fixed percentages) and participations are followed to the
# budgets whose lines use the key or name the project, not to the key's or project's own
# arena: a project can move to another arena after its budget lines were written.
SPLIT_APPS = {"registry", "arenas", "portfolio", "finance"}
SPLIT_INPUTS: dict[str, tuple[Callable[[Any], Scope], frozenset[str]]] = {
    "registry.Municipality": (_shared, frozenset()),
    "registry.MunicipalityChange": (_shared, frozenset()),
    "registry.Population": (_shared, frozenset()),
    "arenas.Arena": (lambda o: {o.pk}, frozenset()),
    "arenas.Membership": (lambda o: {o.arena_id}, frozenset({"arena"})),
    # The split reads a project's participations only (below), none of its own fields.
    "portfolio.Project": (lambda o: {o.arena_id}, frozenset()),
    "portfolio.Participation": (
        lambda o: _arenas_of_budgets(project_id=o.project_id),
        frozenset({"project"}),
    ),
    "portfolio.ProjectStatusChange": (_none, frozenset()),  # the split reads no status
    "finance.AllocationKey": (
        lambda o: {o.arena_id} | _arenas_of_budgets(key_id=o.pk),
        frozenset(),
    ),
    "finance.KeyUsage": (lambda o: _arenas_of_budgets(key_id=o.key_id), frozenset({"key"})),
    "finance.KeyFixedPercent": (lambda o: _arenas_of_budgets(key_id=o.key_id), frozenset({"key"})),
    "finance.Budget": (lambda o: {o.arena_id}, frozenset({"arena"})),
    "finance.BudgetLine": (lambda o: _arena_of_budget(o.budget_id), frozenset({"budget"})),
    "finance.InvoiceRun": (lambda o: {o.arena_id}, frozenset({"arena"})),
    # What was invoiced is read afresh on every computation, never cached with a split.
    "finance.Invoice": (_none, frozenset()),
    "finance.InvoiceLine": (_none, frozenset()),
    "finance.HostShareLine": (_none, frozenset()),
    # Read when invoices are made and approved, never by a split.
    "finance.InvoiceReference": (_none, frozenset()),
    "registry.LegalEntity": (_none, frozenset()),
}


def split_scope(obj: Model, changed: Collection[str] | None = None) -> Scope:
    """The arenas whose splits a change to `obj` may alter, or SHARED. `changed`: the fields
    an update wrote (names or attnames); None for a record created or deleted as it is."""
    meta = obj._meta
    if meta.app_label not in SPLIT_APPS:
        return set()
    rule = SPLIT_INPUTS.get(meta.label)
    if rule is None:
        return SHARED  # not described: correct beats fast
    arenas_of, moving = rule
    if changed is not None:
        names = {name.removesuffix("_id") for name in changed}
        if names & moving:
            return SHARED
    return arenas_of(obj)


def record_change(obj: Model, changed: Collection[str] | None = None) -> None:
    """Raise the data version for a change to `obj`, and the split stamps it feeds."""
    scope = split_scope(obj, changed)
    if scope is SHARED:
        bump()
    else:
        bump(arenas=scope)


# Caching -----------------------------------------------------------------------------------


def _name(key: str, version: int, parts: tuple[Any, ...]) -> str:
    described = repr((get_language() or "", *parts)).encode()
    return f"agg:{key}:{version}:{hashlib.sha256(described).hexdigest()}"


def cached_aggregate(key: str, compute: Callable[[], T], *parts: Any) -> T:
    """`compute()` cached under `key`, `parts` (what the result depends on besides the data:
    visibility, filters, the date) and the language (results hold translated labels)."""
    name = _name(key, current_version(), parts)
    found: T | None = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, TIMEOUT)
    return found


def cached_part(
    key: str, compute_all: Callable[[], dict[Any, T]], part: Any, default: T, *parts: Any
) -> T:
    """One part of a result that is computed whole but read a part at a time (what a
    municipality pays: the sums, or one year's rows): a miss computes the whole and caches
    every part apart, so a read unpacks only its part. `default` for a part not in it."""
    version = current_version()
    found: T | None = cache.get(_name(key, version, (*parts, part)))
    if found is None:
        whole = compute_all()
        cache.set_many({_name(key, version, (*parts, p)): v for p, v in whole.items()}, TIMEOUT)
        found = whole.get(part, default)
    return found


def cached_count(queryset: QuerySet[Any]) -> int:
    """`queryset.count()` cached per data version: a paged list of thousands of rows is
    cut by an index, but counting them reads every one. Keyed on the query's SQL, which
    holds its filters and the user's visibility."""
    return cached_aggregate("count", queryset.count, str(queryset.query))


def _saved(sender: Any, instance: Model, created: bool = False, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata; an import bumps once at its end
    fields = kwargs.get("update_fields")
    if created:
        record_change(instance)
    else:  # without update_fields, any field may have changed
        record_change(instance, fields or [f.name for f in instance._meta.concrete_fields])


def _deleted(sender: Any, instance: Model, **kwargs: Any) -> None:
    record_change(instance)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for model in apps.get_models():
        if model._meta.app_label in DOMAIN_APPS:
            label = model._meta.label
            post_save.connect(_saved, sender=model, dispatch_uid=f"stamp-save-{label}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"stamp-delete-{label}")
