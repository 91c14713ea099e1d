"""The read side: which municipalities named a need for cooperation, per theme, so that
partners are found early (seed 002: "søke samarbeidspartnere tidlig")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from samarbeid.planning.models import CooperationNeed, Theme


@dataclass
class Named:
    """A municipality that named a need of the theme, with its needs of it."""

    code: str
    name: str
    number: str
    needs: list[CooperationNeed] = field(default_factory=list)


@dataclass
class ThemeNeeds:
    theme: str
    label: str
    municipalities: list[Named]

    @property
    def need_count(self) -> int:
        return sum(len(m.needs) for m in self.municipalities)


def current_needs(user: Any, today: date) -> QuerySet[CooperationNeed]:
    """The needs `user` may see of the strategies still in force or ahead (a strategy for
    2016–2019 has been replaced), with what a list shows of them, in one query."""
    return (
        CooperationNeed.objects.visible_to(user)
        .filter(strategy__last_year__gte=today.year)
        .select_related("strategy__municipality")
        .order_by("theme", "strategy__municipality__name", "pk")
    )


def needs_by_theme(user: Any, today: date, *, theme: str | None = None) -> list[ThemeNeeds]:
    """Per theme (in the themes' order), the municipalities that named a need of it in a
    current planning strategy, each with its needs. One query, whatever the data."""
    needs = current_needs(user, today)
    if theme:
        needs = needs.filter(theme=theme)
    grouped: dict[str, dict[int, Named]] = {}
    for need in needs:
        municipality = need.strategy.municipality
        named = grouped.setdefault(need.theme, {}).setdefault(
            municipality.pk, Named(municipality.code, municipality.name, municipality.number)
        )
        named.needs.append(need)
    return [
        ThemeNeeds(str(value), str(label), list(grouped[value].values()))
        for value, label in Theme.choices
        if value in grouped
    ]


def need_text(needs: list[CooperationNeed]) -> str:
    """A proposal's need, as first written from the needs it starts from: each
    municipality's need in its own words, with its strategy and whom it would cooperate
    with (the clerk edits it from there)."""
    lines = []
    for need in needs:
        strategy = need.strategy
        line = (
            f"{strategy.municipality.name} ({strategy.title} {strategy.period}): {need.description}"
        )
        if need.partners.strip():
            line += f" Samarbeid med: {need.partners.strip()}"
        lines.append(f"- {line}")
    return "\n".join(lines)
