from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import is_internal
from samarbeid.core.forms import apply_validation_error
from samarbeid.governance.forms import DecisionForm
from samarbeid.governance.models import Case
from samarbeid.governance.services import record_decision


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cases = Case.objects.all() if is_internal(request.user) else Case.objects.filter(published=True)
    case = get_object_or_404(cases.select_related("arena"), pk=pk)
    decisions = case.decisions.select_related("municipality", "arena").order_by(
        "municipality__number", "id"
    )
    return render(request, "governance/case_detail.html", {"case": case, "decisions": decisions})


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    if not is_internal(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = record_decision(form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Vedtaket er registrert."))
            if decision.arena:
                return redirect(decision.arena)
            return redirect("core:home")
    return render(request, "governance/decision_form.html", {"form": form})
