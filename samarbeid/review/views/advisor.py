"""The legal-form advisor page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samarbeid.review.forms import (
    AdvisorForm,
)
from samarbeid.review.services.advisor import advise


def advisor(request: HttpRequest) -> HttpResponse:
    form = AdvisorForm(request.GET or None)
    advice = None
    if form.is_bound and form.is_valid():
        advice = advise(form.cleaned_data["needs"])
    elif not form.is_bound:
        advice = advise([])
    return render(request, "review/advisor.html", {"form": form, "advice": advice})
