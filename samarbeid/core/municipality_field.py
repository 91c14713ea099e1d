"""Choosing a municipality: one form field and widget for every form that names one.

The register holds some 700 municipalities since 1994. The field lists those that existed on
the form's date first (today unless the form names a date field), and the others after them
in a group "Tidligere kommuner", each labelled with its years. It is a plain <select>, so it
works without JavaScript; js/municipality-picker.js adds type-ahead (number or name) and
shows the former ones only when asked. Core names no domain: the field reads the register's
records by their fields (number, name, valid_from, valid_to).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    _ModelChoiceField = forms.ModelChoiceField[Any]
else:  # generic only to the type checker
    _ModelChoiceField = forms.ModelChoiceField


def exists_on(municipality: Any, day: date) -> bool:
    """Whether the register's record was in use on `day`."""
    start, end = municipality.valid_from, municipality.valid_to
    return (start is None or start <= day) and (end is None or day <= end)


def years_label(municipality: Any) -> str:
    """ "1994–2017", "til 2017" (in use before 1994), "fra 2020"."""
    start, end = municipality.valid_from, municipality.valid_to
    if start and end:
        return f"{start.year}–{end.year}"
    if end:
        return _("til %(year)s") % {"year": end.year}
    if start:
        return _("fra %(year)s") % {"year": start.year}
    return ""


def _order(municipality: Any) -> tuple[str, date]:
    return municipality.number, municipality.valid_from or date.min


class MunicipalityIterator(ModelChoiceIterator):
    """The empty choice, then those in use on the field's day, then the others in a group."""

    field: MunicipalityChoiceField

    def __iter__(self) -> Iterator[Any]:
        # the empty choice first, before the query: Select.use_required_attribute reads it
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        day = self.field.day or timezone.localdate()
        then: list[Any] = []
        other: list[Any] = []
        for municipality in self.queryset:
            (then if exists_on(municipality, day) else other).append(municipality)
        for municipality in sorted(then, key=_order):
            yield self.choice(municipality)
        if other:
            yield (
                self.field.other_group_label(day),
                [self.former_choice(m) for m in sorted(other, key=_order)],
            )

    def former_choice(self, municipality: Any) -> tuple[ModelChoiceIteratorValue, str]:
        value, label = self.choice(municipality)
        years = years_label(municipality)
        return value, f"{label} ({years})" if years else str(label)


class MunicipalitySelect(forms.Select):
    """A <select> whose options carry their years of use (data-from, data-to), for the
    script to tell which existed on the form's date."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            if instance.valid_from:
                option["attrs"]["data-from"] = instance.valid_from.isoformat()
            if instance.valid_to:
                option["attrs"]["data-to"] = instance.valid_to.isoformat()
            # for the script: the label without the years, which it adds where it groups
            years = years_label(instance)
            if years:
                option["attrs"]["data-years"] = years
                option["attrs"]["data-label"] = str(label).removesuffix(f" ({years})")
        return option


class MunicipalityChoiceField(_ModelChoiceField):
    """A municipality, chosen among those in use on the form's date first (`date_field`: the
    name of the form's date field; none: today). Declare it on a form, or in a ModelForm's
    `Meta.field_classes` (`MunicipalityChoiceField.dated_by("joined")` for a date)."""

    iterator = MunicipalityIterator
    widget = MunicipalitySelect
    date_field: str | None = None

    def __init__(self, *args: Any, date_field: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if date_field is not None:
            self.date_field = date_field
        self.day: date | None = None

    @classmethod
    def dated_by(cls, date_field: str) -> type[MunicipalityChoiceField]:
        """The field class for a ModelForm's `field_classes`, dated by the form's
        `date_field`."""
        return type(cls.__name__, (cls,), {"date_field": date_field})

    def other_group_label(self, day: date) -> str:
        if day >= timezone.localdate():
            return _("Tidligere kommuner")
        return _("Kommuner som ikke fantes %(date)s") % {"date": date_format(day, "d.m.Y")}

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        self.day = self._form_day(form)
        today = timezone.localdate()
        self.widget.attrs.update(
            {
                "data-municipality-picker": "",
                "data-day": (self.day or today).isoformat(),
                "data-today": today.isoformat(),
                "data-search-label": _("Finn kommunen: skriv nummer eller de første bokstavene"),
                "data-former-label": _("Vis også tidligere kommuner"),
                "data-search-help": _("Enter eller pil ned velger den første som passer."),
                "data-count-label": _("%(n)s kommuner passer."),
                # the only match is chosen (the script puts its name in)
                "data-count-one-label": _("1 kommune passer: %(name)s er valgt."),
                "data-hidden-label": _("%(n)s tidligere kommuner vises ikke."),
                "data-group-label": _("Tidligere kommuner"),
                # the script puts the form's date (dd.mm.yyyy) in
                "data-other-label": _("Kommuner som ikke fantes %(date)s"),
            }
        )
        if self.date_field and self.date_field in form.fields:
            self.widget.attrs["data-date-input"] = form[self.date_field].auto_id
        return super().get_bound_field(form, field_name)

    def _form_day(self, form: forms.BaseForm) -> date | None:
        """The date the form is about: its date field as typed (a bound form) or as it
        starts (initial, the record's); None: today."""
        if not self.date_field or self.date_field not in form.fields:
            return None
        field = form.fields[self.date_field]
        if form.is_bound:
            raw = field.widget.value_from_datadict(
                form.data, form.files, form.add_prefix(self.date_field)
            )
            try:
                value = field.clean(raw)
            except forms.ValidationError:
                return None
        else:
            value = form.get_initial_for_field(field, self.date_field)
        return value if isinstance(value, date) else None
