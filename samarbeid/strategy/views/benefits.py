"""Benefits realisation pages: a benefit, its steps of realisation, a municipality's
benefits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.accounts.permissions import require
from samarbeid.core.forms import save_changes
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.strategy.forms import (
    BenefitForm,
    RealisationForm,
)
from samarbeid.strategy.models import (
    Benefit,
    realised_total,
)
from samarbeid.strategy.services.benefits import (
    benefits_for_municipality,
    can_edit_benefit,
    record_realisation,
    update_benefit,
)
from samarbeid.strategy.views.form_page import form_page
from samarbeid.strategy.visibility import visible_benefit


@require_safe
def benefit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan and its realisation; the form posts to `realisation_create`."""
    benefit = visible_benefit(request, pk)
    can_edit = can_edit_benefit(request.user, benefit.project, benefit.municipality)
    form = RealisationForm(initial={"recorded_on": timezone.localdate(), "status": benefit.status})
    return render(
        request,
        "strategy/benefit_detail.html",
        {
            "benefit": benefit,
            "realisations": benefit.realisations.order_by("recorded_on", "id"),
            "realised": realised_total(benefit),
            "form": form if can_edit else None,
        },
    )


@login_required
def realisation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a step of a benefit's realisation (the form is also on the benefit's page)."""
    benefit = visible_benefit(request, pk)
    require(can_edit_benefit(request.user, benefit.project, benefit.municipality))
    form = RealisationForm(
        request.POST or None,
        initial={"recorded_on": timezone.localdate(), "status": benefit.status},
    )

    def save() -> str:
        realisation = form.save(commit=False)
        realisation.benefit = benefit
        realisation.is_example_data = benefit.is_example_data
        record_realisation(realisation, actor=request.user)
        return reverse("strategy:benefit_detail", args=[benefit.pk])

    return form_page(
        request,
        form,
        title=_("Registrer realisering"),
        cancel=reverse("strategy:benefit_detail", args=[benefit.pk]),
        save=save,
        success=_("Realiseringen er registrert."),
    )


@login_required
def benefit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    benefit = visible_benefit(request, pk)
    require(can_edit_benefit(request.user, benefit.project, benefit.municipality))
    form = BenefitForm(
        request.POST or None,
        instance=Benefit.objects.select_related("project__arena", "municipality").get(pk=pk),
    )
    form.fields["municipality"].disabled = True

    update = save_changes(request, form, update_benefit)

    def save() -> str:
        update()
        return reverse("strategy:benefit_detail", args=[pk])

    return form_page(
        request,
        form,
        title=_("Endre gevinstrealiseringsplan"),
        cancel=reverse("strategy:benefit_detail", args=[pk]),
        save=save,
        success=_("Endringene er lagret."),
    )


def municipality_benefits(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code)
    visible = set(Project.objects.visible_to(request.user).values_list("pk", flat=True))
    benefits = [b for b in benefits_for_municipality(municipality) if b.project_id in visible]
    return render(
        request,
        "strategy/municipality_benefits.html",
        {
            "municipality": municipality,
            "rows": [(b, realised_total(b)) for b in benefits],
            "flagged": [b for b in benefits if b.is_unrealised],
            "today": timezone.localdate(),
        },
    )
