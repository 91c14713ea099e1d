"""Schemas shared by several app APIs."""

from ninja import Schema


class Problem(Schema):
    """An error, as application/problem+json (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
