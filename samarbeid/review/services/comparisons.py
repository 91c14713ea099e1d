"""Model comparison: alternatives, weighted criteria, participants' scores and the ranking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.lib import comparison as cmp
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    ModelComparison,
    Score,
)
from samarbeid.review.services.advisor import FormAdvice, advise


def create_comparison(
    comparison: ModelComparison, *, actor: Actor, channel: str = Channel.PAGE
) -> ModelComparison:
    require(can_edit_arena(actor, comparison.arena))
    if comparison.proposal is not None:
        require(can_edit_arena(actor, comparison.proposal.arena))
    if comparison.scale_max != cmp.MAX_SCORE:
        raise ValidationError({"scale_max": _("Poengskalaen er 0–10.")})
    return create_record(comparison, actor=actor, channel=channel)


# what a comparison's edit page and `PATCH /comparisons/{id}` change
COMPARISON_FIELDS = ("title", "description", "published")


def _check_comparison(comparison: ModelComparison) -> None:
    if not comparison.title.strip():
        raise ValidationError({"title": _("Skriv en tittel.")})


def update_comparison(
    comparison: ModelComparison,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ModelComparison:
    """Correct a comparison's title or description, or publish it (or make it internal
    again). Its arena's secretariat may."""
    require(can_edit_arena(actor, comparison.arena))
    return update_record(
        comparison,
        {k: v for k, v in changes.items() if k in COMPARISON_FIELDS},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_comparison,
    )


def comparison_delete_refusal(comparison: ModelComparison) -> str | None:
    """Why the comparison cannot be deleted (None: it can): it is in use, scores are given.
    The delete page says it before a button is offered; `delete_comparison` refuses with it."""
    if Score.objects.filter(alternative__comparison=comparison).exists():
        return _(
            "Sammenligningen er tatt i bruk og kan ikke slettes: deltakerne har gitt poeng. "
            "Den kan gjøres intern under «Endre»."
        )
    return None


def delete_comparison(
    comparison: ModelComparison,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a comparison not in use (`comparison_delete_refusal`), with its alternatives,
    criteria and participants (each with its audit entry). A comparison changed since it
    was read is not deleted (VersionConflict)."""
    require(can_edit_arena(actor, comparison.arena))
    with transaction.atomic():
        locked = ModelComparison.objects.select_for_update().order_by("pk").get(pk=comparison.pk)
        refusal = comparison_delete_refusal(locked)
        if refusal is not None:
            raise ValidationError(refusal)
        for parts in (locked.criteria, locked.participants, locked.alternatives):
            for part in parts.order_by("pk"):
                delete_record(part, actor=actor, channel=channel)
        delete_record(comparison, actor=actor, channel=channel, expected_version=expected_version)


def add_alternative(
    alternative: Alternative, *, actor: Actor, channel: str = Channel.PAGE
) -> Alternative:
    require(can_edit_arena(actor, alternative.comparison.arena))
    if alternative.kind == Alternative.Kind.LEGAL_FORM and not alternative.form:
        raise ValidationError({"form": _("Velg organisasjonsformen alternativet gjelder.")})
    if alternative.form:
        advice = {a.form.code: a for a in _comparison_advice(alternative.comparison)}
        found = advice.get(alternative.form)
        if found is not None and not found.suitable:
            raise ValidationError(
                {
                    "form": _("%(f)s er utelukket for dette forslaget: %(r)s.")
                    % {"f": found.form.name_nb, "r": "; ".join(found.reasons)}
                }
            )
    if alternative.comparison.alternatives.filter(name=alternative.name).exists():
        raise ValidationError({"name": _("Et alternativ med dette navnet finnes allerede.")})
    return create_record(alternative, actor=actor, channel=channel)


def _comparison_advice(comparison: ModelComparison) -> list[FormAdvice]:
    proposal = comparison.proposal
    return advise(proposal.needs if proposal else [])


def update_alternative(
    alternative: Alternative,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Alternative:
    require(can_edit_arena(actor, alternative.comparison.arena))
    update_record(
        alternative,
        {k: v for k, v in changes.items() if k in ("name", "pros", "cons")},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return alternative


def _check_weight(weight: Any) -> None:
    if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
        raise ValidationError({"weight": _("Vekten må være et helt tall fra 0 til 100.")})


def add_criterion(
    criterion: ComparisonCriterion, *, actor: Actor, channel: str = Channel.PAGE
) -> ComparisonCriterion:
    require(can_edit_arena(actor, criterion.comparison.arena))
    _check_weight(criterion.weight)
    if criterion.comparison.criteria.filter(name=criterion.name).exists():
        raise ValidationError({"name": _("Et kriterium med dette navnet finnes allerede.")})
    return create_record(criterion, actor=actor, channel=channel)


def set_weight(
    criterion: ComparisonCriterion,
    weight: int,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ComparisonCriterion:
    require(can_edit_arena(actor, criterion.comparison.arena))
    _check_weight(weight)
    update_record(
        criterion,
        {"weight": weight},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return criterion


def add_participant(
    participant: ComparisonParticipant, *, actor: Actor, channel: str = Channel.PAGE
) -> ComparisonParticipant:
    require(can_edit_arena(actor, participant.comparison.arena))
    if participant.comparison.participants.filter(name=participant.name).exists():
        raise ValidationError({"name": _("En deltaker med dette navnet finnes allerede.")})
    return create_record(participant, actor=actor, channel=channel)


def set_score(
    alternative: Alternative,
    criterion: ComparisonCriterion,
    participant: ComparisonParticipant,
    value: int,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    is_example_data: bool = False,
) -> Score:
    """Record (or change) one participant's score 0–10 for an alternative on a criterion.
    A score from someone not in the comparison, or for an alternative or criterion of
    another comparison, is refused."""
    comparison = alternative.comparison
    require(can_edit_arena(actor, comparison.arena))
    errors: dict[str, str] = {}
    if participant.comparison_id != comparison.pk:
        errors["participant"] = _("%(p)s er ikke deltaker i sammenligningen «%(c)s».") % {
            "p": participant,
            "c": comparison,
        }
    if criterion.comparison_id != comparison.pk:
        errors["criterion"] = _("Kriteriet hører ikke til sammenligningen «%(c)s».") % {
            "c": comparison
        }
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= cmp.MAX_SCORE:
        errors["value"] = _("Poengene må være et helt tall fra 0 til %(m)d.") % {"m": cmp.MAX_SCORE}
    if errors:
        raise ValidationError(errors)
    existing = Score.objects.filter(
        alternative=alternative, criterion=criterion, participant=participant
    ).first()
    if existing is not None:
        update_record(
            existing, {"value": value}, expected_version=None, actor=actor, channel=channel
        )
        return existing
    return create_record(
        Score(
            alternative=alternative,
            criterion=criterion,
            participant=participant,
            value=value,
            is_example_data=is_example_data,
        ),
        actor=actor,
        channel=channel,
    )


def set_scores(
    comparison: ModelComparison,
    participant: ComparisonParticipant,
    cells: Iterable[tuple[str, Alternative, ComparisonCriterion, int]],
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> list[Score]:
    """Record one participant's scores, all or none. Each cell is (key, alternative,
    criterion, value); a refused cell's message is keyed by its `key` (the form field, or
    the position in the API body)."""
    require(can_edit_arena(actor, comparison.arena))
    if participant.comparison_id != comparison.pk:
        raise ValidationError(
            {
                "participant": _("%(p)s er ikke deltaker i sammenligningen «%(c)s».")
                % {"p": participant, "c": comparison}
            }
        )
    saved: list[Score] = []
    with transaction.atomic():
        # the comparison's row first, as delete_comparison takes it: scores given while it is
        # deleted wait for the deletion, then are refused here (not a foreign-key error)
        if not ModelComparison.objects.select_for_update().filter(pk=comparison.pk).exists():
            raise ValidationError(_("Sammenligningen «%(c)s» er slettet.") % {"c": comparison})
        for key, alternative, criterion, value in cells:
            if alternative.comparison_id != comparison.pk:
                raise ValidationError(
                    {
                        key: _("Alternativet hører ikke til sammenligningen «%(c)s».")
                        % {"c": comparison}
                    }
                )
            try:
                saved.append(
                    set_score(
                        alternative, criterion, participant, value, actor=actor, channel=channel
                    )
                )
            except ValidationError as exc:
                raise ValidationError({key: exc.messages}) from exc
    return saved


def _rounded(total: Fraction) -> Decimal:
    exact = Decimal(total.numerator) / Decimal(total.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class RankRow:
    alternative: Alternative
    total: Fraction
    position: int

    @property
    def total_rounded(self) -> Decimal:
        """Exact, half up as every figure in the product: 7,225 reads 7,23 (a float 7,22)."""
        return _rounded(self.total)

    @property
    def total_display(self) -> str:
        return f"{_rounded(self.total)}".replace(".", ",")


@dataclass
class SensitivityRow:
    criterion: ComparisonCriterion
    direction: str
    weight: int
    winners: list[Alternative]
    changed: bool


@dataclass
class ComparisonResult:
    ranking: list[RankRow]
    sensitivity: list[SensitivityRow]
    robust: bool | None
    missing: list[str]
    means: dict[tuple[int, int], str]


def comparison_result(comparison: ModelComparison) -> ComparisonResult:
    """The ranking and its sensitivity (each weight ±10 points), or what is missing for it."""
    alternatives = list(comparison.alternatives.all())
    criteria = list(comparison.criteria.all())
    scores = list(Score.objects.filter(alternative__comparison=comparison))
    by_alt = {str(a.pk): a for a in alternatives}
    by_crit = {str(c.pk): c for c in criteria}
    missing: list[str] = []
    if not alternatives:
        missing.append(str(_("Legg til alternativer.")))
    if not criteria:
        missing.append(str(_("Legg til kriterier.")))
    elif not any(c.weight for c in criteria):
        missing.append(str(_("Minst ett kriterium må ha vekt over 0.")))
    scored = {(s.alternative_id, s.criterion_id) for s in scores}
    for alternative in alternatives:
        for criterion in criteria:
            if (alternative.pk, criterion.pk) not in scored:
                missing.append(
                    _("Ingen poeng for «%(a)s» på «%(c)s».")
                    % {"a": alternative.name, "c": criterion.name}
                )
    if missing:
        return ComparisonResult([], [], None, missing, {})
    keys = list(by_alt)
    lib_criteria = [cmp.Criterion(str(c.pk), c.weight) for c in criteria]
    lib_scores = {
        (str(s.participant_id), str(s.alternative_id), str(s.criterion_id)): s.value for s in scores
    }
    means = cmp.mean_scores(keys, lib_criteria, lib_scores)
    ranked = cmp.rank(keys, lib_criteria, lib_scores)
    cases = cmp.sensitivity(keys, lib_criteria, lib_scores, delta=10)
    return ComparisonResult(
        ranking=[RankRow(by_alt[r.alternative], r.total, r.position) for r in ranked],
        sensitivity=[
            SensitivityRow(
                by_crit[c.criterion],
                str(_("+10")) if c.direction == cmp.Direction.UP else str(_("−10")),
                c.weight,
                [by_alt[w] for w in c.new_winners],
                c.changed,
            )
            for c in cases
        ],
        robust=not any(c.changed for c in cases),
        missing=[],
        means={
            (int(a), int(c)): f"{float(v):.1f}".replace(".", ",") for (a, c), v in means.items()
        },
    )
