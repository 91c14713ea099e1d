"""The items of a text typed one per line (lib.text.one_per_line)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from samarbeid.lib.text import one_per_line


def test_each_line_is_an_item_stripped_and_blank_lines_are_left_out() -> None:
    text = "  Raskere saksbehandling \r\n\n Felles fagmiljø\n   \nLavere kostnad"
    assert one_per_line(text) == ["Raskere saksbehandling", "Felles fagmiljø", "Lavere kostnad"]


def test_an_empty_text_has_no_items() -> None:
    assert one_per_line("") == []
    assert one_per_line(" \n\t\n") == []


@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)))
def test_items_are_never_blank_or_padded_and_read_back_the_same(lines: list[str]) -> None:
    items = one_per_line("\n".join(lines))
    assert all(item and item == item.strip() for item in items)
    assert one_per_line("\n".join(items)) == items
