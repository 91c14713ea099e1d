"""Schemas shared by several app APIs."""

from decimal import Decimal

from ninja import Field, Schema


class Problem(Schema):
    """An error, as application/problem+json (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class VersionIn(Schema):
    """The body of an action that takes nothing but the version read (required: without it
    the action would go ahead over whatever someone else saved)."""

    version: int = Field(ge=1, description="The version read; a newer stored version answers 409")


# The errors a write operation declares (so the OpenAPI document, which schemathesis checks,
# lists them): no token, not allowed, not found, a newer version stored, invalid input.
WRITE_ERRORS: dict[int, type[Problem]] = {
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
}


def money(value: Decimal | None) -> str | None:
    """An amount in NOK as the API writes it: a string with two decimals (exact, no float)."""
    return None if value is None else f"{value:.2f}"
