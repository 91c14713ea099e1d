"""API for the legal-form advisor: which forms of cooperation (kommuneloven) can serve the
needs, and why the others cannot; the advisor page's list as a read."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from samarbeid.core.api_schemas import Problem
from samarbeid.lib import legal_forms
from samarbeid.review.services.advisor import advise

router = Router()


class AdvisorFilter(Schema):
    needs: list[legal_forms.Need] = Field(
        default_factory=list, description="What the cooperation must be able to do"
    )


class FormAdviceOut(Schema):
    form: str = Field(
        description="The legal form's code (as in proposed_form; samkommune is historical)"
    )
    name: str = Field(description="Its name in bokmål")
    suitable: bool
    historical: bool = Field(description="No longer a form a new cooperation can take")
    reasons: list[str] = Field(description="Why it cannot serve the needs (bokmål)")
    conditions: list[str] = Field(description="What it must meet to serve them (bokmål)")


@router.get(
    "/legal-form-advice",
    response={200: list[FormAdviceOut], 422: Problem},
    summary="Which legal forms can serve these needs (the advisor)",
)
def get_legal_form_advice(
    request: HttpRequest, filters: Query[AdvisorFilter]
) -> list[dict[str, object]]:
    return [
        {
            "form": advice.form.code,
            "name": advice.form.name_nb,
            "suitable": advice.suitable,
            "historical": advice.form.historical,
            "reasons": advice.reasons,
            "conditions": advice.conditions,
        }
        for advice in advise(list(dict.fromkeys(n.value for n in filters.needs)))
    ]
