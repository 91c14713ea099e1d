"""Schemas shared by several app APIs."""

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from django.apps import apps
from django.db import models
from ninja import Field, Query, Schema
from pydantic import AliasChoices, BeforeValidator

from samarbeid.core.api_messages import MONEY_PATTERN
from samarbeid.lib.money import parse_amount


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


# The `?version=` a DELETE must carry: the version the user read. Without it a user would
# delete what someone else saved since, unseen.
DeleteVersion = Annotated[
    int,
    Query(
        ...,
        ge=1,
        description="The version read (required); a newer stored version answers 409 and "
        "nothing is deleted",
    ),
]


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


def _decimals(places: int) -> Any:
    def written(value: Any) -> Any:
        return None if value is None else f"{Decimal(value):.{places}f}"

    return BeforeValidator(written)


# An output field that reads a model's Decimal (an amount, a weight) and writes it as the API
# does: a string with two decimals ("1234.50"); `Percent4` with four (a negotiated share).
MoneyOut = Annotated[str, _decimals(2)]
Percent4Out = Annotated[str, _decimals(4)]


def _as_typed_on_the_page(value: object) -> object:
    """An amount written as the page takes it ("1 000 000,50", "12,5") as the API's
    "1000000.50"; anything else is left for the pattern to refuse in the page's words."""
    if isinstance(value, str):
        try:
            return str(parse_amount(value))
        except ValueError:
            return value
    return value


# An input field for an amount in NOK: a string, at most two decimals, written with a point
# ("1000000.50") or as on the page ("1 000 000,50"), read the same by every API (finance,
# strategy). A minus sign reaches the form and the service, which say why a negative amount
# is refused; the form (core.forms.AmountField) reads the string as the page's field does.
MoneyIn = Annotated[
    str,
    BeforeValidator(_as_typed_on_the_page),
    Field(
        pattern=MONEY_PATTERN,
        examples=["1000000.00"],
        description="NOK: 1000000.50, or as on the page, 1 000 000,50",
    ),
]


def _number(value: Any) -> Any:
    return getattr(value, "number", value)


# An output field that reads a municipality (a register record) and writes its number
# ("3909"); `MunicipalityNumber | None` for a foreign key that may be empty.
MunicipalityNumber = Annotated[str, BeforeValidator(_number)]


def flat_columns(prefix: str, schema: type[Schema]) -> Callable[[Any], dict[str, Any]]:
    """A resolver for a nested output object the record keeps as flat columns: each field of
    `schema` read from the record's `<prefix>_<field>` (an invoice's `buyer_street`,
    `buyer_city`, … as its `buyer_address`)."""

    def read(record: Any) -> dict[str, Any]:
        return {name: getattr(record, f"{prefix}_{name}") for name in schema.model_fields}

    return read


def ref(field: str) -> Any:
    """An output field holding the id of the record's foreign key `field`, read from
    `<field>_id` (no query for the related record); the JSON names it `field`."""
    return Field(validation_alias=AliasChoices(f"{field}_id", field))


def name_choices_for_the_api() -> None:
    """Give each model's choices its own name in the OpenAPI document.

    pydantic names an enum's schema component by its class name, and ninja puts every
    operation's components into one document, the last one of a name winning. Many models
    have choices called `Kind` or `Status`, so `Arena.Kind` and a workshop question's `Kind`
    became one component with the question's values. Here each choices class nested in a
    model is named after both: `ArenaKind`, `ProjectStatus`. Called from the core app's
    ready(), before any API schema is built.
    """

    for model in apps.get_models():
        if not model.__module__.startswith("samarbeid."):
            continue
        for klass in model.__mro__:
            if not klass.__module__.startswith("samarbeid."):
                continue
            for attribute in vars(klass).values():
                if (
                    isinstance(attribute, type)
                    and issubclass(attribute, models.Choices)
                    and "__get_pydantic_core_schema__" not in vars(attribute)
                ):
                    _name_choices(attribute, f"{klass.__name__}{attribute.__name__}")


def _name_choices(choices: type, name: str) -> None:
    def core_schema(cls: type, source: Any, handler: Any) -> Any:
        schema = handler(source)
        if schema.get("type") == "enum":
            schema["ref"] = f"{cls.__module__}.{name}:{id(cls)}"
        return schema

    def json_schema(cls: type, schema: Any, handler: Any) -> Any:
        result = handler(schema)
        handler.resolve_ref_schema(result)["title"] = name
        return result

    setattr(choices, "__get_pydantic_core_schema__", classmethod(core_schema))  # noqa: B010
    setattr(choices, "__get_pydantic_json_schema__", classmethod(json_schema))  # noqa: B010
