"""The body list's page as plain rows: a page is 100 bodies with their members (about 800
records at national scale), and reading them as model instances (a member's municipality
too) cost most of the endpoint's time. The rows carry what `BodyOut` and `BodyMemberOut`
answer, under their names and aliases, and those schemas take a row as it is
(`common.ReadsRows`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from django.db.models import QuerySet

from samarbeid.core.stamps import cached_count
from samarbeid.meetings.models import Body, BodyMember

BODY_COLUMNS = (
    "id",
    "version",
    "arena_id",
    "kind",
    "name",
    "description",
    "modified",
    "is_example_data",
)
MEMBER_COLUMNS = (
    "id",
    "version",
    "body_id",
    "person",
    "role",
    "valid_from",
    "valid_to",
    "modified",
    "is_example_data",
)

# the model's rule, read on a row (`_ends_on_row`): one rule of when a seat ends
_ends_on = cast(property, BodyMember.ends_on).fget


class BodyRows:
    """`bodies` (ordered) for `@paginate`: a slice reads the page's bodies and then their
    members with each one's municipality (two queries, as the prefetch took three); the
    total is counted once per data version (`core.stamps.cached_count`)."""

    def __init__(self, bodies: QuerySet[Body]) -> None:
        self.bodies = bodies

    def all(self) -> BodyRows:
        return self

    def count(self) -> int:
        return cached_count(self.bodies)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        rows = list(self.bodies.values(*BODY_COLUMNS)[index])
        members: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            row["members"] = members[row["id"]] = []
        seats = (
            BodyMember.objects.filter(body_id__in=members)
            .order_by("role", "person", "pk")  # within a body, as `BodyMember.Meta.ordering`
            .values(
                *MEMBER_COLUMNS, "municipality_id", "municipality__number", "municipality__valid_to"
            )
        )
        for seat in seats:
            seat["ends_on"] = _ends_on_row(seat)
            seat["municipality"] = seat.pop("municipality__number")
            del seat["municipality_id"], seat["municipality__valid_to"]
            members[seat["body_id"]].append(seat)
        return rows


def _ends_on_row(seat: dict[str, Any]) -> Any:
    """`BodyMember.ends_on` of a member's row (its `valid_to` and its municipality's)."""
    municipality = (
        SimpleNamespace(valid_to=seat["municipality__valid_to"])
        if seat["municipality_id"] is not None
        else None
    )
    assert _ends_on is not None
    return _ends_on(
        SimpleNamespace(
            valid_to=seat["valid_to"],
            municipality_id=seat["municipality_id"],
            municipality=municipality,
        )
    )
