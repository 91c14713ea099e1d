"""The one shape of a strategy form page: validate, call the service, redirect with a
message; or show the form again with its errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from samarbeid.core.forms import submit


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
    """Validate, call the service, redirect with a message; or re-render with its errors."""
    # `submit` reads None as not saved: a save that returns nothing goes back to `cancel`
    result = submit(request, form, lambda: save() or cancel, success)
    if result.saved is not None:
        return redirect(result.saved if isinstance(result.saved, str) else cancel)
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": title,
            "cancel": cancel,
            "conflict": result.conflict,
            **(context or {}),
        },
    )
