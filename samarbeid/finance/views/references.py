"""The invoice reference pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samarbeid.accounts.permissions import (
    coordinator_municipality_ids,
    is_any_secretariat,
    is_internal,
)
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import apply_validation_error
from samarbeid.finance.access import (
    can_set_invoice_reference,
    references_visible_to,
)
from samarbeid.finance.contact_opt_outs import opted_out
from samarbeid.finance.forms import (
    InvoiceReferenceForm,
)
from samarbeid.finance.references import delete_invoice_reference, set_invoice_reference
from samarbeid.registry.models import Municipality

# Invoice references --------------------------------------------------------------------------


@login_required
@require_safe
def references(request: HttpRequest) -> HttpResponse:
    """The municipalities' invoice references, and a form to set one."""
    if not is_internal(request.user):
        raise Http404
    found = references_visible_to(request.user)
    text = request.GET.get("q", "").strip()
    if text:
        found = found.filter(municipality__in=Municipality.objects.search(text))
    page = Paginator(found.order_by("municipality__number", "arena__short_name"), 50).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    declined = opted_out([r.contact_email for r in page.object_list])
    for reference in page.object_list:  # "avmeldt varsler" and since when, on the page
        reference.opted_out = declined.get(  # type: ignore[attr-defined]
            (reference.contact_email or "").casefold()
        )
    return render(
        request,
        "finance/references.html",
        {
            "page": page,
            "references": page,
            "q": text,
            "form": _reference_form(request),
            "changeable": _changeable(request, page),
        },
    )


def _changeable(request: HttpRequest, references: Any) -> set[int]:
    """The references on the page this user may change or delete (a clerk's trial was
    offered "Slett" for other municipalities' references, refused when pressed)."""
    return {
        r.pk for r in references if can_set_invoice_reference(request.user, r.municipality, r.arena)
    }


def _reference_form(request: HttpRequest, data: Any = None) -> InvoiceReferenceForm | None:
    """The form to set a reference, offering only what the user may set: a coordinator its
    own municipalities, a secretariat every one; none for a reader."""
    municipalities = None
    if not is_any_secretariat(request.user):
        own = coordinator_municipality_ids(request.user)
        if not own:
            return None
        municipalities = Municipality.objects.filter(pk__in=own).order_by("number")
    return InvoiceReferenceForm(
        data,
        arenas=Arena.objects.visible_to(request.user).order_by("short_name"),
        municipalities=municipalities,
    )


@login_required
@require_POST
def reference_set(request: HttpRequest) -> HttpResponse:
    if not is_internal(request.user):
        raise Http404
    if _reference_form(request) is None:
        raise PermissionDenied
    # bound over every municipality, so that another's is refused as such (403), not as a
    # choice not offered
    form = InvoiceReferenceForm(
        request.POST, arenas=Arena.objects.visible_to(request.user).order_by("short_name")
    )
    if form.is_valid():
        data = form.cleaned_data
        if not can_set_invoice_reference(request.user, data["municipality"], data["arena"]):
            raise PermissionDenied
        try:
            set_invoice_reference(
                data["municipality"],
                data["arena"],
                data["reference"],
                actor=request.user,
                contact_email=data["contact_email"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Fakturareferansen for %(name)s er lagret.")
                % {"name": data["municipality"].name},
            )
            return redirect("finance:references")
    offered = _reference_form(request)
    assert offered is not None
    # shown again with what this user is offered
    form.fields["municipality"].queryset = offered.fields["municipality"].queryset  # type: ignore[attr-defined]
    found = references_visible_to(request.user).order_by("municipality__number")
    page = Paginator(found, 50).get_page(1)
    return render(
        request,
        "finance/references.html",
        {
            "page": page,
            "references": page,
            "q": "",
            "form": form,
            "changeable": _changeable(request, page),
        },
        status=422,
    )


@login_required
@require_POST
def reference_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reference = get_object_or_404(references_visible_to(request.user), pk=pk)
    if not can_set_invoice_reference(request.user, reference.municipality, reference.arena):
        raise PermissionDenied
    delete_invoice_reference(reference, actor=request.user)
    messages.success(request, _("Fakturareferansen er slettet."))
    return redirect("finance:references")
