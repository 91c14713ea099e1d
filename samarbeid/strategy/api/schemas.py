"""The strategy API's input and output schemas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AliasChoices, Field

from samarbeid.core.api_schemas import MoneyIn, MoneyOut, MunicipalityNumber, ref
from samarbeid.strategy.models import (
    Basis,
    Benefit,
    EconomicResult,
    GoalAssessment,
    PlanItem,
    Result,
    realised_total,
)


class StrategyAssessmentOut(Schema):
    id: int
    attainment: str
    evidence: str
    assessed_on: date
    assessed_by: str
    is_example_data: bool


class StrategyGoalOut(Schema):
    id: int
    arena: int
    plan: int | None
    number: int
    title: str
    description: str
    latest_assessment: StrategyAssessmentOut | None
    is_example_data: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")


class StrategyGoalDetailOut(StrategyGoalOut):
    assessments: list[StrategyAssessmentOut] = Field(description="Every assessment, oldest first")
    projects: list[int]


class StrategyPlanOut(Schema):
    id: int
    arena: int = ref("arena")
    arena_short_name: str = Field(
        validation_alias=AliasChoices("arena.short_name", "arena_short_name")
    )
    title: str
    first_year: int
    last_year: int
    status: str
    published: bool
    case: int | None = ref("case")
    is_example_data: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")


class StrategyItemOut(Schema):
    id: int = Field(description="The point's or focus area's id, to change or remove it")
    kind: str
    order: int
    title: str
    description: str
    version: int = Field(description="Send it back with a change (optimistic locking)")


class StrategyAdoptionOut(Schema):
    municipality: str
    name: str
    state: str = Field(description="adopted, rejected or pending")
    outcome: str
    meeting_date: date | None


class StrategyAreaShareOut(Schema):
    focus_area: int | None = Field(description="None: projects outside every focus area")
    title: str
    projects: list[int]
    budget: str
    share_percent: str


class StrategyCoverageOut(Schema):
    goals_without_project: list[int]
    projects_outside: list[int]
    total_budget: str
    areas: list[StrategyAreaShareOut]


class StrategyPlanDetailOut(StrategyPlanOut):
    summary: str
    goals: list[StrategyGoalOut]
    items: list[StrategyItemOut]
    focus_areas: list[StrategyItemOut]
    adoption: list[StrategyAdoptionOut]
    coverage: StrategyCoverageOut


class StrategyIndicatorOut(Schema):
    name: str
    unit: str
    baseline: str | None
    target: str | None
    values: list[dict[str, str]]


class StrategyResultOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    recorded_on: date
    indicators: list[StrategyIndicatorOut]


class StrategyEconomicOut(Schema):
    id: int
    municipality: MunicipalityNumber | None
    kind: str
    basis: str
    year: int
    to_year: int | None
    amount: MoneyOut
    source: str
    kept_outside_reason: str = Field(
        "", description="Not empty: kept outside the account of a period, for this reason"
    )
    is_example_data: bool


class StrategyProjectResultsOut(Schema):
    project: int
    results: list[StrategyResultOut]
    economic_results: list[StrategyEconomicOut]


class StrategyBenefitOut(Schema):
    id: int
    project: int = ref("project")
    municipality: MunicipalityNumber
    description: str
    expected_amount: MoneyOut | None
    realised_amount: MoneyOut
    owner: str
    target_date: date
    status: str
    overdue: bool = Field(alias="is_overdue")
    unrealised: bool = Field(alias="is_unrealised")
    is_example_data: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")

    @staticmethod
    def resolve_realised_amount(benefit: Benefit) -> Decimal:
        return realised_total(benefit)


class StrategyRealisationItemOut(Schema):
    id: int
    recorded_on: date
    amount: MoneyOut | None
    status: str
    note: str


class StrategyBenefitDetailOut(StrategyBenefitOut):
    realisations: list[StrategyRealisationItemOut] = Field(
        description="The steps of realisation, oldest first"
    )

    @staticmethod
    def resolve_realisations(benefit: Benefit) -> Any:
        return benefit.realisations.order_by("recorded_on", "id")


class StrategyBenefitFilter(Schema):
    municipality: str | None = Field(
        None, description="Municipality code; includes its predecessors"
    )
    arena: int | None = None
    project: int | None = None
    flagged: bool | None = Field(None, description="Only overdue or unrealised")


class StrategyAccountRowOut(Schema):
    municipality: MunicipalityNumber | None = Field(description="None: the cooperation as a whole")
    savings_estimated: MoneyOut
    savings_realised: MoneyOut
    administration: MoneyOut
    project_costs: MoneyOut
    other_costs: MoneyOut
    costs: MoneyOut
    net_realised: MoneyOut


class StrategyAccountOut(Schema):
    arena: int
    first_year: int
    last_year: int
    empty: bool
    rows: list[StrategyAccountRowOut]
    total: StrategyAccountRowOut
    excluded: list[str]
    kept_outside: list[StrategyEconomicOut] = Field(
        default_factory=list,
        description="Results in the period kept outside the account with their reason; "
        "in no row, total or net",
    )
    kept_outside_savings: str = Field("0.00", description="Sum of the savings kept outside")
    kept_outside_costs: str = Field("0.00", description="Sum of the costs kept outside")
    members_contributions: str = Field(
        "0.00", description="What the members paid through finance: administration and projects"
    )
    external_funding: str = Field(
        "0.00",
        description="Grants and other external funding of the arenas' budget lines in the "
        "period (received or granted, as each budget counts them); in no municipality's costs",
    )


class StrategyPeriodQuery(Schema):
    first_year: int = Field(ge=1900, le=2200)
    last_year: int = Field(ge=1900, le=2200)


class StrategyAssessmentIn(Schema):
    arena: int = Field(description="The arena the assessment is made in; must own the goal")
    attainment: GoalAssessment.Attainment
    evidence: str
    assessed_on: date
    assessed_by: str = ""


Year = Annotated[int, Field(ge=1900, le=2200)]
Order = Annotated[int, Field(ge=0, le=32767)]
# An amount as every API takes it: "12500.50" or as the page, "12 500,50" (one rule,
# core.api_schemas.MoneyIn); a negative one is refused by the form, in the page's words.
Amount = MoneyIn
Number = Annotated[str, Field(pattern=r"^\d{4}$", description="Municipality number")]


class StrategyPlanIn(Schema):
    arena: int
    title: str = Field(min_length=1, max_length=200)
    first_year: Year
    last_year: Year
    summary: str = ""
    published: bool = True


class StrategyPlanPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    first_year: Year | None = None
    last_year: Year | None = None
    summary: str | None = None
    published: bool | None = None


class StrategySendIn(Schema):
    planned_date: date | None = Field(
        None, description="Planned treatment in the councils (not before today)"
    )


class StrategyPlanStatusIn(Schema):
    status: Literal["adopted", "expired"]
    version: int


class StrategyGoalIn(Schema):
    number: int | None = Field(None, ge=1, le=999, description="Empty: the next free number")
    title: str = Field(min_length=1, max_length=300)
    description: str = ""


class StrategyGoalPatch(Schema):
    version: int
    number: int | None = Field(None, ge=1, le=999, description="Not another goal's in the plan")
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None


class StrategyArenaGoalIn(StrategyGoalIn):
    arena: int = Field(description="The arena; the goal belongs to no strategic plan")


class StrategyPlanItemIn(Schema):
    kind: PlanItem.Kind
    order: Order = 1
    title: str = Field(min_length=1, max_length=200)
    description: str = ""


class StrategyPlanItemPatch(Schema):
    version: int
    kind: PlanItem.Kind | None = None
    order: Order | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None


class StrategyPlanItemOut(Schema):
    id: int
    plan: int = ref("plan")
    kind: str
    order: int
    title: str
    description: str
    version: int


class StrategyFocusAreaIn(Schema):
    order: Order = 1
    title: str = Field(min_length=1, max_length=200)
    description: str = ""


class StrategyFocusAreaPatch(Schema):
    version: int
    order: Order | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None


class StrategyFocusAreaOut(Schema):
    id: int
    plan: int = ref("plan")
    order: int
    title: str
    description: str
    version: int


class StrategyAdminCostIn(Schema):
    first_year: Year
    last_year: Year
    amount: Amount
    source: str = Field(min_length=1, max_length=300)


class StrategyAdminCostOut(Schema):
    id: int
    arena: int
    first_year: int
    last_year: int
    amount: str
    source: str
    version: int


class StrategyGoalLinkIn(Schema):
    goal: int


class StrategyFocusAreaLinkIn(Schema):
    focus_area: int


class StrategyLinkOut(Schema):
    id: int
    project: int
    goal: int | None = None
    focus_area: int | None = None


class StrategyResultIn(Schema):
    kind: Result.Kind
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    recorded_on: date


class StrategyIndicatorIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=40)
    baseline: Annotated[Decimal, Field(max_digits=16, decimal_places=2)] | None = None
    target: Annotated[Decimal, Field(max_digits=16, decimal_places=2)] | None = None


class StrategyIndicatorWriteOut(StrategyIndicatorOut):
    id: int
    result: int


class StrategyIndicatorValueIn(Schema):
    measured_on: date = Field(description="Not in the future")
    value: Annotated[Decimal, Field(max_digits=16, decimal_places=2)]


class StrategyIndicatorValueOut(Schema):
    id: int
    indicator: int
    measured_on: date
    value: str


class StrategyEconomicIn(Schema):
    kind: EconomicResult.Kind
    basis: Basis
    municipality: Number | None = Field(
        None, description="Empty: the cooperation as a whole, not split"
    )
    year: Year
    to_year: Year | None = Field(None, description="Only when the source gives one sum")
    amount: Amount = Field(
        description="NOK, above zero: 1000000.50, or as on the page, 1 000 000,50"
    )
    source: str = Field(min_length=1, max_length=300)
    note: str = ""
    kept_outside_reason: str = Field(
        "",
        max_length=300,
        description="Keep the amount outside the account, with the source's words; "
        "empty: it counts",
    )


class StrategyBenefitIn(Schema):
    municipality: Number
    description: str = Field(min_length=1)
    expected_amount: Amount | None = None
    owner: str = Field(min_length=1, max_length=200)
    target_date: date


class StrategyBenefitPatch(Schema):
    version: int
    description: str | None = Field(None, min_length=1)
    expected_amount: Amount | None = None
    owner: str | None = Field(None, min_length=1, max_length=200)
    target_date: date | None = None


class StrategyRealisationIn(Schema):
    recorded_on: date = Field(description="Not in the future")
    amount: Amount | None = None
    status: Benefit.Status = Field(description="The benefit takes this status")
    note: str = ""


class StrategyRealisationOut(Schema):
    id: int
    benefit: int = ref("benefit")
    recorded_on: date
    amount: MoneyOut | None
    status: str
    note: str
    benefit_version: int = Field(alias="benefit.version")
