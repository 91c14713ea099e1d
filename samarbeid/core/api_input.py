"""What the API accepts as a request body, strictly (issue 23, point 6).

- A body is JSON, sent as `application/json`: any other media type answers 415, so no body
  gets past the NUL guard (`samarbeid.core.nul`), which reads JSON bodies.
- The JSON holds no key twice (`{"a": 1, "a": 2}` is refused, not read as the last one).
- The JSON has the shapes the schema expects, without pydantic's lax conversions: a schema
  takes an object (not a bare string or a list), a date or time is ISO text (not `0`, which
  would be 01.01.1970), and a number or a true/false is not the other (`false` is not a
  weight of 0). These answer 422 naming the field, like every other invalid input.

ninja reads a body through the API's parser (its documented hook, `StrictJSONParser`) and
then validates it in its own `resolve`; it has no hook between the two. `harden_bodies` puts
the checks there: each body model's `get_request_data` reads through ninja's own and
checks what it read, and ninja's `resolve` does the rest unchanged.
"""

from __future__ import annotations

import datetime
import json
import types
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.params.models import BodyModel
from ninja.parser import Parser
from pydantic import BaseModel

JSON_MEDIA_TYPE = "application/json"


class UnsupportedMediaType(ValueError):
    pass


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


class StrictJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != JSON_MEDIA_TYPE:
            raise UnsupportedMediaType(request.content_type)
        return json.loads(request.body, object_pairs_hook=_no_duplicates)


def _problem(loc: list[str], message: str) -> dict[str, Any]:
    return {"loc": loc, "msg": message, "type": "strict_type"}


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def unknown_keys(
    value: dict[str, Any], model: type[BaseModel], loc: list[str]
) -> list[dict[str, Any]]:
    """Keys the schema does not have: a misspelt field is refused, never ignored (a credit
    note asked for with `{"amount": …}` instead of `lines` would otherwise credit it all)."""
    known = {field.alias or name for name, field in model.model_fields.items()}
    return [_problem([*loc, key], gettext("Ukjent felt.")) for key in value if key not in known]


def type_problems(value: Any, annotation: Any, loc: list[str]) -> list[dict[str, Any]]:
    """Where the JSON `value` has a type that pydantic would only convert laxly."""
    annotation = _unwrap(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        if value is None:
            return []
        options = [a for a in get_args(annotation) if a is not type(None)]
        return type_problems(value, options[0], loc) if len(options) == 1 else []
    if origin in (list, tuple, set, frozenset) and isinstance(value, list):
        args = get_args(annotation)
        if not args:
            return []
        return [
            problem
            for index, item in enumerate(value)
            for problem in type_problems(item, args[0], [*loc, str(index)])
        ]
    if not isinstance(annotation, type) or value is None:
        return []
    if issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return [_problem(loc, gettext("Skal være et JSON-objekt."))]
        problems = unknown_keys(value, annotation, loc)
        for name, field in annotation.model_fields.items():
            key = field.alias or name
            if key in value:
                problems.extend(type_problems(value[key], field.annotation, [*loc, key]))
        return problems
    if issubclass(annotation, datetime.date | datetime.time):
        if not isinstance(value, str):
            return [_problem(loc, gettext("Skal være en dato som tekst, f.eks. 2024-05-02."))]
        return []
    if issubclass(annotation, bool):
        if not isinstance(value, bool):
            return [_problem(loc, gettext("Skal være true eller false."))]
        return []
    if issubclass(annotation, int | float | Decimal) and isinstance(value, bool):
        return [_problem(loc, gettext("Skal være et tall, ikke true eller false."))]
    # A count or an id is a JSON number; only amounts (Decimal) are written as text, exact
    if issubclass(annotation, int | float) and isinstance(value, str):
        return [_problem(loc, gettext("Skal være et tall, ikke tekst."))]
    return []


# ninja's reading of a body (through the API's parser), as a function of the body model
_ninja_body_data: Callable[..., Any] = vars(BodyModel)["get_request_data"].__func__


def _strict_body_data(
    cls: type[BodyModel], request: HttpRequest, api: Any, path_params: Any
) -> Any:
    """The body's data for ninja's own `resolve` (which maps and validates it), read by our
    parser and checked for lax types first. ninja documents the parser as the hook for
    reading a body, and wraps whatever it raises into a 400 (`Cannot parse request body`):
    here that becomes 415 for a body that is not JSON, 422 for a key given twice."""
    try:
        data = _ninja_body_data(cls, request, api, path_params)
    except HttpError as exc:
        cause = exc.__cause__
        if isinstance(cause, UnsupportedMediaType):
            raise HttpError(415, gettext("Innholdet må være JSON (application/json).")) from cause
        if isinstance(cause, DuplicateKey):
            message = gettext("Nøkkelen «%(key)s» står mer enn én gang.") % {"key": cause}
            raise NinjaValidationError([_problem(["body"], message)]) from cause
        raise
    if isinstance(data, dict):
        problems = unknown_keys(data, cls, ["body"]) + [
            problem
            for name, field in cls.model_fields.items()
            if (field.alias or name) in data
            for problem in type_problems(
                data[field.alias or name], field.annotation, ["body", field.alias or name]
            )
        ]
        if problems:
            raise NinjaValidationError(problems)
    return data


def harden_bodies(routers: list[Router]) -> None:
    """Make every JSON body of these routers' operations (and their sub-routers') strict:
    ninja's `resolve` reads it through `_strict_body_data`."""
    for router in routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    if issubclass(model, BodyModel) and model.__ninja_param_source__ == "body":
                        model.get_request_data = classmethod(_strict_body_data)
        harden_bodies([child for _prefix, child, *_rest in router._routers])
