"""The project lifecycle as a pure transition table (no Django).

idea → proposed → approved → ongoing → completed. From any open state a project may be
discontinued, or transferred to another arena. Completed, discontinued and transferred are
final. A project may also step back one stage before it starts (proposed → idea,
approved → proposed), when a proposal is sent back for more work."""

from __future__ import annotations

import itertools

IDEA = "idea"
PROPOSED = "proposed"
APPROVED = "approved"
ONGOING = "ongoing"
COMPLETED = "completed"
DISCONTINUED = "discontinued"
TRANSFERRED = "transferred"

STATUSES: tuple[str, ...] = (
    IDEA,
    PROPOSED,
    APPROVED,
    ONGOING,
    COMPLETED,
    DISCONTINUED,
    TRANSFERRED,
)
OPEN: frozenset[str] = frozenset({IDEA, PROPOSED, APPROVED, ONGOING})
FINAL: frozenset[str] = frozenset({COMPLETED, DISCONTINUED, TRANSFERRED})

_FORWARD: dict[str, str] = {
    IDEA: PROPOSED,
    PROPOSED: APPROVED,
    APPROVED: ONGOING,
    ONGOING: COMPLETED,
}
_BACK: dict[str, str] = {PROPOSED: IDEA, APPROVED: PROPOSED}

TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(
        {s for s in (_FORWARD.get(status), _BACK.get(status)) if s}
        | ({DISCONTINUED, TRANSFERRED} if status in OPEN else set())
    )
    for status in STATUSES
}


def allowed_next(status: str) -> frozenset[str]:
    """The statuses a project in `status` may move to (empty for a final status)."""
    if status not in TRANSITIONS:
        raise ValueError(f"unknown status {status!r}")
    return TRANSITIONS[status]


def next_statuses(status: str) -> tuple[str, ...]:
    """`allowed_next(status)` in the lifecycle's order (idea → transferred), as the status
    form offers them and a refused move names them."""
    allowed = allowed_next(status)
    return tuple(s for s in STATUSES if s in allowed)


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def is_final(status: str) -> bool:
    return status in FINAL


def is_valid_path(path: list[str]) -> bool:
    """True if each consecutive step of `path` is an allowed transition."""
    return all(can_transition(a, b) for a, b in itertools.pairwise(path))
