"""The arenas API is a package of parts (issue 18): one router, the same paths and the same
operation ids as when it was one module."""

from __future__ import annotations

from samarbeid.api import api

ARENA_OPERATIONS = {
    "list_arenas",
    "get_arena",
    "create_arena_api",
    "update_arena_api",
    "get_membership",
    "create_membership_api",
    "update_membership_api",
    "delete_membership_api",
    "successions_api",
}


def test_the_operation_ids_and_paths_are_kept_across_the_parts() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if operation["operationId"].startswith("samarbeid_arenas_api_")
    }
    assert {o["operationId"] for o in operations.values()} == {
        f"samarbeid_arenas_api_{name}" for name in ARENA_OPERATIONS
    }
    assert set(operations) == {
        ("/api/v1/arenas", "get"),
        ("/api/v1/arenas", "post"),
        ("/api/v1/arenas/{arena_id}", "get"),
        ("/api/v1/arenas/{arena_id}", "patch"),
        ("/api/v1/memberships/{membership_id}", "get"),
        ("/api/v1/memberships/{membership_id}", "patch"),
        ("/api/v1/memberships/{membership_id}", "delete"),
        ("/api/v1/arenas/{arena_id}/memberships", "post"),
        ("/api/v1/arenas/{arena_id}/successions", "post"),
    }
    assert all(o["tags"] == ["arenas"] for o in operations.values())
