"""Permission-matrix rows for the review (see samarbeid/tests/matrix.py).

Review rounds, cooperation proposals and model comparisons are the secretariat's work
(`can_edit_arena`: the secretariat of the arena concerned); a municipality coordinator has
no part in them, however much the arena concerns their municipality. So every write is
the secretariat's alone, and the records are built on the world's arena (Larvik a member)
to show that even Larvik's coordinator is refused."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.urls import reverse

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposalCriterion,
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.comparisons import (
    create_comparison,
    set_score,
)
from samarbeid.review.services.proposals import create_proposal, mark_ready
from samarbeid.review.services.rounds import confirm_round, update_item
from samarbeid.review.tests.api_helpers import add_parts, new_round
from samarbeid.review.tests.round_item_rows import ROUND_ITEM_API_ROWS, ROUND_ITEM_FORM_ROWS
from samarbeid.tests.matrix import (
    PERSONAS,
    ApiRow,
    FormRow,
    World,
    delete_row,
    form_on,
    form_row,
    post_row,
    row,
    versioned_form,
    versioned_row,
)

OPENED = date(2025, 1, 1)
MEETING = date(2025, 2, 1)


def _secretariat(world: World) -> Any:
    return world.users["secretariat"]


def _other_arena() -> Arena:
    return cast(Arena, ArenaFactory(name="Annen arena", short_name="ANNEN"))


def _round(world: World, *, recommended: bool = False) -> ReviewRound:
    """A review of the world's arena with one sub-arena as its item."""
    ArenaFactory(name="Underforum", short_name="UNDER", parent=world.arena)
    review = new_round(
        world.arena, _secretariat(world), published=True, include_projects=False, opened=OPENED
    )
    if recommended:
        for item in review.items.all():
            update_item(
                item,
                {"recommendation": ReviewItem.Recommendation.CONTINUE},
                expected_version=item.version,
                actor=_secretariat(world),
            )
    return review


def _recommended_round(world: World) -> ReviewRound:
    """The review with a recommendation for its item: ready to confirm."""
    return _round(world, recommended=True)


def _confirmed_round(world: World) -> ReviewRound:
    review = _recommended_round(world)
    confirm_round(review, meeting_date=MEETING, actor=_secretariat(world))
    review.refresh_from_db()
    return review


def _item(world: World) -> ReviewItem:
    return _round(world).items.get()  # type: ignore[no-any-return]


def _proposal(world: World, *, ready: bool = False) -> CooperationProposal:
    proposal = create_proposal(
        CooperationProposal(title="Felles innkjøp", need="Bedre avtaler", arena=world.arena),
        actor=_secretariat(world),
    )
    if ready:
        mark_ready(proposal, override_reason="Haster", actor=_secretariat(world))
        proposal.refresh_from_db()
    return proposal


def _ready_proposal(world: World) -> CooperationProposal:
    return _proposal(world, ready=True)


def _criterion(world: World) -> ProposalCriterion:
    return _proposal(world).criteria.get(key="know_why")


def _comparison(world: World) -> ModelComparison:
    return create_comparison(
        ModelComparison(title="Modeller", arena=world.arena), actor=_secretariat(world)
    )


def _scoring(
    world: World,
) -> tuple[ModelComparison, Alternative, ComparisonCriterion, ComparisonParticipant]:
    comparison = _comparison(world)
    parts = add_parts(
        comparison,
        _secretariat(world),
        alternatives=["Fortsette forsøket"],
        criteria=[("Økonomi", 50)],
        participants=[("Larvik", world.larvik)],
    )
    [alternative], [criterion], [participant] = (
        parts.alternatives,
        parts.criteria,
        parts.participants,
    )
    return comparison, alternative, criterion, participant


def _scored_comparison(world: World) -> ModelComparison:
    """A comparison with one score given: in use."""
    comparison, alternative, criterion, participant = _scoring(world)
    set_score(alternative, criterion, participant, 7, actor=_secretariat(world))
    return comparison


def _scored_criterion(world: World) -> ComparisonCriterion:
    """The criterion of a comparison with one score given."""
    return _scoring(world)[2]


def _post_review(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/reviews", {
        "title": "Rydding",
        "arena": world.arena.pk,
        "primary_task": "Arbeidsgiverrollen",
        "opened": "2025-01-01",
    }


def _post_item(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/reviews/{_round(world).pk}/items", {"arena": _other_arena().pk}


def _transfer_item_to_other(world: World) -> tuple[str, dict[str, Any]]:
    """Recommend moving the sub-arena to another arena (outside the one-arena secretariat)."""
    item = _item(world)
    return f"/api/v1/review-items/{item.pk}", {
        "version": item.version,
        "recommendation": "transfer",
        "target_arena": world.other_arena().pk,
        "reason": "Passer bedre der",
    }


def _comparison_for_other_proposal(world: World) -> tuple[str, dict[str, Any]]:
    proposal = create_proposal(
        CooperationProposal(title="12Ks forslag", need="Behov", arena=world.other_arena()),
        actor=_secretariat(world),
    )
    return "/api/v1/comparisons", {
        "title": "Modeller",
        "arena": world.arena.pk,
        "proposal": proposal.pk,
    }


def _post_proposal(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/proposals", {
        "title": "Felles innkjøp",
        "need": "Bedre avtaler",
        "arena": world.arena.pk,
        "needs": ["produce_services"],
    }


def _post_comparison(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/comparisons", {"title": "Modeller", "arena": world.arena.pk}


def _put_scores(world: World) -> tuple[str, dict[str, Any]]:
    comparison, alternative, criterion, participant = _scoring(world)
    return f"/api/v1/comparisons/{comparison.pk}/scores", {
        "participant": participant.pk,
        "scores": [{"alternative": alternative.pk, "criterion": criterion.pk, "value": 7}],
    }


API_ROWS = [
    *ROUND_ITEM_API_ROWS,
    ApiRow("POST", "/api/v1/reviews", row(secretariat=201), _post_review),
    # the item is another arena: the one-arena secretariat may not pull it into its review
    ApiRow(
        "POST",
        "/api/v1/reviews/{review_id}/items",
        row(secretariat=201, arena_secretariat=403),
        _post_item,
    ),
    versioned_row(
        "PATCH",
        "/api/v1/review-items/{item_id}",
        row(secretariat=200),
        _item,
        serves_primary_task="yes",
        recommendation="continue",
    ),
    versioned_row(
        "POST",
        "/api/v1/reviews/{review_id}/confirm",
        row(secretariat=200),
        _recommended_round,
        meeting_date=MEETING.isoformat(),
    ),
    versioned_row(
        "POST", "/api/v1/reviews/{review_id}/apply", row(secretariat=200), _confirmed_round
    ),
    versioned_row(
        "PATCH", "/api/v1/reviews/{review_id}", row(secretariat=200), _round, title="Rydding 2025"
    ),
    # a decided round can still be published (or made internal)
    versioned_row(
        "PATCH",
        "/api/v1/reviews/{review_id}",
        row(secretariat=200),
        _confirmed_round,
        published=False,
    ),
    versioned_row(
        "PATCH",
        "/api/v1/comparisons/{comparison_id}",
        row(secretariat=200),
        _comparison,
        title="Modeller 2025",
        published=False,
    ),
    delete_row("/api/v1/reviews/{review_id}", row(secretariat=204), _round),
    # decided: the decision builds on it (refused, saying why)
    delete_row("/api/v1/reviews/{review_id}", row(secretariat=422), _confirmed_round),
    delete_row("/api/v1/comparisons/{comparison_id}", row(secretariat=204), _comparison),
    # scores given: in use (refused, saying why)
    delete_row(
        "/api/v1/comparisons/{comparison_id}",
        row(secretariat=422),
        _scored_comparison,
    ),
    ApiRow("POST", "/api/v1/proposals", row(secretariat=201), _post_proposal),
    versioned_row(
        "PATCH", "/api/v1/proposals/{proposal_id}", row(secretariat=200), _proposal, mandate="Nytt"
    ),
    versioned_row(
        "POST",
        "/api/v1/proposals/{proposal_id}/ready",
        row(secretariat=200),
        _proposal,
        override_reason="Haster",
    ),
    versioned_row(
        "POST", "/api/v1/proposals/{proposal_id}/reopen", row(secretariat=200), _ready_proposal
    ),
    versioned_row(
        "PATCH",
        "/api/v1/proposal-criteria/{criterion_id}",
        row(secretariat=200),
        _criterion,
        state="in_progress",
    ),
    ApiRow("POST", "/api/v1/comparisons", row(secretariat=201), _post_comparison),
    ApiRow(
        "POST",
        "/api/v1/comparisons",
        row(secretariat=201, arena_secretariat=403),
        _comparison_for_other_proposal,
    ),
    ApiRow(
        "PATCH",
        "/api/v1/review-items/{item_id}",
        row(secretariat=200, arena_secretariat=403),
        _transfer_item_to_other,
    ),
    post_row(
        "/api/v1/comparisons/{comparison_id}/alternatives",
        row(secretariat=201),
        _comparison,
        name="Vertskommune",
        kind="legal_form",
        form="host_admin",
        pros="Enkelt\nRimelig",
    ),
    post_row(
        "/api/v1/comparisons/{comparison_id}/criteria",
        row(secretariat=201),
        _comparison,
        name="Økonomi",
        weight=40,
    ),
    post_row(
        "/api/v1/comparisons/{comparison_id}/participants",
        row(secretariat=201),
        _comparison,
        name="Larvik",
        municipality="3909",
    ),
    ApiRow("PUT", "/api/v1/comparisons/{comparison_id}/scores", row(secretariat=200), _put_scores),
    versioned_row(
        "PATCH",
        "/api/v1/comparison-criteria/{criterion_id}",
        row(secretariat=200),
        _scored_criterion,
        weight=60,
    ),
]


# --- reads (open: every persona sees the published records) ---

EVERYONE_READS = dict.fromkeys(PERSONAS, 200)


def _round_items(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/reviews/{_round(world).pk}/items", {}


def _one_item(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/review-items/{_item(world).pk}", {}


def _proposal_criteria(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/proposals/{_proposal(world).pk}/criteria", {}


def _one_proposal_criterion(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/proposal-criteria/{_criterion(world).pk}", {}


def _comparison_part(part: str) -> Any:
    def build(world: World) -> tuple[str, dict[str, Any]]:
        comparison, *_parts = _scoring(world)
        return f"/api/v1/comparisons/{comparison.pk}/{part}", {}

    return build


def _one_comparison_criterion(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/comparison-criteria/{_scored_criterion(world).pk}", {}


# unpublished: only those with a role (every persona but the public) see it
HIDDEN_READS = EVERYONE_READS | {"public": 404}


def _hidden_proposal_criteria(world: World) -> tuple[str, dict[str, Any]]:
    proposal = create_proposal(
        CooperationProposal(
            title="Utkast", need="Bedre avtaler", arena=world.arena, published=False
        ),
        actor=_secretariat(world),
    )
    return f"/api/v1/proposals/{proposal.pk}/criteria", {}


def _hidden_round_items(world: World) -> tuple[str, dict[str, Any]]:
    ArenaFactory(name="Underforum", short_name="UNDER", parent=world.arena)
    review = new_round(
        world.arena, _secretariat(world), include_projects=False, title="Utkast", opened=OPENED
    )
    return f"/api/v1/reviews/{review.pk}/items", {}


API_ROWS += [
    ApiRow("GET", "/api/v1/reviews/{review_id}/items", HIDDEN_READS, _hidden_round_items, False),
    ApiRow(
        "GET",
        "/api/v1/proposals/{proposal_id}/criteria",
        HIDDEN_READS,
        _hidden_proposal_criteria,
        False,
    ),
    ApiRow("GET", "/api/v1/reviews/{review_id}/items", EVERYONE_READS, _round_items, False),
    ApiRow("GET", "/api/v1/review-items/{item_id}", EVERYONE_READS, _one_item, False),
    ApiRow(
        "GET", "/api/v1/proposals/{proposal_id}/criteria", EVERYONE_READS, _proposal_criteria, False
    ),
    ApiRow(
        "GET",
        "/api/v1/proposal-criteria/{criterion_id}",
        EVERYONE_READS,
        _one_proposal_criterion,
        False,
    ),
    *[
        ApiRow(
            "GET",
            f"/api/v1/comparisons/{{comparison_id}}/{part}",
            EVERYONE_READS,
            _comparison_part(part),
            False,
        )
        for part in ("alternatives", "criteria", "participants", "scores")
    ],
    ApiRow(
        "GET",
        "/api/v1/comparison-criteria/{criterion_id}",
        EVERYONE_READS,
        _one_comparison_criterion,
        False,
    ),
]


# --- pages (and, first in each list, the rows of round_item_rows.py) ---


def _round_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("review:round_create"), {
        "title": "Rydding",
        "arena": world.arena.pk,
        "primary_task": "Arbeidsgiverrollen",
        "opened": "2025-01-01",
        "published": "on",
        "include_children": "on",
        "include_projects": "on",
    }


def _item_add_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("review:item_add", args=[_round(world).pk]), {"arena": _other_arena().pk}


def _proposal_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("review:proposal_create"), {
        "title": "Felles innkjøp",
        "need": "Bedre avtaler",
        "arena": world.arena.pk,
        "proposed_form": "",
        "needs": ["produce_services"],
        "published": "on",
    }


def _proposal_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    proposal = _proposal(world)
    return reverse("review:proposal_edit", args=[proposal.pk]), {
        "version": proposal.version,
        "title": proposal.title,
        "need": proposal.need,
        "arena": world.arena.pk,
        "mandate": "Nytt mandat",
        "proposed_form": "ko",
        "published": "on",
    }


def _comparison_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("review:comparison_create"), {
        "title": "Modeller",
        "description": "",
        "arena": world.arena.pk,
        "proposal": "",
        "published": "on",
    }


def _participant_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("review:participant_create", args=[_comparison(world).pk]), {
        "name": "Larvik",
        "municipality": world.larvik.pk,
    }


def _scores_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    comparison, alternative, criterion, participant = _scoring(world)
    return reverse("review:scores_edit", args=[comparison.pk]), {
        "participant": participant.pk,
        f"s_{alternative.pk}_{criterion.pk}": 7,
    }


FORM_ROWS = [
    *ROUND_ITEM_FORM_ROWS,
    FormRow("review:round_create", form_row(secretariat=302), _round_create_form),
    # another arena: the one-arena secretariat gets the form back with the error (200)
    FormRow("review:item_add", form_row(secretariat=302, arena_secretariat=200), _item_add_form),
    versioned_form(
        "review:item_edit",
        form_row(secretariat=302),
        _item,
        serves_primary_task="no",
        recommendation="close",
        target_arena="",
        reason="Har utspilt sin rolle",
    ),
    form_on(
        "review:round_confirm",
        form_row(secretariat=302),
        _recommended_round,
        meeting_date=MEETING.isoformat(),
        case_number="12/25",
        body_name="Styret",
        text="",
    ),
    form_on("review:round_apply", form_row(secretariat=302), _confirmed_round),
    versioned_form("review:round_delete", form_row(secretariat=302), _round),
    # decided: the page says why, nothing is deleted
    versioned_form("review:round_delete", form_row(secretariat=200), _confirmed_round),
    versioned_form("review:comparison_delete", form_row(secretariat=302), _comparison),
    versioned_form(
        "review:round_edit",
        form_row(secretariat=302),
        _round,
        title="Rydding 2025",
        primary_task="Arbeidsgiverrollen og rammebetingelser",
        opened=OPENED.isoformat(),
        published="on",
    ),
    FormRow("review:proposal_create", form_row(secretariat=302), _proposal_create_form),
    FormRow("review:proposal_edit", form_row(secretariat=302), _proposal_edit_form),
    form_on(
        "review:proposal_ready", form_row(secretariat=302), _proposal, override_reason="Haster"
    ),
    form_on("review:proposal_reopen", form_row(secretariat=302), _ready_proposal),
    versioned_form(
        "review:criterion_edit",
        form_row(secretariat=302),
        _criterion,
        state="met",
        evidence="Utredning av 1. mars",
    ),
    FormRow("review:comparison_create", form_row(secretariat=302), _comparison_create_form),
    versioned_form(
        "review:comparison_edit",
        form_row(secretariat=302),
        _comparison,
        title="Modeller 2025",
        description="Etter seminaret",
        published="on",
    ),
    form_on(
        "review:alternative_create",
        form_row(secretariat=302),
        _comparison,
        name="Forlenge",
        kind="extend",
        form="",
        pros="",
        cons="",
    ),
    form_on(
        "review:criterion_create", form_row(secretariat=302), _comparison, name="Økonomi", weight=40
    ),
    FormRow("review:participant_create", form_row(secretariat=302), _participant_create_form),
    FormRow("review:scores_edit", form_row(secretariat=302), _scores_edit_form),
    versioned_form("review:weight_edit", form_row(secretariat=302), _scored_criterion, weight=60),
]

API_TAGS = {"review"}
NAMESPACES = {"review"}
READ_ONLY_PAGES = {
    "review:index",
    "review:round_detail",
    "review:overlap",
    "review:proposal_list",
    "review:proposal_detail",
    "review:advisor",
    "review:comparison_list",
    "review:comparison_detail",
    "review:exit_index",
    "review:exit_analysis",
}
