"""The strategy API on the pages' forms: a write fills the page's form from its payload,
so every field rule and message is the page's, then calls the page's service (creating and
changing a record are `core.api_forms.api_create`/`api_update`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from samarbeid.core.api_forms import bind, valid


def page_values(
    form_class: type[forms.Form], values: Mapping[str, Any], **form_kwargs: Any
) -> dict[str, Any]:
    """A plain page form (no record) filled from `values`: its cleaned data."""
    return valid(bind(form_class, values, **form_kwargs)).cleaned_data
