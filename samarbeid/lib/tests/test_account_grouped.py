"""An account number shown grouped 4.2.5, the digits unchanged."""

from hypothesis import given
from hypothesis import strategies as st

from samarbeid.lib.money import account_grouped


def test_eleven_digits_are_grouped_4_2_5() -> None:
    assert account_grouped("97101234561") == "9710.12.34561"


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_grouping_only_adds_dots(number: str) -> None:
    grouped = account_grouped(number)
    assert grouped.replace(".", "") == number
    assert [len(part) for part in grouped.split(".")] == [4, 2, 5]


def test_anything_else_is_shown_as_stored() -> None:
    assert account_grouped("") == ""
    assert account_grouped("9710123456") == "9710123456"
