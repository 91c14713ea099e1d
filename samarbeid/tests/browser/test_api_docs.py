"""The API's interactive docs (/api/v1/docs) render the document: a developer at a
municipality browses the operations there. Swagger refuses a document with a key twice
("Parser error … duplicated mapping key") and then shows no operation at all."""

from __future__ import annotations

from typing import Any


def test_the_docs_show_the_meetings_operations(page: Any) -> None:
    page.goto("/api/v1/docs")
    notice = page.locator(".opblock-summary-path", has_text="/api/v1/meetings/{meeting_id}/notice")
    notice.first.wait_for(timeout=15_000)
    text = page.locator("body").inner_text()
    assert "Parser error" not in text
    assert "Unable to render" not in text
    assert page.locator(".opblock").count() > 100
