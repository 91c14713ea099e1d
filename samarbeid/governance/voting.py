"""The outcome of a vote in an arena's own body, as a pure function (no Django).

One municipality, one vote. Each member's vote is for, against, abstain or absent.

* Simple majority (``majority``): adopted when more of those *voting* voted for than
  against. Abstentions and absentees are not counted as voting; a tie, or nobody voting,
  is not a majority, so the proposal falls.
* Unanimity (``unanimity``): adopted when every member *present* (everyone not absent)
  voted for and none voted against. An abstention by a present member breaks unanimity;
  absentees do not. At least one member must be present.
"""

from __future__ import annotations

from collections.abc import Iterable

FOR = "for"
AGAINST = "against"
ABSTAIN = "abstain"
ABSENT = "absent"
CHOICES = (FOR, AGAINST, ABSTAIN, ABSENT)

MAJORITY = "majority"
UNANIMITY = "unanimity"
RULES = (MAJORITY, UNANIMITY)


def tally(votes: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(CHOICES, 0)
    for vote in votes:
        if vote not in counts:
            raise ValueError(f"unknown vote {vote!r}")
        counts[vote] += 1
    return counts


def is_adopted(rule: str, votes: Iterable[str]) -> bool:
    """Whether a proposal is adopted under `rule` given each member's vote."""
    counts = tally(votes)
    if rule == MAJORITY:
        return counts[FOR] > counts[AGAINST]
    if rule == UNANIMITY:
        present = counts[FOR] + counts[AGAINST] + counts[ABSTAIN]
        return present > 0 and counts[FOR] == present
    raise ValueError(f"unknown rule {rule!r}")
