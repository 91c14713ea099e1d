"""Benefits realisation: each municipality's expected benefits of a project, their owners
and the steps of realising them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    coordinator_municipality_ids,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    Benefit,
    BenefitRealisation,
)
from samarbeid.strategy.services.scope import lineage_ids


def can_edit_benefit(user: Any, project: Project, municipality: Municipality) -> bool:
    """The arena's secretariat, or the coordinator of that municipality (or its successor)."""
    if can_edit_arena(user, project.arena):
        return True
    mine = coordinator_municipality_ids(user)
    if not mine:
        return False
    if municipality.pk in mine:
        return True
    for own in Municipality.objects.filter(pk__in=mine):
        if municipality.pk in lineage_ids(own):
            return True
    return False


def editable_benefit_municipalities(user: Any) -> set[int]:
    """The municipalities whose benefits a coordinator records: their own and every
    predecessor (the secretariat's right comes from the arena: `can_edit_benefit`)."""
    ids: set[int] = set()
    for own in Municipality.objects.filter(pk__in=coordinator_municipality_ids(user)):
        ids.update(lineage_ids(own))
    return ids


def benefit_municipalities(project: Project) -> QuerySet[Municipality]:
    """The municipalities a benefit of `project` can be for: those taking part in it (any
    municipality while none has joined yet)."""
    taking_part = Municipality.objects.filter(
        pk__in=project.participations.values("municipality")
    ).order_by("number", "valid_from")
    if taking_part.exists():
        return taking_part
    return Municipality.objects.order_by("number", "valid_from")


def _check_benefit(benefit: Benefit) -> None:
    errors: dict[str, str] = {}
    if not (benefit.owner or "").strip():
        errors["owner"] = _("Oppgi hvem i kommunen som eier gevinsten.")
    if not (benefit.description or "").strip():
        errors["description"] = _("Beskriv den forventede gevinsten.")
    if benefit.target_date is None:
        errors["target_date"] = _("Oppgi når gevinsten skal være tatt ut.")
    if errors:
        raise ValidationError(errors)


def add_benefit(benefit: Benefit, *, actor: Actor, channel: str = Channel.PAGE) -> Benefit:
    require(can_edit_benefit(actor, benefit.project, benefit.municipality))
    _check_benefit(benefit)
    return create_record(benefit, actor=actor, channel=channel)


def update_benefit(
    benefit: Benefit,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Benefit:
    require(can_edit_benefit(actor, benefit.project, benefit.municipality))
    changes = {k: v for k, v in changes.items() if k not in ("project", "municipality")}
    update_record(
        benefit,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_benefit,
    )
    return benefit


def record_realisation(
    realisation: BenefitRealisation, *, actor: Actor, channel: str = Channel.PAGE
) -> BenefitRealisation:
    """A step of realisation: an amount and/or a new status. The benefit takes the status."""
    benefit = realisation.benefit
    require(can_edit_benefit(actor, benefit.project, benefit.municipality))
    errors: dict[str, str] = {}
    if realisation.recorded_on > timezone.localdate():
        errors["recorded_on"] = _("Datoen kan ikke være fram i tid.")
    if realisation.amount is not None and realisation.amount < 0:
        errors["amount"] = _("Beløpet kan ikke være negativt.")
    if realisation.status == Benefit.Status.PLANNED and realisation.amount:
        errors["status"] = _("En gevinst med realisert beløp er ikke lenger bare planlagt.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        create_record(realisation, actor=actor, channel=channel)
        if benefit.status != realisation.status:
            update_record(
                benefit,
                {"status": realisation.status},
                expected_version=None,
                actor=actor,
                channel=channel,
            )
    return realisation


def _benefits_listed(**where: Any) -> list[Benefit]:
    """The benefits `where` selects as the lists of a municipality's and an arena's benefits
    show them: with their project, arena, municipality and realisations, by target date."""
    return list(
        Benefit.objects.filter(**where)
        .select_related("project__arena", "municipality")
        .prefetch_related("realisations")
        .order_by("target_date", "id")
    )


def benefits_for_municipality(municipality: Municipality) -> list[Benefit]:
    return _benefits_listed(municipality_id__in=lineage_ids(municipality))


def benefits_for_arena(arena: Arena) -> list[Benefit]:
    return _benefits_listed(project__arena_id__in=with_sub_arenas([arena.pk]))
