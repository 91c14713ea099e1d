"""Invoice references in the API: what a municipality's invoices carry for an arena."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import deleted, writes
from samarbeid.core.api_forms import bind, valid
from samarbeid.core.api_schemas import DeleteVersion
from samarbeid.core.paging import Pagination
from samarbeid.core.records import record_for
from samarbeid.finance.access import (
    references_visible_to,
)
from samarbeid.finance.forms import InvoiceReferenceForm
from samarbeid.finance.models import (
    InvoiceReference,
)
from samarbeid.finance.references import delete_invoice_reference, set_invoice_reference
from samarbeid.registry.models import Municipality

# Invoice references -------------------------------------------------------------------------------


router = Router(tags=["finance"])


class InvoiceReferenceOut(Schema):
    id: int
    municipality: str = Field(alias="municipality.number", description="Municipality number")
    arena: int | None = Field(
        alias="arena_id", description="The arena it is for; null: every arena"
    )
    reference: str
    contact_email: str = Field(
        description="The accounts department's address, told when an EHF invoice is issued"
    )
    version: int = Field(description="Send it back to delete the reference")


class InvoiceReferenceIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="A current municipality's number")
    arena: int | None = None
    reference: str = Field(max_length=100)
    contact_email: str = Field(
        "", max_length=254, description="Told by e-mail when an EHF invoice is issued; optional"
    )


@router.get(
    "/finance/invoice-references",
    response=list[InvoiceReferenceOut],
    summary="List the municipalities' invoice references (internal users)",
)
@paginate(Pagination)
def list_references(request: HttpRequest) -> QuerySet[InvoiceReference]:
    return references_visible_to(request.user).order_by("municipality__number", "pk")


@router.put(
    "/finance/invoice-references",
    **writes(200, InvoiceReferenceOut),
    summary="Set a municipality's invoice reference (for one arena, or for all)",
)
def set_reference_api(request: HttpRequest, payload: InvoiceReferenceIn) -> InvoiceReference:
    municipality = Municipality.objects.current().filter(number=payload.municipality).first()
    if municipality is None:
        raise ValidationError({"municipality": _("Ingen kommune har dette nummeret nå.")})
    data = payload.dict() | {"municipality": municipality.pk}
    form = valid(bind(InvoiceReferenceForm, data, arenas=Arena.objects.visible_to(request.user)))
    data = form.cleaned_data
    reference = set_invoice_reference(
        data["municipality"],
        data["arena"],
        data["reference"],
        actor=request.user,
        channel=Channel.API,
        contact_email=data["contact_email"],
    )
    return reference


@router.delete(
    "/finance/invoice-references/{reference_id}",
    **writes(204, None),
    summary="Delete an invoice reference",
    description="Send the `version` you read: a newer stored version answers 409 and nothing "
    "is deleted.",
)
def delete_reference_api(
    request: HttpRequest, reference_id: int, version: DeleteVersion
) -> Status[None]:
    reference = record_for(request.user, references_visible_to(request.user), reference_id)
    return deleted(request, reference, delete_invoice_reference, version)
