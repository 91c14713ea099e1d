"""The strategy API on the pages' forms: a write fills the page's form from its payload,
so every field rule and message is the page's, then calls the page's service."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.db import models

from samarbeid.core.api_forms import bind, valid

M = TypeVar("M", bound=models.Model)


def page_record(
    form_class: type[forms.ModelForm[Any]],
    values: Mapping[str, Any],
    instance: M,
    **form_kwargs: Any,
) -> M:
    """The record the page's form makes from `values` over `instance` (a new record with
    its parent set, so the form's model checks see it), validated (422 naming the fields)
    and not yet saved: the caller hands it to the page's service."""
    form = valid(bind(form_class, values, instance=instance, **form_kwargs))
    saved: M = form.save(commit=False)
    return saved


def page_changes(
    form_class: type[forms.ModelForm[Any]],
    sent: Mapping[str, Any],
    instance: M,
    version: int,
    **form_kwargs: Any,
) -> tuple[M, dict[str, Any]]:
    """A PATCH through the page's edit form: the record as stored (a copy taken before
    validating writes the payload into the form's instance) and the validated values of the
    fields sent (the rest stay as stored)."""
    stored = copy.copy(instance)
    form = valid(bind(form_class, {**sent, "version": version}, instance=instance, **form_kwargs))
    return stored, {name: form.cleaned_data[name] for name in sent if name in form.cleaned_data}


def page_values(
    form_class: type[forms.Form], values: Mapping[str, Any], **form_kwargs: Any
) -> dict[str, Any]:
    """A plain page form (no record) filled from `values`: its cleaned data."""
    return valid(bind(form_class, values, **form_kwargs)).cleaned_data
