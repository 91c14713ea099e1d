"""A bar chart any page can show: `{% load charts %}{% bar_chart rows caption=... %}`.

Drawn on the server as a table (the text alternative is the chart itself: each row's label
and figure are text, read by a screen reader and shown beside the bar), with a bar per row
in inline SVG sized by attributes (the Content-Security-Policy allows no style attributes).
No script, no colour needed to read it, and it shrinks to a 390 px phone. An empty
`caption` leaves the figure without one: the page's heading right above it, carrying the
id `<chart_id>-caption`, names it (the same words are not shown twice)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal
    url: str
    shown: str  # the figure as the page writes it
    width: str  # the bar's length in per cent of the longest, as an SVG attribute

    @property
    def words(self) -> list[tuple[str, bool]]:
        """The label's words, each with whether it has a hyphen: such a word ("(n-k)",
        "KS-organ") is kept on one line, as a label wraps between words only."""
        return [(word, "-" in word) for word in self.label.split(" ")]


def bars(rows: Iterable[Sequence[Any]], label_at: int = 0, value_at: int = 1) -> list[Bar]:
    """Rows of (label, value) or (label, value, url) or (label, value, url, shown) as bars
    scaled to the largest value; a negative value draws no bar (its figure still shows).
    Rows shaped otherwise name where their label and value are (`label_at`, `value_at`;
    no link then)."""
    plain = (label_at, value_at) == (0, 1)
    found = [tuple(row) for row in rows]
    largest = max((max(row[value_at], 0) for row in found), default=0)
    out = []
    for row in found:
        label, value = str(row[label_at]), row[value_at]
        if not plain:
            label = label[:1].upper() + label[1:]
        url = str(row[2]) if plain and len(row) > 2 and row[2] else ""
        shown = str(row[3]) if plain and len(row) > 3 else str(value)
        share = Decimal(max(value, 0)) * 100 / Decimal(largest) if largest else Decimal(0)
        out.append(Bar(label, value, url, shown, f"{share:.1f}"))
    return out


@register.inclusion_tag("partials/bar_chart.html")
def bar_chart(
    rows: Iterable[Sequence[Any]],
    *,
    label_at: int = 0,
    value_at: int = 1,
    caption: str,
    label_heading: str,
    value_heading: str,
    chart_id: str,
) -> dict[str, Any]:
    return {
        "bars": bars(rows, label_at, value_at),
        "caption": caption,
        "label_heading": label_heading,
        "value_heading": value_heading,
        "chart_id": chart_id,
    }
