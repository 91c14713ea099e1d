"""API for model comparisons (alternatives, criteria and weights, participants, scores):
open reads, and writes (WRITE_AUTH) for what the comparison pages can do."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AliasChoices, Field

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, deleted, not_null, sent, through, writes
from samarbeid.core.api_forms import api_create, api_update, bind, valid
from samarbeid.core.api_schemas import DeleteVersion, Problem, ref
from samarbeid.core.paging import Pagination
from samarbeid.registry.services import resolve_number
from samarbeid.review.access import find_comparison
from samarbeid.review.forms import (
    AlternativeForm,
    ComparisonCriterionForm,
    ComparisonEditForm,
    ComparisonForm,
    ParticipantForm,
    ScoresForm,
    WeightForm,
)
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposedForm,
    Score,
)
from samarbeid.review.services.comparisons import (
    add_alternative,
    add_criterion,
    add_participant,
    comparison_result,
    create_comparison,
    delete_comparison,
    set_scores,
    set_weight,
    update_comparison,
)

router = Router()


class ComparisonOut(Schema):
    id: int
    title: str
    arena: int | None = ref("arena")
    # the proposal compared for: its id for those who may read it (reads annotate
    # `proposal_shown`, ComparisonQuerySet.with_proposal_readable); a write's answer goes
    # to its writer
    proposal: int | None = Field(
        None, validation_alias=AliasChoices("proposal_shown", "proposal_id", "proposal")
    )
    published: bool = Field(description="Whether the public sees it (internal users see all)")
    is_example_data: bool

    version: int


class AlternativeOut(Schema):
    id: int
    version: int
    name: str
    kind: Alternative.Kind
    form: ProposedForm
    pros: list[str] = Field(alias="pros_list")
    cons: list[str] = Field(alias="cons_list")


class WeightOut(Schema):
    id: int
    version: int
    name: str
    weight: int


class ScoreOut(Schema):
    participant: str = Field(alias="participant.name")
    participant_id: int = Field(
        description="The participant's id, as `PUT …/scores` takes it (an integrator's trial)"
    )
    alternative: int = ref("alternative")
    criterion: int = ref("criterion")
    value: int


class RankOut(Schema):
    alternative: int
    position: int
    total: str = Field(description="Weighted mean score 0–10, two decimals")


class SensitivityOut(Schema):
    criterion: int
    direction: str
    weight: int
    winners: list[int]
    changed: bool


class ComparisonParticipantOut(Schema):
    id: int
    version: int
    name: str
    municipality: str | None = Field(description="Municipality number, when one is set")

    @staticmethod
    def resolve_municipality(participant: ComparisonParticipant) -> str | None:
        return participant.municipality.number if participant.municipality else None


class ComparisonDetailOut(ComparisonOut):
    description: str
    participants: list[str]
    participant_records: list[ComparisonParticipantOut] = Field(
        description="The participants with their ids (to give scores)"
    )
    alternatives: list[AlternativeOut]
    criteria: list[WeightOut]
    scores: list[ScoreOut]
    ranking: list[RankOut]
    sensitivity: list[SensitivityOut]
    robust: bool | None
    missing: list[str]


@router.get("/comparisons", response=list[ComparisonOut], summary="List model comparisons")
@paginate(Pagination)
def list_comparisons(request: HttpRequest) -> QuerySet[ModelComparison]:
    return (
        ModelComparison.objects.visible_to(request.user)
        .with_proposal_readable(request.user)
        .order_by("title", "id")
    )


@router.get(
    "/comparisons/{comparison_id}",
    response={200: ComparisonDetailOut, 404: Problem},
    summary="One model comparison: alternatives, weighted criteria, scores, ranking, sensitivity",
)
def get_comparison(request: HttpRequest, comparison_id: int) -> dict[str, object]:
    return comparison_detail_out(find_comparison(request, comparison_id))


# A criterion of a comparison the caller may see (404); its arena's editors change it.
_criterion = Finder(
    lambda user: ComparisonCriterion.objects.select_related("comparison__arena").filter(
        comparison__in=ModelComparison.objects.visible_to(user)
    ),
    through("comparison.arena", can_edit_arena),
)


def _scores(comparison: ModelComparison) -> QuerySet[Score]:
    return Score.objects.filter(alternative__comparison=comparison).select_related("participant")


def comparison_detail_out(comparison: ModelComparison) -> dict[str, object]:
    result = comparison_result(comparison)
    participants = list(comparison.participants.select_related("municipality"))
    data: dict[str, object] = ComparisonOut.from_orm(comparison).dict()
    data.update(
        {
            "description": comparison.description,
            "participants": [p.name for p in participants],
            "participant_records": participants,
            "alternatives": comparison.alternatives.all(),
            "criteria": comparison.criteria.all(),
            "scores": _scores(comparison),
            "ranking": [
                {
                    "alternative": r.alternative.pk,
                    "position": r.position,
                    "total": f"{float(r.total):.2f}",
                }
                for r in result.ranking
            ],
            "sensitivity": [
                {
                    "criterion": s.criterion.pk,
                    "direction": "up" if s.direction == "+10" else "down",
                    "weight": s.weight,
                    "winners": [w.pk for w in s.winners],
                    "changed": s.changed,
                }
                for s in result.sensitivity
            ],
            "robust": result.robust,
            "missing": result.missing,
        }
    )
    return data


# --- writes (see the package's docstring) ---


class ModelComparisonIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    arena: int | None = None
    proposal: int | None = Field(None, description="The cooperation proposal it compares for")
    published: bool = True


@router.post(
    "/comparisons",
    **writes(201, ComparisonDetailOut),
    summary="Start a comparison of models",
)
def post_comparison(request: HttpRequest, payload: ModelComparisonIn) -> Status[dict[str, object]]:
    form = bind(ComparisonForm, payload.dict())
    # the page's choices, limited to what the caller may see
    form.fields["arena"].queryset = Arena.objects.visible_to(request.user)  # type: ignore[attr-defined]
    form.fields["proposal"].queryset = CooperationProposal.objects.visible_to(request.user)  # type: ignore[attr-defined]
    return Status(201, comparison_detail_out(api_create(request, form, create_comparison)))


class ModelComparisonPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    published: bool | None = Field(None, description="Publish it, or make it internal again")


@router.patch(
    "/comparisons/{comparison_id}",
    **writes(200, ComparisonDetailOut),
    summary="Correct a comparison's title or description, or publish it (with the version read)",
)
def patch_comparison(
    request: HttpRequest, comparison_id: int, payload: ModelComparisonPatch
) -> dict[str, object]:
    comparison = find_comparison(request, comparison_id, change=True)
    data = sent(payload)
    not_null(data, {"title", "description", "published"})
    form = bind(ComparisonEditForm, data, instance=comparison)
    api_update(request, form, update_comparison, version=payload.version)
    return comparison_detail_out(find_comparison(request, comparison.pk))


@router.delete(
    "/comparisons/{comparison_id}",
    **writes(204, None),
    summary="Delete a comparison not in use",
    description="Refused (422, saying why) once scores are given. Its alternatives, criteria "
    "and participants go with it. Send the `version` you read.",
)
def delete_model_comparison(
    request: HttpRequest, comparison_id: int, version: DeleteVersion
) -> Status[None]:
    comparison = find_comparison(request, comparison_id, change=True)
    return deleted(request, comparison, delete_comparison, version)


class ComparisonAlternativeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Alternative.Kind = Alternative.Kind.OTHER
    form: ProposedForm = Field(
        ProposedForm.UNDECIDED, description="The legal form (needed when kind is legal_form)"
    )
    pros: str = Field("", description="One per line")
    cons: str = Field("", description="One per line")


@router.post(
    "/comparisons/{comparison_id}/alternatives",
    **writes(201, AlternativeOut),
    summary="Add an alternative to a comparison",
    description="A legal form that the proposal's needs rule out is refused, with the reason.",
)
def post_alternative(
    request: HttpRequest, comparison_id: int, payload: ComparisonAlternativeIn
) -> Status[Alternative]:
    comparison = find_comparison(request, comparison_id, change=True)
    form = bind(AlternativeForm, payload.dict())
    alternative = api_create(request, form, add_alternative, comparison=comparison)
    return Status(201, alternative)


class ComparisonCriterionIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    weight: int = Field(description="0–100")


@router.post(
    "/comparisons/{comparison_id}/criteria",
    **writes(201, WeightOut),
    summary="Add a weighted criterion to a comparison",
)
def post_comparison_criterion(
    request: HttpRequest, comparison_id: int, payload: ComparisonCriterionIn
) -> Status[ComparisonCriterion]:
    comparison = find_comparison(request, comparison_id, change=True)
    form = bind(ComparisonCriterionForm, payload.dict())
    return Status(201, api_create(request, form, add_criterion, comparison=comparison))


class ComparisonParticipantIn(Schema):
    name: str = Field(min_length=1, max_length=200, description="A participant or a group")
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Municipality number")


@router.post(
    "/comparisons/{comparison_id}/participants",
    **writes(201, ComparisonParticipantOut),
    summary="Add a participant (or a group) who gives scores",
)
def post_participant(
    request: HttpRequest, comparison_id: int, payload: ComparisonParticipantIn
) -> Status[ComparisonParticipant]:
    comparison = find_comparison(request, comparison_id, change=True)
    values: dict[str, object] = {"name": payload.name, "municipality": None}
    if payload.municipality is not None:
        municipality = resolve_number(payload.municipality)
        if municipality is None:
            raise ValidationError(
                {"municipality": _("Ukjent kommunenummer: %(n)s.") % {"n": payload.municipality}}
            )
        values["municipality"] = municipality.pk
    form = bind(ParticipantForm, values)
    participant = api_create(request, form, add_participant, comparison=comparison)
    return Status(201, participant)


class ComparisonScoreIn(Schema):
    alternative: int
    criterion: int
    value: int = Field(description="0–10")


class ComparisonScoresIn(Schema):
    participant: int = Field(description="The participant's id (see participant_records)")
    scores: list[ComparisonScoreIn] = Field(min_length=1)


@router.put(
    "/comparisons/{comparison_id}/scores",
    **writes(200, ComparisonDetailOut),
    summary="Set one participant's scores (0–10) for alternatives on criteria",
    description="All or none: the scores given are set (cells not given keep theirs). "
    "Answers the comparison with its ranking.",
)
def put_scores(
    request: HttpRequest, comparison_id: int, payload: ComparisonScoresIn
) -> dict[str, object]:
    comparison = find_comparison(request, comparison_id, change=True)
    participants = list(comparison.participants.all())
    alternatives = {a.pk: a for a in comparison.alternatives.all()}
    criteria = {c.pk: c for c in comparison.criteria.all()}
    values: dict[str, object] = {"participant": str(payload.participant)}
    place: dict[str, str] = {}  # the page's field for a cell → its place in the payload
    for n, score in enumerate(payload.scores):
        if score.alternative not in alternatives:
            raise ValidationError(
                {
                    f"scores.{n}.alternative": _(
                        "Alternativet hører ikke til sammenligningen «%(c)s»."
                    )
                    % {"c": comparison.title}
                }
            )
        if score.criterion not in criteria:
            raise ValidationError(
                {
                    f"scores.{n}.criterion": _("Kriteriet hører ikke til sammenligningen «%(c)s».")
                    % {"c": comparison.title}
                }
            )
        name = f"s_{score.alternative}_{score.criterion}"
        values[name] = score.value
        place[name] = f"scores.{n}.value"
    form = bind(
        ScoresForm,
        values,
        participants=participants,
        alternatives=list(alternatives.values()),
        criteria=list(criteria.values()),
    )
    try:
        valid(form)
    except ValidationError as exc:
        raise ValidationError(
            {place.get(name, name): messages for name, messages in exc.message_dict.items()}
        ) from exc
    participant = next(p for p in participants if str(p.pk) == form.cleaned_data["participant"])
    cells = [
        (place[name], alternative, criterion, form.cleaned_data[name])
        for alternative, criterion, name in form.cells
        if name in place
    ]
    set_scores(comparison, participant, cells, actor=request.user, channel=Channel.API)
    return comparison_detail_out(comparison)


class ComparisonWeightPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    weight: int = Field(description="0–100")


@router.patch(
    "/comparison-criteria/{criterion_id}",
    **writes(200, WeightOut),
    summary="Change a comparison criterion's weight (with the version read)",
)
def patch_comparison_criterion(
    request: HttpRequest, criterion_id: int, payload: ComparisonWeightPatch
) -> ComparisonCriterion:
    criterion = _criterion(request, criterion_id, change=True)
    form = valid(bind(WeightForm, payload.dict()))
    set_weight(
        criterion,
        form.cleaned_data["weight"],
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return criterion


# --- reads of a comparison's parts ---


@router.get(
    "/comparisons/{comparison_id}/alternatives",
    response={200: list[AlternativeOut], 404: Problem},
    summary="A comparison's alternatives",
)
def list_alternatives(request: HttpRequest, comparison_id: int) -> QuerySet[Alternative]:
    return find_comparison(request, comparison_id).alternatives.all()


@router.get(
    "/comparisons/{comparison_id}/criteria",
    response={200: list[WeightOut], 404: Problem},
    summary="A comparison's criteria with their weights",
)
def list_comparison_criteria(
    request: HttpRequest, comparison_id: int
) -> QuerySet[ComparisonCriterion]:
    return find_comparison(request, comparison_id).criteria.all()


@router.get(
    "/comparisons/{comparison_id}/participants",
    response={200: list[ComparisonParticipantOut], 404: Problem},
    summary="The participants (and groups) who give a comparison's scores",
)
def list_participants(request: HttpRequest, comparison_id: int) -> QuerySet[ComparisonParticipant]:
    comparison = find_comparison(request, comparison_id)
    return comparison.participants.select_related("municipality")


@router.get(
    "/comparisons/{comparison_id}/scores",
    response={200: list[ScoreOut], 404: Problem},
    summary="Every participant's scores (0–10) for the alternatives on the criteria",
)
def list_scores(request: HttpRequest, comparison_id: int) -> QuerySet[Score]:
    return _scores(find_comparison(request, comparison_id))


@router.get(
    "/comparison-criteria/{criterion_id}",
    response={200: WeightOut, 404: Problem},
    summary="One criterion of a comparison, with its weight",
)
def get_comparison_criterion(request: HttpRequest, criterion_id: int) -> ComparisonCriterion:
    return _criterion(request, criterion_id)
