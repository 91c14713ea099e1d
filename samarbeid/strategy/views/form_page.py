"""The one shape of a strategy form page: core's `form_page` on the strategy's one form
template (`strategy/form.html`), which is headed by a title and leads back to `cancel`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse

from samarbeid.core import forms as core_forms


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    cancel: str,
    save: Callable[[], Any],
    success: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, call the service, redirect with a message; or re-render with its errors.
    `save` returns where to go next (a URL); one that returns nothing goes back to `cancel`."""
    return core_forms.form_page(
        request,
        form,
        lambda: save() or cancel,
        success=success,
        template="strategy/form.html",
        context={"title": title, "cancel": cancel, **(context or {})},
        then=lambda saved: saved if isinstance(saved, str) else cancel,
    )
