"""Cooperation proposals and their eight criteria, from draft to ready for decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record, writable
from samarbeid.lib import legal_forms
from samarbeid.planning.models import CooperationNeed
from samarbeid.review.models import (
    CooperationProposal,
    Criterion,
    ProposalCriterion,
    ProposalNeed,
)


def _check_proposal(proposal: CooperationProposal) -> None:
    errors: dict[str, str] = {}
    if not proposal.title.strip():
        errors["title"] = _("Skriv en tittel.")
    if not proposal.need.strip():
        errors["need"] = _("Beskriv behovet samarbeidet skal dekke.")
    if proposal.partners_asked_on and proposal.partners_asked_on > timezone.localdate():
        errors["partners_asked_on"] = _("Datoen kan ikke være fram i tid.")
    if proposal.partners_asked_on and not proposal.partners_asked.strip():
        errors["partners_asked"] = _("Skriv hvem som ble spurt.")
    unknown = [n for n in proposal.needs or [] if n not in {x.value for x in legal_forms.Need}]
    if unknown:
        errors["needs"] = _("Ukjent krav: %(n)s.") % {"n": ", ".join(map(str, unknown))}
    if errors:
        raise ValidationError(errors)


def create_proposal(
    proposal: CooperationProposal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    planning_needs: Iterable[CooperationNeed] = (),
) -> CooperationProposal:
    """Register a cooperation proposal (the secretariat may; of its arena when one is set)
    with the eight criteria of seed 002, all open, linked to the `planning_needs` of
    municipalities' planning strategies it starts from. Always starts as a draft."""
    require(can_edit_arena(actor, proposal.arena))
    proposal.status = CooperationProposal.Status.DRAFT
    proposal.ready_on = None
    _check_proposal(proposal)
    with transaction.atomic():
        create_record(proposal, actor=actor, channel=channel)
        for key in Criterion.values:
            create_record(
                ProposalCriterion(proposal=proposal, key=key), actor=actor, channel=channel
            )
        _link_needs(proposal, planning_needs, actor=actor, channel=channel)
    return proposal


def _link_needs(
    proposal: CooperationProposal,
    needs: Iterable[CooperationNeed],
    *,
    actor: Actor,
    channel: str,
) -> None:
    """Make the proposal's links to planning needs exactly `needs`: each link made or
    removed is a record of its own in the audit trail."""
    wanted = {need.pk: need for need in needs}
    for link in proposal.need_links.all():
        if link.need_id not in wanted:
            delete_record(link, actor=actor, channel=channel)
        wanted.pop(link.need_id, None)
    for need in wanted.values():
        create_record(ProposalNeed(proposal=proposal, need=need), actor=actor, channel=channel)


def update_proposal(
    proposal: CooperationProposal,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> CooperationProposal:
    require(can_edit_arena(actor, proposal.arena))
    if "arena" in changes:
        require(can_edit_arena(actor, changes["arena"]))
    blocked = {"status", "ready_on", "override_reason", "planning_needs"}
    relinked = "planning_needs" in changes and {
        need.pk for need in changes["planning_needs"]
    } != set(proposal.need_links.values_list("need_id", flat=True))
    with transaction.atomic():
        update_record(
            proposal,
            writable(changes, blocked),
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=_check_proposal,
            touched=relinked,  # a change of the needs alone is a new version too
        )
        if "planning_needs" in changes:
            _link_needs(proposal, changes["planning_needs"], actor=actor, channel=channel)
    return proposal


def _check_criterion(criterion: ProposalCriterion) -> None:
    if criterion.state == ProposalCriterion.State.MET and not criterion.evidence.strip():
        raise ValidationError(
            {
                "evidence": _(
                    "Et oppfylt kriterium må ha dokumentasjon (hva viser at det er oppfylt?)."
                )
            }
        )


def update_criterion(
    criterion: ProposalCriterion,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ProposalCriterion:
    require(can_edit_arena(actor, criterion.proposal.arena))
    if criterion.proposal.status != CooperationProposal.Status.DRAFT:
        raise ValidationError(_("Forslaget er ikke under arbeid; kriteriene er låst."))
    update_record(
        criterion,
        {k: v for k, v in changes.items() if k in ("state", "evidence")},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_criterion,
    )
    return criterion


def mark_ready(
    proposal: CooperationProposal,
    *,
    override_reason: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> CooperationProposal:
    """Mark a proposal ready for decision. Refused while a criterion is open, unless the
    secretariat overrides it with a reason."""
    require(can_edit_arena(actor, proposal.arena))
    if proposal.status != CooperationProposal.Status.DRAFT:
        raise ValidationError(
            {"status": _("Bare forslag under arbeid kan meldes klare til vedtak.")}
        )
    open_criteria = [
        str(c.get_key_display())
        for c in proposal.criteria.all()
        if c.state == ProposalCriterion.State.OPEN
    ]
    if open_criteria and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "Forslaget har åpne kriterier: %(c)s. Oppfyll eller begynn på dem, eller "
                    "skriv hvorfor sekretariatet likevel sender forslaget til vedtak."
                )
                % {"c": "; ".join(open_criteria)}
            }
        )
    update_record(
        proposal,
        {
            "status": CooperationProposal.Status.READY,
            "ready_on": timezone.localdate(),
            "override_reason": override_reason.strip() if open_criteria else "",
        },
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return proposal


def reopen_proposal(
    proposal: CooperationProposal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> CooperationProposal:
    require(can_edit_arena(actor, proposal.arena))
    if proposal.status != CooperationProposal.Status.READY:
        raise ValidationError(
            {"status": _("Bare forslag som er klare til vedtak kan åpnes igjen.")}
        )
    update_record(
        proposal,
        {"status": CooperationProposal.Status.DRAFT, "ready_on": None, "override_reason": ""},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return proposal
