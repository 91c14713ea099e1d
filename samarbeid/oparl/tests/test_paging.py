"""OParl's list paging, for any length and page size: following `next` from the first
page visits every object exactly once, in order, and the pagination object agrees."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.oparl.paging import PAGE_SIZE, paged


def fetch(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    request = RequestFactory().get(parts.path, params)
    return dict(json.loads(paged(request, ROWS, lambda row: row, DELETED).content))


ROWS: list[dict[str, Any]] = []
DELETED: list[dict[str, Any]] = []


@settings(max_examples=80, deadline=None)
@given(
    live=st.integers(min_value=0, max_value=230),
    deleted=st.integers(min_value=0, max_value=30),
    limit=st.integers(min_value=1, max_value=150),
)
def test_next_links_visit_every_object_once(live: int, deleted: int, limit: int) -> None:
    ROWS[:] = [{"id": f"live-{n}"} for n in range(live)]
    DELETED[:] = [{"id": f"gone-{n}", "deleted": True} for n in range(deleted)]
    page = fetch(f"http://testserver/oparl/v1/body/1/paper?limit={limit}&modified_since=x")
    size = min(limit, PAGE_SIZE)
    total_pages = max(1, -(-(live + deleted) // size))
    assert page["pagination"] == {
        "totalElements": live + deleted,
        "elementsPerPage": size,
        "currentPage": 1,
        "totalPages": total_pages,
    }
    seen = [row["id"] for row in page["data"]]
    visited = 1
    while "next" in page["links"]:
        assert "modified_since=x" in page["links"]["next"]  # the filters are kept
        page = fetch(page["links"]["next"])
        visited += 1
        assert page["pagination"]["currentPage"] == visited
        assert len(page["data"]) <= size
        seen += [row["id"] for row in page["data"]]
    assert visited == total_pages
    assert page["links"]["self"] == page["links"]["last"]
    assert seen == [row["id"] for row in ROWS + DELETED]
