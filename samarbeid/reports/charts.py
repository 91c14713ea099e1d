"""Charts as SVG made by matplotlib (Agg, no display). The same SVG goes into the page and
the PDF, as a data: URI in <img src> (the page's CSP allows data: images; the SVG's own
styling stays inside the image). Each chart has a text alternative and a table beside it."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.rcParams["svg.hashsalt"] = "samarbeid"  # stable ids: the same data gives the same SVG
plt.rcParams["svg.fonttype"] = "none"  # text stays text (searchable, small)
plt.rcParams["font.size"] = 9

COLOURS = {"estimated": "#9ecae1", "realised": "#1f6f3f", "costs": "#b33b24", "bar": "#2b5797"}


def _svg(figure: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _kr(value: Decimal) -> float:
    # Drawing only: the figures in tables and workbooks stay exact Decimals.
    return float(value)


def grouped_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Decimal]]],
    *,
    title: str,
    unit: str = "kr",
) -> bytes:
    """Bars per label, one bar per series (name, colour key, values)."""
    figure, axes = plt.subplots(figsize=(7.5, 3.4))
    count = max(len(series), 1)
    width = 0.8 / count
    positions = list(range(len(labels)))
    for index, (name, colour, values) in enumerate(series):
        axes.bar(
            [p + (index - (count - 1) / 2) * width for p in positions],
            [_kr(v) for v in values],
            width=width,
            label=name,
            color=COLOURS.get(colour, colour),
        )
    axes.set_xticks(positions)
    axes.set_xticklabels(labels, rotation=30 if len(labels) > 6 else 0, ha="right")
    axes.set_title(title)
    axes.set_ylabel(unit)
    axes.ticklabel_format(axis="y", style="plain", useOffset=False)
    axes.yaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}".replace(",", " "))
    )
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(frameon=False)
    return _svg(figure)


def horizontal_bars(labels: Sequence[str], values: Sequence[Decimal | int], *, title: str) -> bytes:
    figure, axes = plt.subplots(figsize=(7.5, 0.5 + 0.45 * max(len(labels), 1)))
    positions = list(range(len(labels)))
    axes.barh(positions, [float(v) for v in values], color=COLOURS["bar"])
    axes.set_yticks(positions)
    axes.set_yticklabels([label[:50] for label in labels])
    axes.invert_yaxis()
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
