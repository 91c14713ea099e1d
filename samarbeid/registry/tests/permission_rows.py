"""Permission-matrix rows for the register: population figures (see samarbeid/tests/matrix.py).
Larvik's coordinator keeps Larvik's population; Horten's may not."""

from __future__ import annotations

from typing import Any

from samarbeid.tests.matrix import ApiRow, World, row

POPULATION = "/api/v1/municipalities/{number}/population/{year}"


def _put(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/municipalities/3909/population/2024", {"count": 47001}


def _delete(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/municipalities/3909/population/2024", {}


# population figures: the coordinator or a secretariat for every arena (not of one arena)
API_ROWS = [
    ApiRow("PUT", POPULATION, row(secretariat=200, arena_secretariat=403, coordinator=200), _put),
    ApiRow(
        "DELETE", POPULATION, row(secretariat=204, arena_secretariat=403, coordinator=204), _delete
    ),
]

API_TAGS = {"municipalities"}
NAMESPACES = {"registry"}
READ_ONLY_PAGES = {"registry:municipality_list", "registry:municipality_detail"}
