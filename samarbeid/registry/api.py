from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import can_edit_population, require
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import counted_once, writes
from samarbeid.core.api_forms import bind, valid
from samarbeid.core.api_schemas import MunicipalityNumber, Problem, flat_columns
from samarbeid.core.idempotency import DESCRIPTION as IDEMPOTENCY
from samarbeid.core.idempotency import idempotent
from samarbeid.core.paging import MappedQuerySet, Pagination
from samarbeid.core.services import delete_record
from samarbeid.jobs.api import TaskOut, task_location, task_out
from samarbeid.registry.forms import LARGEST_FILE, PopulationFileForm, PopulationForm
from samarbeid.registry.jobs import start_population
from samarbeid.registry.models import LegalEntity, Municipality, Population
from samarbeid.registry.permissions import require_population_import
from samarbeid.registry.services import (
    absent_on,
    resolve_number,
    set_population,
    unknown_number,
)

router = Router(tags=["municipalities"])


class MunicipalityOut(Schema):
    number: str
    code: str = Field(description="Statistics Norway's code; a letter suffix marks a reused number")
    name: str
    county: str = Field(
        alias="county_number",
        description="County number at the time: the number's first two digits",
    )
    organisation_number: str | None
    valid_from: date | None = Field(description="Empty: in use before 1994")
    valid_to: date | None = Field(description="Last day in use; empty while current")
    predecessors: list[str]
    successors: list[str]
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_organisation_number(municipality: Municipality) -> str | None:
        return municipality.organisation_number or None

    @staticmethod
    def resolve_predecessors(municipality: Municipality) -> list[str]:
        return sorted({p.number for p in municipality.predecessors.all()})

    @staticmethod
    def resolve_successors(municipality: Municipality) -> list[str]:
        return sorted({s.number for s in municipality.successors.all()})


class PopulationOut(Schema):
    year: int
    count: int


class MunicipalityDetailOut(MunicipalityOut):
    population: list[PopulationOut] = Field(alias="populations")


class MunicipalityFilter(Schema):
    at: date | None = Field(None, description="Only municipalities in use on this date")
    county: str | None = Field(None, pattern=r"^\d{2}$", description="County number at the time")
    q: str | None = Field(None, max_length=100, description="Name or number begins with")


def _with_links() -> Any:
    links: Any = [
        Prefetch(name, queryset=Municipality.objects.only("id", "number"))
        for name in ("predecessors", "successors")
    ]
    return Municipality.objects.prefetch_related(*links)


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    summary="List municipalities",
    description="Every municipality number in use since 1994, each period its own record.",
)
@paginate(Pagination)
def list_municipalities(
    request: HttpRequest, filters: Query[MunicipalityFilter]
) -> MappedQuerySet[Municipality]:
    queryset = _with_links()
    assert hasattr(queryset, "filter")
    if filters.at:
        queryset = queryset.valid_on(filters.at)
    if filters.county:
        queryset = queryset.filter(county_number=filters.county)
    if filters.q:
        queryset = queryset.search(filters.q)
    # the page's total counted once per data version; the schema reads the page's records
    return counted_once(queryset.order_by("number", "valid_from"))


def _four_digits(number: str) -> None:
    """404 for a path's municipality number that is not four digits, in the reader's words."""
    if not (len(number) == 4 and number.isdigit()):
        raise Http404(_("Et kommunenummer har fire sifre, som 3905."))


@router.get(
    "/municipalities/{number}",
    response={200: MunicipalityDetailOut, 404: Problem, 422: Problem},
    summary="One municipality",
    description=(
        "Where a number was used by two municipalities at different times, `at` picks one; "
        "without it, the current or most recent one is returned."
    ),
)
def get_municipality(request: HttpRequest, number: str, at: date | None = None) -> Municipality:
    _four_digits(number)
    found = resolve_number(number, at)
    if found is None:
        raise Http404(unknown_number(number, at))
    figures = Prefetch("populations", queryset=Population.objects.order_by("year"))
    municipality: Municipality = _with_links().prefetch_related(figures).get(pk=found.pk)
    return municipality


# --- Writes: population figures ------------------------------------------------------------


class PopulationIn(Schema):
    # the page's form checks the range (1 to 2 000 000), with the page's words
    count: int = Field(description="Residents on 1 January: 1 to 2 000 000")
    is_example_data: bool = False


class PopulationWriteOut(Schema):
    municipality: MunicipalityNumber
    code: str = Field(alias="municipality.code")
    year: int
    count: int
    is_example_data: bool


POPULATION_ERRORS: dict[int, type[Problem]] = {
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
}


def _population_target(number: str, year: int) -> Municipality:
    _four_digits(number)
    day = date(year, 1, 1)
    found = resolve_number(number, day)
    if found is None:
        raise Http404(unknown_number(number, day))
    if not found.is_valid_on(day):
        raise Http404(absent_on(found, day))
    return found


@router.put(
    "/municipalities/{number}/population/{year}",
    response={200: PopulationWriteOut, 201: PopulationWriteOut, **POPULATION_ERRORS},
    auth=WRITE_AUTH,
    summary="Set a municipality's population for a year",
    description=(
        "Residents on 1 January of `year`, for the municipality that used the number then. "
        "The municipality's coordinator or the secretariat may. 201 when new, 200 when changed."
    ),
)
def put_population(
    request: HttpRequest,
    number: str,
    year: Annotated[int, Path(ge=1900, le=2100)],
    payload: PopulationIn,
) -> Status[Population]:
    municipality = _population_target(number, year)
    require(can_edit_population(request.user, municipality))
    # the page's form: the same rules and messages for the year and the count
    form = valid(
        bind(PopulationForm, {"year": year, "count": payload.count}, version_required=False)
    )
    figure, new = set_population(
        municipality,
        form.cleaned_data["year"],
        form.cleaned_data["count"],
        expected_version=None,
        actor=request.user,
        channel=Channel.API,
        is_example_data=payload.is_example_data,
    )
    return Status(201 if new else 200, figure)


@router.delete(
    "/municipalities/{number}/population/{year}",
    response={204: None, **POPULATION_ERRORS},
    auth=WRITE_AUTH,
    summary="Remove a population figure entered by mistake",
)
def delete_population(
    request: HttpRequest, number: str, year: Annotated[int, Path(ge=1900, le=2100)]
) -> Status[None]:
    municipality = _population_target(number, year)
    require(can_edit_population(request.user, municipality))
    figure = Population.objects.filter(municipality=municipality, year=year).first()
    if figure is None:
        raise Http404(f"No population figure for {number} in {year}.")
    delete_record(figure, actor=request.user, channel=Channel.API)
    return Status(204, None)


class PopulationFileIn(Schema):
    filename: str = Field(
        "07459.csv", max_length=200, description="Named in the problems, as on the page"
    )
    content: str = Field(
        max_length=LARGEST_FILE,
        description=(
            "The semicolon CSV export of table 07459 as text: two title lines, a header "
            "'region' and then 'Personer' and a year per column (e.g. 'Personer 2024'), one "
            "line per municipality"
        ),
    )


@router.post(
    "/population-files",
    **writes(202, TaskOut),
    summary="Load Statistics Norway's population table 07459 in the background (202: follow "
    "Location to the task)",
    description=(
        "The file the population page uploads and the `import_population` command reads, kept "
        "with a background task as the page's upload is; the answer is the queued task (202, "
        "`Location: /api/v1/tasks/{id}`). Poll that task: `done` with the figures stored in "
        "`message`, or `failed` with nothing stored and `error` naming each problem on a line "
        "of its own (file, line, problem), the whole file being checked first by the same "
        "rules as the page and the command. A secretariat for every arena may.\n\n" + IDEMPOTENCY
    ),
)
@idempotent
def import_population_file(
    request: HttpRequest, payload: PopulationFileIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    require_population_import(request.user)
    content = payload.content.encode("utf-8")
    # the page's form checks the upload (its size) as it checks the page's
    form = valid(
        bind(
            PopulationFileForm,
            {},
            files={"file": SimpleUploadedFile(payload.filename, content, "text/csv")},
        )
    )
    upload = form.cleaned_data["file"]
    job = start_population(
        upload.name,
        content,
        actor=request.user,
        channel=Channel.API,
        # the task's columns (the admin's, the log's) in English, as the command's; the caller
        # reads its texts, the file's problems too, in its own language (English: ?lang=en)
        language="en",
    )
    response["Location"] = task_location(job)
    return Status(202, task_out(job, request.user))


# --- Registered units (Enhetsregisteret) ------------------------------------------------------


class LegalEntityAddressOut(Schema):
    street: str
    postal_code: str
    city: str
    municipality_number: str
    country: str


class LegalEntityOut(Schema):
    organisation_number: str
    name: str = Field(description="The registered name (navn)")
    business_address: LegalEntityAddressOut = Field(description="forretningsadresse")
    postal_address: LegalEntityAddressOut = Field(description="postadresse")
    is_example_data: bool

    resolve_business_address = staticmethod(flat_columns("business", LegalEntityAddressOut))
    resolve_postal_address = staticmethod(flat_columns("postal", LegalEntityAddressOut))


@router.get(
    "/legal-entities",
    response=list[LegalEntityOut],
    summary="List registered units",
    description=(
        "Units imported from the register of legal entities (`import_legal_entities`): the "
        "registered names and addresses invoices are made with."
    ),
)
@paginate(Pagination)
def list_legal_entities(request: HttpRequest) -> MappedQuerySet[LegalEntity]:
    return counted_once(LegalEntity.objects.order_by("organisation_number"))


@router.get(
    "/legal-entities/{organisation_number}",
    response={200: LegalEntityOut, 404: Problem},
    summary="One registered unit",
)
def get_legal_entity(request: HttpRequest, organisation_number: str) -> LegalEntity:
    entity = LegalEntity.objects.filter(organisation_number=organisation_number).first()
    if entity is None:
        raise Http404(f"No registered unit {organisation_number}")
    return entity
