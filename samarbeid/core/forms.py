"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    """Carries the version the edit started from, so a save over a newer version is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = getattr(self.instance, "version", None)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DATE_INPUT

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields or []
            if name in self.cleaned_data
        }


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def submit(
    request: Any,
    form: forms.BaseForm,
    save: Any,
    success: str,
) -> Any | None:
    """The shared create/edit step of a page: on a valid POST call the service `save()`,
    show its ValidationError on the form, or add `success` as a message and return the
    saved record (the caller redirects to it). None means: render the form again."""
    from django.contrib import messages

    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    messages.success(request, success)
    return saved
