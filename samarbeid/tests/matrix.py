"""The permission matrix's rows, contributed by each domain.

Each app that has write operations or form pages keeps a module
`samarbeid/<app>/tests/permission_rows.py` with

* `API_ROWS`: one `ApiRow` per write operation of the API (method, path as in the OpenAPI
  document, the exact status per persona, and a function that builds the URL and a valid
  JSON body from the `World`, creating what records it needs);
* `FORM_ROWS`: one `FormRow` per form page (URL name, status of a valid POST per persona,
  and a function that builds the URL and the form data);
* `API_TAGS` and `NAMESPACES`: the OpenAPI tags and URL namespaces it answers for;
* `READ_ONLY_PAGES`: the pages of those namespaces that take no POST.

`samarbeid/tests/test_permission_matrix.py` runs every row for every persona and checks
that every write operation and every form page of every app has a row.

Personas (see conftest.py): the secretariat (for every arena), the secretariat of one arena
only (`arena_secretariat`: the secretariat of `world.arena` and its sub-arenas), the
coordinator of Larvik (3909), the coordinator of Horten (3901), a reader and the public. A
row's builder makes records that belong to Larvik and to `world.arena`, so that "the
coordinator may, the other coordinator may not" shows.

The one-arena secretariat gets what the secretariat gets unless the row names it: rows build
on `world.arena`, which it runs. Rows for what only a secretariat for every arena may do, and
rows that link a record to one of another arena (`world.other_arena()`, where the one-arena
secretariat has no rights), name it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

PERSONAS = [
    "secretariat",
    "arena_secretariat",
    "coordinator",
    "other_coordinator",
    "reader",
    "public",
]

# The status every persona gets unless a row allows more: 403, and 401 for the public.
ALL_BUT: dict[str, int] = dict.fromkeys(PERSONAS, 403) | {"public": 401}
# Forms: the public is sent to the log-in page (302 with /logg-inn/ in Location).
FORM_ALL_BUT: dict[str, int] = dict.fromkeys(PERSONAS, 403) | {"public": 302}


def _with_arena_secretariat(allowed: dict[str, int]) -> dict[str, int]:
    if "secretariat" in allowed and "arena_secretariat" not in allowed:
        return allowed | {"arena_secretariat": allowed["secretariat"]}
    return allowed


def row(**allowed: int) -> dict[str, int]:
    """An API row: 403 for everyone (401 for the public) except the personas named (the
    one-arena secretariat as the secretariat, unless named)."""
    return ALL_BUT | _with_arena_secretariat(allowed)


def form_row(**allowed: int) -> dict[str, int]:
    """A form row: 403 for everyone (log-in redirect for the public) except those named
    (the one-arena secretariat as the secretariat, unless named)."""
    return FORM_ALL_BUT | _with_arena_secretariat(allowed)


@dataclass
class World:
    """What every row can build on: the personas and one arena with Larvik as member."""

    users: dict[str, Any]
    tokens: dict[str, str]
    larvik: Any
    horten: Any
    arena: Any
    membership: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def other_arena(self) -> Any:
        """Another arena ("12K"), with Larvik as member, outside the one-arena secretariat's
        rights: what a row links to when it tries to reach across arenas."""
        if "other_arena" not in self.extra:
            from samarbeid.arenas.tests.factories import MembershipFactory

            membership = MembershipFactory(
                municipality=self.larvik, arena__name="Tolvkommune", arena__short_name="12K"
            )
            self.extra["other_arena"] = membership.arena
        return self.extra["other_arena"]


Builder = Callable[[World], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class ApiRow:
    method: str
    path: str
    expected: dict[str, int]
    build: Builder
    # False for the few POSTs that compute without saving (an allocation preview)
    writes: bool = True
    # True for an upload sent as multipart/form-data (the body's values, files among them)
    multipart: bool = False


@dataclass(frozen=True)
class FormRow:
    name: str
    expected: dict[str, int]
    build: Builder
    # False for forms whose success writes no domain record (a personal API token)
    writes: bool = True
    # Personas who may open the form (GET 200) though the row's post is not theirs to make
    # (Horten's coordinator opens the participation form for Horten; Larvik's is refused)
    opens: frozenset[str] = frozenset()
    # The exact status of a GET of the form's URL for every persona, where the row pins it
    # (a confirmation page the POST's URL also shows: 200 for who may confirm, the
    # refusal for the rest, the log-in redirect for the public)
    gets: dict[str, int] | None = None


# --- Rows of a write to one stored record ------------------------------------------------------
# Most rows change or delete one record that a maker (`_case(world)`) builds, sending the
# version they read: the row names the maker and the rest of the body, the builder is made
# here once.

Maker = Callable[[World], Any]

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _fill(path: str, record: Any) -> str:
    """The OpenAPI `path` with its last `{…_id}` the record's id and any before it the
    record's own field of that name (`/strategic-plans/{plan_id}/items/{item_id}`: the
    item's `plan_id`, then its id)."""
    names = _PLACEHOLDER.findall(path)
    assert names, f"{path}: a row of one record needs an id in its path"
    for name in names[:-1]:
        path = path.replace(name, str(getattr(record, name[1:-1])), 1)
    return path.replace(names[-1], str(record.pk), 1)


def versioned_row(
    method: str, path: str, expected: dict[str, int], make: Maker, /, **body: Any
) -> ApiRow:
    """An API write (PATCH, or a POST action) to the record `make` builds, at `path` (its
    id filled in), with the version it read and `body`."""

    def build(world: World) -> tuple[str, dict[str, Any]]:
        record = make(world)
        return _fill(path, record), {"version": record.version, **body}

    return ApiRow(method, path, expected, build)


def delete_row(path: str, expected: dict[str, int], make: Maker) -> ApiRow:
    """An API DELETE of the record `make` builds, with `?version=` the version it read."""

    def build(world: World) -> tuple[str, dict[str, Any]]:
        record = make(world)
        return f"{_fill(path, record)}?version={record.version}", {}

    return ApiRow("DELETE", path, expected, build)


def post_row(path: str, expected: dict[str, int], make: Maker, /, **body: Any) -> ApiRow:
    """An API POST under the record `make` builds (a plan's goals, a project's results), at
    `path` (its id filled in), with `body`."""

    def build(world: World) -> tuple[str, dict[str, Any]]:
        return _fill(path, make(world)), dict(body)

    return ApiRow("POST", path, expected, build)


def form_on(name: str, expected: dict[str, int], make: Maker, /, **data: Any) -> FormRow:
    """A form page under the record `make` builds (the URL name takes its id), posting
    `data`."""

    def build(world: World) -> tuple[str, dict[str, Any]]:
        return reverse(name, args=[make(world).pk]), dict(data)

    return FormRow(name, expected, build)


def the_arena(world: World) -> Any:
    """`world.arena`, as a maker for rows under the arena."""
    return world.arena


def versioned_form(name: str, expected: dict[str, int], make: Maker, /, **data: Any) -> FormRow:
    """A form page of the record `make` builds (the URL name takes its id), posting the
    version it read and `data`."""

    def build(world: World) -> tuple[str, dict[str, Any]]:
        record = make(world)
        return reverse(name, args=[record.pk]), {"version": record.version, **data}

    return FormRow(name, expected, build)


def _modules() -> list[Any]:
    found = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("samarbeid."):
            continue
        try:
            found.append(importlib.import_module(f"{app}.tests.permission_rows"))
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{app}.tests", f"{app}.tests.permission_rows"):
                raise
    return found


def api_rows() -> list[ApiRow]:
    return [r for module in _modules() for r in getattr(module, "API_ROWS", [])]


def form_rows() -> list[FormRow]:
    return [r for module in _modules() for r in getattr(module, "FORM_ROWS", [])]


def coverage() -> tuple[set[str], set[str], set[str]]:
    """The API tags and URL namespaces whose every write/page must have a row, and the
    pages declared read-only."""
    tags: set[str] = set()
    namespaces: set[str] = set()
    read_only: set[str] = set()
    for module in _modules():
        tags |= set(getattr(module, "API_TAGS", ()))
        namespaces |= set(getattr(module, "NAMESPACES", ()))
        read_only |= set(getattr(module, "READ_ONLY_PAGES", ()))
    return tags, namespaces, read_only


# Apps whose rows are still being written (the matrix's invariants cover them meanwhile).
NOT_YET_COVERED: set[str] = set()
