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
    """A proposal's need, as first written from the needs it starts from (the clerk edits
    it from there): what they are about, whose planning strategies name them, and whom the
    municipalities would cooperate with, each said once. Each need's own words are not
    repeated: the proposal's page lists the needs it is linked to (a clerk's trial saw each
    need twice)."""
    if not needs:
        return ""
    themes = list(dict.fromkeys(need.theme_label for need in needs))
    names = list(dict.fromkeys(need.strategy.municipality.name for need in needs))
    periods = list(dict.fromkeys(need.strategy.period for need in needs))
    partners = list(dict.fromkeys(n.partners.strip() for n in needs if n.partners.strip()))
    text = (
        f"Behov for samarbeid om {_listed(themes)} i planstrategiene til {_listed(names)} "
        f"({', '.join(periods)})."
    )
    if partners:
        text += f" Samarbeid med: {'; '.join(partners)}."
    return text


def _listed(words: list[str]) -> str:
    """«a», «a og b», «a, b og c»."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} og {words[-1]}"
