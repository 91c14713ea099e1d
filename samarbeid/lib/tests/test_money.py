from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.lib.money import NBSP, format_nok, from_ore, parse_amount, to_ore

D = Decimal


@pytest.mark.parametrize(
    ("amount", "ore"),
    [
        (D("0"), 0),
        (D("0.01"), 1),
        (D("1234567.89"), 123456789),
        (D("-12.50"), -1250),
        (D("100.000"), 10000),  # trailing zeros are still whole øre
        (D("1E+3"), 100000),
    ],
)
def test_to_ore(amount: Decimal, ore: int) -> None:
    assert to_ore(amount) == ore


@pytest.mark.parametrize("amount", [D("0.001"), D("1.005"), D("NaN"), D("Infinity"), D("-Inf")])
def test_to_ore_rejects_fractions_of_ore_and_non_finite(amount: Decimal) -> None:
    with pytest.raises(ValueError, match=r"finite|decimals"):
        to_ore(amount)


def test_to_ore_refuses_floats() -> None:
    with pytest.raises(TypeError):
        to_ore(1.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ore", "text"), [(0, "0.00"), (1, "0.01"), (-5, "-0.05"), (123456789, "1234567.89")]
)
def test_from_ore(ore: int, text: str) -> None:
    result = from_ore(ore)
    assert str(result) == text
    assert result.as_tuple().exponent == -2


def test_from_ore_refuses_non_ints() -> None:
    with pytest.raises(TypeError):
        from_ore(True)
    with pytest.raises(TypeError):
        from_ore(1.0)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_ore_round_trip(ore: int) -> None:
    assert to_ore(from_ore(ore)) == ore


@pytest.mark.parametrize(
    ("amount", "nb", "en"),
    [
        (D("1234567.89"), f"1{NBSP}234{NBSP}567,89", "1,234,567.89"),
        (D("0"), "0,00", "0.00"),
        (D("999.5"), "999,50", "999.50"),
        (D("1000"), f"1{NBSP}000,00", "1,000.00"),
        (D("-1234.5"), f"-1{NBSP}234,50", "-1,234.50"),
        (D("0.005"), "0,01", "0.01"),  # display rounds half up
        (D("-0.001"), "0,00", "0.00"),  # no negative zero
    ],
)
def test_format_nok(amount: Decimal, nb: str, en: str) -> None:
    assert format_nok(amount) == nb
    assert format_nok(amount, lang="nb") == nb
    assert format_nok(amount, lang="nn") == nb
    assert format_nok(amount, lang="nb-NO") == nb
    assert format_nok(amount, lang="en") == en


def test_format_nok_rejects_unknown_language_and_non_finite() -> None:
    with pytest.raises(ValueError, match="language"):
        format_nok(D("1"), lang="de")
    with pytest.raises(ValueError, match="finite"):
        format_nok(D("NaN"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000000.00", D("1000000.00")),
        ("1 000 000,50", D("1000000.50")),
        ("1000000", D("1000000.00")),
        (f"1{NBSP}234,5", D("1234.50")),
        ("1\u202f234,05", D("1234.05")),
        ("  42,1 ", D("42.10")),
        ("-12,30", D("-12.30")),
        ("0", D("0.00")),
        ("-0", D("0.00")),
        ("007", D("7.00")),
    ],
)
def test_parse_amount(text: str, expected: Decimal) -> None:
    result = parse_amount(text)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not a valid amount"),
        ("12abc", "not a valid amount"),
        ("NaN", "not a valid amount"),
        ("Infinity", "not a valid amount"),
        ("-inf", "not a valid amount"),
        ("1e5", "not a valid amount"),
        ("1.005", "more than 2 decimals"),
        ("1,234", "more than 2 decimals"),
        ("1,234,567.89", "not a valid amount"),
        ("1 00 000", "not a valid amount"),
        ("1.", "not a valid amount"),
        (",5", "not a valid amount"),
        ("1 000.000,00", "not a valid amount"),
        ("1" * 16, "too large"),
    ],
)
def test_parse_amount_rejects_garbage(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_parse_reads_back_formatted_norwegian_amounts(ore: int) -> None:
    amount = from_ore(ore)
    assert parse_amount(format_nok(amount)) == amount
    assert parse_amount(str(amount)) == amount
