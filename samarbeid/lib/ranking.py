"""Workshop aggregation: groups rank themes (the flip-over sheets), facilitators merge duplicates.

A theme's weight is first how many groups named it, then a Borda count of where they put it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from samarbeid.lib.text import normalise

__all__ = ["GroupRanking", "ThemeScore", "aggregate", "resolve_merges"]


@dataclass(frozen=True)
class GroupRanking:
    group: str
    # Most important first.
    themes: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        # A tuple keeps the frozen instance really immutable (and hashable).
        object.__setattr__(self, "themes", tuple(self.themes))


@dataclass(frozen=True)
class ThemeScore:
    label: str
    groups: int
    borda: int
    variants: tuple[str, ...]
    mentioned_by: tuple[str, ...]


def _text_order(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


def resolve_merges(merges: Mapping[str, str]) -> dict[str, str]:
    """Map each normalised merged label to the normalised label it finally ends up in."""
    direct: dict[str, str] = {}
    for source, target in merges.items():
        key, value = normalise(source), normalise(target)
        if not key or not value:
            raise ValueError(f"merge {source!r} -> {target!r} has an empty label")
        if key == value:
            # "IKT" -> "ikt" is the same theme already; not a cycle worth refusing.
            continue
        if direct.get(key, value) != value:
            raise ValueError(f"conflicting merges for {source!r}: {direct[key]!r} and {value!r}")
        direct[key] = value
    resolved: dict[str, str] = {}
    for start in direct:
        path = [start]
        current = direct[start]
        while current in direct:
            if current in path:
                cycle = " -> ".join([*path[path.index(current) :], current])
                raise ValueError(f"merges form a cycle: {cycle}")
            path.append(current)
            current = direct[current]
        resolved[start] = current
    return resolved


def _canonical_spellings(merges: Mapping[str, str]) -> dict[str, str]:
    # The facilitator's spelling of a merge target is the label people see.
    spellings: dict[str, set[str]] = {}
    for target in merges.values():
        spellings.setdefault(normalise(target), set()).add(target.strip())
    return {key: min(values, key=_text_order) for key, values in spellings.items()}


def aggregate(
    rankings: Iterable[GroupRanking], merges: Mapping[str, str], max_rank: int
) -> list[ThemeScore]:
    if max_rank < 1:
        raise ValueError(f"max_rank must be at least 1, got {max_rank}")
    resolved = resolve_merges(merges)
    targets = _canonical_spellings(merges)

    best_position: dict[str, dict[str, int]] = {}  # canonical key -> group -> best position
    spellings: dict[str, Counter[str]] = {}
    seen_groups: set[str] = set()
    for ranking in rankings:
        if ranking.group in seen_groups:
            raise ValueError(f"group {ranking.group!r} appears more than once")
        seen_groups.add(ranking.group)
        if len(ranking.themes) > max_rank:
            raise ValueError(
                f"group {ranking.group!r} ranked {len(ranking.themes)} themes; "
                f"max_rank is {max_rank}"
            )
        for position, label in enumerate(ranking.themes):
            key = normalise(label)
            if not key:
                raise ValueError(f"group {ranking.group!r} has an empty theme at {position + 1}")
            key = resolved.get(key, key)
            positions = best_position.setdefault(key, {})
            # A group naming the same theme twice (after merging) only counts its best place.
            positions[ranking.group] = min(position, positions.get(ranking.group, position))
            spellings.setdefault(key, Counter())[label.strip()] += 1

    scores: list[ThemeScore] = []
    for key, positions in best_position.items():
        written = spellings[key]
        if key in targets:
            label = targets[key]
        else:
            # Unmerged: the spelling most groups used, ties settled alphabetically.
            label = min(written, key=lambda s: (-written[s], *_text_order(s)))
        scores.append(
            ThemeScore(
                label=label,
                groups=len(positions),
                borda=sum(max_rank - p for p in positions.values()),
                variants=tuple(sorted((s for s in written if s != label), key=_text_order)),
                mentioned_by=tuple(sorted(positions, key=_text_order)),
            )
        )
    scores.sort(key=lambda t: (-t.groups, -t.borda, *_text_order(t.label)))
    return scores
