"""Aggregates cached until the data changes, and budget splits cached until their inputs do.

Overview pages count over every project, participation and membership in the country;
those counts grow with the data, the page should not. `cached_aggregate` keeps such a
result in Django's cache under the current data version (`DataStamp.version`). Reading the
version is one query; a change anywhere makes every cached aggregate recompute on its next
use.

Who raises the stamps: the write path. `core.services.create_record`, `update_record` and
`delete_record` (and `save_versioned`) raise them for the record they write; a bulk write
(an import, a command, the demo, scale seeding) runs inside `bulk_write(arenas=...)`,
which raises them once for the whole write. A save outside both (the admin, a test's
factory, a cascade of a delete) is still seen by the model signals that `register_feeds`
connects, so nothing cached goes stale; inside the write path they stand aside.

What feeds the cached figures is told by each app, from its AppConfig.ready(), with
`register_feeds(self)`: its records raise the data version. Core names no domain.

Splitting budgets is the one computation too heavy to redo after every change (what a
municipality pays splits every budget of every arena it sits in), so a budget's split is
cached under finer stamps (`split_versions`, used by finance.planning.planned_shares):

* the arena stamp (`ArenaStamp`, one per arena): raised by a change to a record that feeds
  the splits of that arena's budgets;
* the shared stamp (`DataStamp.shared`): raised by a change to what feeds splits in every
  arena (the municipality register, mergers and successions, population figures), by a
  change that moves a record from one arena's inputs to another's or that cannot be placed,
  and by every bulk write that does not name its arenas.

`SPLIT_INPUTS` says which records raise which stamp: the app that computes the splits
(finance) registers it with `register_feeds(..., splits=...)`. A record of an app holding
split inputs that is not described raises the shared stamp (correct beats fast).

"Raising" a version sets it to a new random number, not the next one: a version counted up
in a transaction that is then rolled back would be counted up to the same number again by
the next change, and a result cached meanwhile from the rolled-back data would then be
served as current.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import AppConfig
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

T = TypeVar("T")

TIMEOUT = 600  # versions invalidate; the timeout bounds staleness from a write path missed
# Splits are keyed on exactly the stamps of their inputs, and expire only as a bound on a
# missed write path: kept longer than the aggregates, so that the aggregate built on them
# (recomputed every TIMEOUT) does not split the whole country again each time.
SPLIT_TIMEOUT = 6 * 3600


def current_version() -> int:
    # Every app's AppConfig imports this module (register_feeds), before models are ready.
    from samarbeid.core.models import DataStamp

    _flush()  # a read inside a bulk write sees what it wrote
    memo = _MEMO.get() if _PENDING.get() is None else None
    if memo is not None and memo.version is not None:
        return memo.version
    row = DataStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    version = int(row or 0)
    if memo is not None and not memo.wrote:
        memo.version = version
    return version


def split_versions(arena_ids: Iterable[int]) -> tuple[int, dict[int, int]]:
    """The shared stamp and each arena's stamp (0 if it never changed): two queries."""
    from samarbeid.core.models import ArenaStamp, DataStamp  # on use: see current_version

    _flush()
    shared = DataStamp.objects.filter(pk=1).values_list("shared", flat=True).first()
    ids = set(arena_ids)
    found = dict(ArenaStamp.objects.filter(arena__in=ids).values_list("arena", "version"))
    return int(shared or 0), {pk: int(found.get(pk, 0)) for pk in ids}


@dataclass
class _Memo:
    version: int | None = None
    wrote: bool = False  # a write may yet roll back: from then on the version is read each use


# The data version of a read kept for its length (`version_per_request`), or None: read at
# each use.
_MEMO: contextvars.ContextVar[_Memo | None] = contextvars.ContextVar("stamps_memo", default=None)


@contextlib.contextmanager
def version_per_request() -> Iterator[None]:
    """A read (a request; inside one, the part that keeps its own) asks for the data version
    at most once, when it first needs it: the header's parts and the page's figures each key
    their caches on it. After a write inside, it is read at each use again: the write's
    transaction may roll back, and a figure cached under its version must not be read after
    that. Inside a bulk write it is read at each use (`current_version`)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set(_Memo())
    try:
        yield
    finally:
        _MEMO.reset(token)


@contextlib.contextmanager
def read_once() -> Iterator[int]:
    """A read keyed on the data version (a public page, whose figures are keyed on it too):
    the version it keys on, read once for the whole read (`version_per_request`)."""
    with version_per_request():
        yield current_version()


def _fresh() -> int:
    """A new version: random, never 0 (no stamp yet), within a positive 64-bit integer."""
    return secrets.randbits(62) + 1


def _raise_data(*, shared: bool) -> None:
    from samarbeid.core.models import DataStamp  # on use: see current_version

    memo = _MEMO.get()  # a write inside a read: the version is read afresh after it
    if memo is not None:
        memo.version, memo.wrote = None, True
    values: dict[str, Any] = {"version": _fresh()}
    if shared:
        values["shared"] = _fresh()
    if not DataStamp.objects.filter(pk=1).update(**values):
        # The first change ever: make the row (keeping one made meanwhile), then raise it.
        DataStamp.objects.bulk_create([DataStamp(pk=1)], ignore_conflicts=True)
        DataStamp.objects.filter(pk=1).update(**values)


def _raise_arenas(arena_ids: Iterable[int]) -> None:
    from samarbeid.core.models import ArenaStamp  # on use: see current_version

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


SHARED = None  # a scope: every arena's splits (the shared stamp)
Scope = set[int] | None  # arena ids, or SHARED
# How a record feeds splits: the arenas whose splits it feeds (or SHARED), and the fields
# that move it from one arena's inputs to another's (an update of one raises SHARED).
SplitRule = tuple[Callable[[Any], Scope], frozenset[str]]


@dataclass
class _Pending:
    """What a bulk write has changed so far: raised once, at its end or at a read."""

    shared: bool = False
    arenas: set[int] = field(default_factory=set)
    changed: bool = False

    def add(self, scope: Scope) -> None:
        self.changed = True
        if scope is SHARED:
            self.shared = True
        else:
            self.arenas |= scope


_PENDING: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar(
    "stamps_pending", default=None
)
# The record the write path is saving or deleting: the write path raises its stamps itself
# (knowing the fields it changed), so the model signal stands aside for it.
_OWNED: contextvars.ContextVar[Model | None] = contextvars.ContextVar("stamps_owned", default=None)


def _raise_now(scope: Scope) -> None:
    if scope is SHARED:
        _raise_data(shared=True)
    else:
        _raise_data(shared=False)
        _raise_arenas(scope)


def _raise(scope: Scope) -> None:
    pending = _PENDING.get()
    if pending is None:
        _raise_now(scope)
    else:
        pending.add(scope)


def _flush() -> None:
    pending = _PENDING.get()
    if pending is None or not pending.changed:
        return
    _raise_now(SHARED if pending.shared else pending.arenas)
    pending.shared, pending.arenas, pending.changed = False, set(), False


def bump(*, arenas: Iterable[int] | None = None) -> None:
    """Record that domain data changed. `arenas`: only records of these arenas (see
    SPLIT_INPUTS), so only their budgets' splits are computed again; None: anything may
    have changed, every split too. Code outside core writes in bulk with `bulk_write`."""
    _raise(SHARED if arenas is None else set(arenas))


@contextlib.contextmanager
def bulk_write(*, arenas: Iterable[int] | None = None) -> Iterator[None]:
    """A bulk write (bulk_create, queryset updates, many records through the services):
    the stamps are raised once, at the end, for what it changed. `arenas`: the arenas whose
    split inputs the bulk writes inside (which the write path does not see) touched; None:
    anything. A read of a stamp inside (a cached figure, a split) first raises what the
    write path has written so far, so it sees that; what queryset writes change is seen
    after the block. Nested blocks raise with the outer."""
    declared: Scope = SHARED if arenas is None else set(arenas)
    outer = _PENDING.get()
    if outer is not None:
        yield
        outer.add(declared)
        return
    pending = _Pending()
    pending.add(declared)
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        _PENDING.reset(token)
        if not transaction.get_connection().needs_rollback:
            pending.add(declared)
            _raise_now(SHARED if pending.shared else pending.arenas)
        raise
    _PENDING.reset(token)
    pending.add(declared)  # again: raw writes after a read inside are not seen by the read
    _raise_now(SHARED if pending.shared else pending.arenas)


# Which stamps a change raises ----------------------------------------------------------------


def every_arena(_obj: Any) -> Scope:
    """A split rule: the record feeds the splits of every arena (the shared stamp)."""
    return SHARED


def no_arena(_obj: Any) -> Scope:
    """A split rule: the record feeds no split (it raises the data version only)."""
    return set()


# Filled by the apps' AppConfig.ready() through register_feeds.
FEEDING_APPS: set[str] = set()  # apps whose records feed cached figures
SPLIT_INPUTS: dict[str, SplitRule] = {}  # model label → how it feeds budget splits
SPLIT_APPS: set[str] = set()  # apps holding split inputs


def register_feeds(app: AppConfig, *, splits: Mapping[str, SplitRule] | None = None) -> None:
    """`app`'s records feed cached figures: a change to one raises the data version.
    `splits`: the records, of any app, that the splits `app` caches read, and which stamps
    they raise (every model such a record's app has must then be described: an undescribed
    one raises the shared stamp). Call from the app's AppConfig.ready()."""
    FEEDING_APPS.add(app.label)
    for model in app.get_models():
        label = model._meta.label
        post_save.connect(_saved, sender=model, dispatch_uid=f"stamp-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"stamp-delete-{label}")
    for label, rule in (splits or {}).items():
        SPLIT_INPUTS[label] = rule
        SPLIT_APPS.add(label.split(".")[0])


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


def feeds(obj: Model) -> bool:
    """Whether a change to `obj` feeds cached figures (its app registered)."""
    return obj._meta.app_label in FEEDING_APPS


def record_change(obj: Model, changed: Collection[str] | None = None) -> None:
    """Raise the data version for a change to `obj`, and the split stamps it feeds. For a
    record that is deleted, call `record_scope` with the scope taken before."""
    if feeds(obj):
        _raise(split_scope(obj, changed))


def record_scope(scope: Scope) -> None:
    """Raise the stamps of a scope `split_scope` gave (a deleted record's, taken before)."""
    _raise(scope)


@contextlib.contextmanager
def owned(obj: Model) -> Iterator[None]:
    """The write path saves or deletes `obj` inside and raises its stamps itself: the model
    signal stands aside for `obj` (not for records a delete cascades to)."""
    token = _OWNED.set(obj)
    try:
        yield
    finally:
        _OWNED.reset(token)


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
    if kwargs.get("raw") or instance is _OWNED.get():
        return  # loaddata (an import raises once at its end); the write path's own record
    fields = kwargs.get("update_fields")
    if created:
        record_change(instance)
    else:  # without update_fields, any field may have changed
        record_change(instance, fields or [f.name for f in instance._meta.concrete_fields])


def _deleted(sender: Any, instance: Model, **kwargs: Any) -> None:
    if instance is not _OWNED.get():
        record_change(instance)
