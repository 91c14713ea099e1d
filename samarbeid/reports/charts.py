"""Charts as SVG made by matplotlib (Agg, no display). The same SVG goes into the page and
the PDF, as a data: URI in <img src> (the page's CSP allows data: images; the SVG's own
styling stays inside the image). Each chart has a text alternative and a table beside it."""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

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


LABEL_WIDTH = 24  # characters a line of a label holds before it wraps


def number(value: float) -> str:
    """A tick's number the Norwegian way: space between thousands, decimal comma, no
    trailing zeros ("1 500 000", "0,5", "-2,25")."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,d}".replace(",", " ")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",")


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """A label in lines of at most `width` characters (a longer word stays whole): shown in
    full, never cut."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


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
    many = len(labels) > 6
    wrapped = [wrap(label, 16 if many else LABEL_WIDTH) for label in labels]
    lines = max((label.count("\n") + 1 for label in wrapped), default=1)
    figure, axes = plt.subplots(figsize=(7.5, 3.2 + 0.18 * lines))
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
    axes.set_xticklabels(
        wrapped,
        rotation=30 if many else 0,
        ha="right" if many else "center",
    )
    axes.set_title(wrap(title, 70))
    axes.set_ylabel(unit)
    axes.ticklabel_format(axis="y", style="plain", useOffset=False)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: number(v)))
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(frameon=False)
    return _svg(figure)


def horizontal_bars(labels: Sequence[str], values: Sequence[Decimal | int], *, title: str) -> bytes:
    """Counts per label: whole-number ticks, labels wrapped in full."""
    wrapped = [wrap(label) for label in labels]
    lines = sum(label.count("\n") + 1 for label in wrapped)
    figure, axes = plt.subplots(figsize=(7.5, 0.8 + 0.3 * max(lines, len(labels), 1)))
    positions = list(range(len(labels)))
    axes.barh(positions, [float(v) for v in values], color=COLOURS["bar"])
    axes.set_yticks(positions)
    axes.set_yticklabels(wrapped)
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: number(v)))
    axes.set_title(wrap(title, 70))
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
