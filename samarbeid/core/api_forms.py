"""The API on the page's forms: one set of rules, two front ends.

A write endpoint fills the same form the page uses from its JSON payload (`bind`), so every
field rule and message is the page's; `valid` turns the form's errors into a ValidationError
by field, which the API answers as 422 problem+json naming the fields. Then the endpoint
calls the same service the page calls (rights, transaction, audit, version).

`core.records.record_for` finds a record for a user the one way both front ends need: 404
for what they may not see, 403 for what they may see but not change. An endpoint is then its
parts:

    proposal = record_for(request.user, visible, proposal_id, may_change=may_change)
    form = bind(ProposalForm, payload.dict(exclude_unset=True), instance=proposal)
    return api_update(request, form, update_proposal, version=payload.version)

`api_create` and `api_update` are the page's save step (`core.forms.form_page`) for the API:
validate the form (422 by field), call the service as the caller (channel API); the
service's refusals are the API's 403/409/422.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Router

from samarbeid.audit.models import Channel

if TYPE_CHECKING:
    from samarbeid.core.forms import VersionedForm

F = TypeVar("F", bound=forms.BaseForm)
M = TypeVar("M", bound=models.Model)


def _form_value(value: Any) -> Any:
    """An API value as form data: enums by value, booleans and dates as they are (the form
    fields take them), None as empty."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_form_value(v) for v in value]
    if value is None:
        return ""
    return value


def bind(
    form_class: type[F],
    payload: Mapping[str, Any],
    *,
    instance: models.Model | None = None,
    **form_kwargs: Any,
) -> F:
    """The page's form filled from an API payload (field names are the form's; references are
    ids; dates ISO or `date`). For an edit (`instance`), what the payload leaves out keeps the
    stored value, so a PATCH sends only what changes."""
    data: dict[str, Any] = {}
    if instance is not None:
        meta = getattr(form_class, "_meta", None)
        fields = getattr(meta, "fields", None)
        stored = model_to_dict(instance, fields=fields)
        data.update({name: _form_value(value) for name, value in stored.items()})
    data.update({name: _form_value(value) for name, value in payload.items()})
    if instance is not None:
        form_kwargs["instance"] = instance
    return form_class(data=data, **form_kwargs)


def valid(form: F) -> F:
    """The form, validated; its errors raised as one ValidationError by field (422)."""
    if not form.is_valid():
        errors: dict[str, list[str]] = {}
        for field, messages in form.errors.items():
            errors[field] = [str(m) for m in messages]
        raise ValidationError(errors)
    return form


def errors_by_field(exc: ValidationError) -> list[dict[str, Any]]:
    """A ValidationError as problem+json `errors`: `loc` names the field (empty for the
    record as a whole)."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": [] if field == NON_FIELD_ERRORS else [field], "msg": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"loc": [], "msg": str(message)} for message in exc.messages]


def api_create(
    request: HttpRequest,
    form: forms.ModelForm[Any],
    create: Callable[..., Any],
    **parts: Any,
) -> Any:
    """The page's create step through the API: `form` bound to the payload (`bind`) is
    validated (422 by field); its record, with `parts` set on it (the record it belongs
    to), goes to the service `create(record, actor=, channel=API)`. Returns the record."""
    record = valid(form).save(commit=False)
    for name, value in parts.items():
        setattr(record, name, value)
    create(record, actor=request.user, channel=Channel.API)
    return record


def api_update(
    request: HttpRequest,
    form: forms.ModelForm[Any],
    update: Callable[..., Any],
    *,
    version: int,
    only: Iterable[str] | None = None,
) -> Any:
    """The page's edit step through the API: `form` bound to the payload with the stored
    record (`bind(..., instance=record)`, not yet validated: validating writes the payload
    into the instance, so the record as stored is copied first) is validated (422 by
    field), and the service `update(record, changes, expected_version=version, actor=,
    channel=API)` changes it. The changes are the form's (`VersionedForm.changes`), or with
    `only` the validated values of those fields (a PATCH's fields sent; never the version).
    Returns the record as saved."""
    stored = copy.copy(form.instance)
    cleaned = valid(form).cleaned_data
    if only is None:
        changes = cast("VersionedForm", form).changes()
    else:
        changes = {n: cleaned[n] for n in only if n in cleaned and n != "version"}
    update(stored, changes, expected_version=version, actor=request.user, channel=Channel.API)
    return stored


def one_router(tag: str, parts: Iterable[ModuleType], *, named_as: str) -> Router:
    """An app's API as one router (tag `tag`) built from its modules' routers (`part.router`,
    one module per aggregate). Each operation keeps the OpenAPI id it had when the API was
    the one module `named_as` (ninja names an operation after its module), so clients
    generated from the document keep their names."""
    router = Router(tags=[tag])
    prefix = named_as.replace(".", "_")
    for part in parts:
        part_router: Router = part.router
        router.add_router("", part_router)
        for path_view in part_router.path_operations.values():
            for operation in path_view.operations:
                if operation.operation_id is None:
                    operation.operation_id = f"{prefix}_{operation.view_func.__name__}"
    return router
