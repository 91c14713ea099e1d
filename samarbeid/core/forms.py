"""Form helpers shared by every app."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samarbeid.core.dates import date_in_range, plausible_kind
from samarbeid.core.edit_merge import merge_into
from samarbeid.core.linked_text import LinkedText
from samarbeid.core.versioning import VersionConflict
from samarbeid.lib.money import format_nok, parse_amount

SavedT = TypeVar("SavedT")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


_ENGLISH_GROUPS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d{1,2})?")


class AmountField(forms.CharField):
    """An amount in NOK (or a percentage) written the Norwegian way ("12 500,50", "33,5") or
    with a point, at most two decimals. A text field, not a number field: a browser's number
    field reads "12 500,50" as 1250050 and refuses "33,5". Takes a model DecimalField's place
    through a ModelForm's `field_classes` (its digit limits are the model's to check)."""

    default_message = _("Skriv beløpet som 1 000 000,50 (høyst to desimaler).")

    def __init__(self, *, message: Any = None, **kwargs: Any) -> None:
        for name in ("max_digits", "decimal_places", "min_value", "max_value", "step_size"):
            kwargs.pop(name, None)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)
        self.message = message or self.default_message

    def prepare_value(self, value: Any) -> Any:
        # A stored amount is shown as it is typed: "12 500,50"; so is one typed "12500.5"
        # when the form is shown again (an amount it cannot read stays as typed)
        if isinstance(value, str) and value.strip():
            try:
                value = self.to_python(value)
            except forms.ValidationError:
                return value
        if isinstance(value, Decimal):
            return self.shown(value)
        return value

    def shown(self, value: Decimal) -> str:
        return format_nok(value, "nb")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if translation.get_language() == "en" and _ENGLISH_GROUPS.fullmatch(text.strip()):
            # the English pages show "1,234.50": take it as shown (commas group thousands)
            text = text.replace(",", "")
        try:
            return parse_amount(text)
        except ValueError:
            raise forms.ValidationError(self.message) from None


class PercentField(AmountField):
    """A percentage the Norwegian way ("33,5")."""

    default_message = _("Skriv prosenten som 33,5 (høyst to desimaler).")

    def shown(self, value: Decimal) -> str:
        # "33,5", not "33,50": a weight reads as typed
        return f"{value.normalize():f}".replace(".", ",")


class NumberField(AmountField):
    """A measured value the Norwegian way ("1 234,5")."""

    default_message = _("Skriv tallet som 1 234,5 (høyst to desimaler).")


class TextareaField(forms.CharField):
    """A text written in a box (a saksframstilling, a decision). A browser posts each line
    break as CR LF: here it is one character, LF (so is a lone CR), before the length
    is counted, so a text of 20 000 characters with 200 line breaks is 20 000, not 20 198 (the
    model's validator then counts the same). Its limit is said the Norwegian way, «høyst
    20 000 tegn», and its box has no maxlength: a longer paste is told by the field's error,
    not cut by the browser without a word. Takes a model TextField's place through a
    ModelForm's `field_classes`."""

    too_long = _("Teksten kan være på høyst %(limit)s tegn (den har nå %(length)s).")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea)
        super().__init__(**kwargs)
        # the limit is checked by `validate`, in words of its own
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
        self.widget.attrs.pop("maxlength", None)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not isinstance(text, str):
            return text  # empty, as the field's empty value
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_length is not None and len(value) > self.max_length:
            raise forms.ValidationError(
                self.too_long,
                code="max_length",
                params={
                    "limit": number_format(self.max_length, force_grouping=True),
                    "length": number_format(len(value), force_grouping=True),
                },
            )


MISSING_VERSION = _(
    "Skjemaet mangler versjonen du startet fra. Last inn siden på nytt og gjør endringen igjen."
)


def version_field(*, required: bool = True) -> forms.IntegerField:
    """The hidden version an edit started from. Required: an edit without it would save over
    whatever someone else saved in the meantime."""
    return forms.IntegerField(
        label=_("Versjon"),
        widget=forms.HiddenInput,
        required=required,
        min_value=1,
        error_messages={"required": MISSING_VERSION},
    )


if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[Any]
else:  # generic only to the type checker
    _ModelForm = forms.ModelForm


class VersionedForm(_ModelForm):
    """Carries the version the edit started from, so a save over a newer version is caught.
    Editing a stored record requires it (a missing version is an error on the form)."""

    version = version_field(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = getattr(self.instance, "version", None)
        self.fields["version"].required = bool(self.instance.pk)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DATE_INPUT
            if isinstance(field.widget, forms.NumberInput) and isinstance(
                field, forms.IntegerField
            ):
                # a whole number as text: a browser's number box sends «1,5» as 15 and «abc»
                # as nothing, unsaid; typed as text, the field says what is wrong
                field.widget = forms.TextInput(attrs={"inputmode": "numeric"})
            if isinstance(field, forms.DateField):
                field.validators.append(self._date_rule(name))

    def _date_rule(self, name: str) -> Callable[[date], None]:
        """The model field's plausible window (`core.dates`) where it declares one, so the
        page refuses what the write path would, with the same words; else the wide check."""
        return plausible_kind(self._meta.model, name) or date_in_range

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields or []
            if name in self.cleaned_data
        }


def _field_name(form: forms.BaseForm, field: str) -> str | None:
    """What a clerk calls `field` of the form's record (the model field's label); None when
    the form's record has no such field (its name, «Meeting date», is no clerk's word)."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        return str(capfirst(model._meta.get_field(field).verbose_name))  # type: ignore[union-attr]
    except (AttributeError, FieldDoesNotExist):
        return None


def _named(name: str, error: str) -> str:
    """`error` said of the field `name` (a linked message keeps its links)."""
    text = _("%(field)s: %(error)s") % {"field": name, "error": str.__str__(error)}
    if isinstance(error, LinkedText):
        return LinkedText(text, error.url, error.label, error.more)
    return text


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has it,
    else above the form naming the field where the form's record has it (the service's
    message alone where it has not: a name the clerk does not know says nothing)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if field in form.fields or field == NON_FIELD_ERRORS:
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
                continue
            name = _field_name(form, field)
            for error in errors:
                form.add_error(None, error if name is None else _named(name, error))
    else:
        for message in exc.messages:
            form.add_error(None, message)


def query_result(
    form: forms.BaseForm, compute: Callable[[dict[str, Any]], SavedT]
) -> SavedT | None:
    """What a page computes from its query form (a GET: a period, a scope): `compute` of
    the form's values when the form is valid, its ValidationError shown on the form; None
    when the form is unbound, not valid or refused."""
    if not form.is_valid():
        return None
    try:
        return compute(form.cleaned_data)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


@dataclass(frozen=True)
class Submission(Generic[SavedT]):
    """What became of a page's form post. `saved` is the record the service saved (None: show
    the form again); `conflict` is the record as stored now, when someone else saved it
    after the edit began, so the page can show it next to the user's values. `done`: the
    service ran and saved (for a service that returns nothing)."""

    saved: SavedT | None = None
    conflict: models.Model | None = None
    done: bool = False


def _start_from(form: forms.BaseForm, current: Any) -> None:
    """After a save refused over a newer version, the form (what the user typed kept, what
    others saved since in the fields the user left alone taken in: `core.edit_merge`)
    carries that version: saving it again, having seen what differs, saves it over the
    version shown, instead of being refused again until a reload loses what was typed."""
    version = getattr(current, "version", None)
    if version is None or "version" not in form.fields or not form.is_bound:
        return
    began = getattr(form, "cleaned_data", {}).get("version")
    if isinstance(began, int):
        # what others saved: taken in where the user left a field alone (a model form's
        # fields are the record's; a plain form's only compared), named in the box
        form.others_changed = merge_into(  # type: ignore[attr-defined]
            form, current, began, take_in=isinstance(form, forms.ModelForm)
        )
    # a copy that keeps every value of a multiple choice (a QueryDict's own copy)
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[form.add_prefix("version")] = str(version)
    form.data = data


def _run(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], SavedT],
    success: str | Callable[[SavedT], str] | None,
) -> Submission[SavedT]:
    """Call the service on a valid form; its refusals become the form's errors."""
    try:
        saved = save()
    except VersionConflict as exc:
        form.add_error(None, str(exc))
        _start_from(form, exc.current)
        return Submission(conflict=exc.current)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return Submission()
    if success is not None:
        messages.success(request, success(saved) if callable(success) else success)
    return Submission(saved=saved, done=True)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], SavedT],
    success: str | Callable[[SavedT], str] | None,
) -> Submission[SavedT]:
    """The shared create/edit step of a page: on a valid POST call the service `save()`,
    which returns the saved record (not None: None in `saved` means "show the form
    again"). Its ValidationError is shown on the form; a VersionConflict too, as a
    non-field error, with the record as it is now kept in `conflict`. Otherwise `success`
    (or `success(saved)`, for a message naming what the service made) is added as a
    message and the record returned in `saved` (the caller redirects). `success` None: no
    message (the page the caller goes to says what happened, e.g. a background task's)."""
    if request.method != "POST" or not form.is_valid():
        return Submission()
    return _run(request, form, save, success)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], SavedT],
    *,
    success: str | Callable[[SavedT], str],
    template: str,
    context: Mapping[str, Any] | None = None,
    then: Any = None,
    refused: tuple[str | None, str | Promise] | None = None,
    also: Sequence[forms.BaseForm] = (),
) -> HttpResponse:
    """The one shape of a page with a form. On a POST where `form` (and the forms in
    `also`) are valid, call the service `save()`; when it saves, add `success` as a message
    and redirect to `then` (anything `redirect` takes, or a function of what `save`
    returned; by default that record). Otherwise render `template` with `form`, its errors
    (the service's too) and `conflict`, the record as stored now when someone else saved it
    since the edit began, and `context`.

    `refused` (field, message): a PermissionDenied of the service is said on the form (a
    choice on it, such as an arena, is outside the user's) instead of answering 403."""

    def attempt() -> SavedT:
        try:
            return save()
        except PermissionDenied:
            if refused is None:
                raise
            field, message = refused
            raise ValidationError({field or NON_FIELD_ERRORS: message}) from None

    result: Submission[Any] = Submission()
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in also):
        result = _run(request, form, attempt, success)
    saved: Any = result.saved
    if result.done:
        target: Any = then(result.saved) if callable(then) else then
        return redirect(saved if target is None else target)
    return render(request, template, {"form": form, "conflict": result.conflict, **(context or {})})


def post_action(
    request: HttpRequest,
    act: Callable[[], Any],
    *,
    success: str | Callable[[], str],
    then: Any,
    warn: Callable[[], bool] | None = None,
) -> HttpResponse:
    """The one shape of a button's POST (reopen, carry out, delete): call the service
    `act()`; its refusal (a ValidationError, a stale version) becomes an error message,
    otherwise `success` (or `success()`, read after the change) a success message, or a
    warning when `warn()` says the outcome is not what the clerk would expect (a notice
    that reached nobody by e-mail); then redirect to `then` either way."""
    try:
        act()
    except VersionConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        said = success() if callable(success) else success
        (messages.warning if warn is not None and warn() else messages.success)(request, said)
    return redirect(then)


def edit_page(
    request: HttpRequest,
    form: VersionedForm,
    update: Callable[..., SavedT],
    *,
    success: str | Callable[[SavedT], str],
    template: str,
    context: Mapping[str, Any] | None = None,
    then: Any = None,
) -> HttpResponse:
    """`form_page` for an edit of a stored record: the service `update(record, changes,
    expected_version=, actor=)` (see `save_changes`). A save with nothing changed writes
    nothing (core.services.update_record) and says so."""

    def said(saved: SavedT) -> str:
        if not form.has_changed():
            return str(_("Ingen endringer å lagre."))
        return success(saved) if callable(success) else success

    return form_page(
        request,
        form,
        save_changes(request, form, update),
        success=said,
        template=template,
        context=context,
        then=then,
    )


def save_changes(
    request: HttpRequest, form: VersionedForm, update: Callable[..., SavedT]
) -> Callable[[], SavedT]:
    """The save step of an edit page, for `submit`: the service `update(record, changes,
    expected_version=, actor=)` given the record as stored, the form's changes and the
    version the edit began from. Call it before the form validates: validating writes the
    posted values into the form's instance, so the record is copied first (the service
    records what changed against the copy)."""
    stored = copy.copy(form.instance)
    return lambda: update(
        stored,
        form.changes(),
        expected_version=form.cleaned_data.get("version"),
        actor=request.user,
    )


class DeleteForm(forms.Form):
    """A delete confirmation: carries the version the user saw, so a record changed since
    then is shown again instead of deleted unseen."""

    version = version_field()


def confirm_delete(
    request: HttpRequest,
    template: str,
    load: Callable[[], Any],
    context: Callable[[Any], dict[str, Any]],
    delete: Callable[[Any, int | None], None],
    success: str | Callable[[Any], str],
    done: Callable[[Any], str],
) -> HttpResponse:
    """A delete page: GET asks for confirmation (showing what goes), POST deletes with the
    version the user saw, then to `done(record)` (read before the delete) with `success`
    (or `success(record)`, a message naming what went). A refusal is shown on the page; a
    record changed since it was shown is shown again, as it is now, to be confirmed anew."""
    record = load()
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": record.version}
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        target = done(record)
        try:
            delete(record, form.cleaned_data.get("version"))
        except VersionConflict:
            conflict = True
            record = load()
            form = DeleteForm(initial={"version": record.version})
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, success(record) if callable(success) else success)
            return redirect(target)
    return render(request, template, {**context(record), "form": form, "conflict": conflict})
