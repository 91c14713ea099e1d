import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.lib.kid import is_valid_kid, make_kid

digits = st.text(alphabet="0123456789", min_size=1, max_size=24)


@pytest.mark.parametrize(
    ("base", "kid"),
    [
        ("7992739871", "79927398713"),  # the textbook Luhn example
        ("1234567890", "12345678903"),
        ("0", "00"),
        ("1", "18"),
        ("2025000123", "20250001235"),  # checked by hand: digit sum 15
    ],
)
def test_make_kid(base: str, kid: str) -> None:
    assert make_kid(base) == kid
    assert is_valid_kid(kid)


@pytest.mark.parametrize("base", ["", "12a4", " 123", "12 34", "１２３", "²", "1" * 25])
def test_make_kid_rejects_bad_base(base: str) -> None:
    with pytest.raises(ValueError, match="KID base"):
        make_kid(base)


@pytest.mark.parametrize(
    "value",
    ["", "0", "79927398710", "7992739871 3", "79927398713\n", "abc", "1" * 26, "１８"],
)
def test_is_valid_kid_rejects(value: str) -> None:
    assert not is_valid_kid(value)


def test_is_valid_kid_rejects_non_strings() -> None:
    assert not is_valid_kid(79927398713)  # type: ignore[arg-type]
    assert not is_valid_kid(None)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(digits)
def test_made_kids_are_valid(base: str) -> None:
    kid = make_kid(base)
    assert kid.startswith(base)
    assert len(kid) == len(base) + 1
    assert is_valid_kid(kid)


@settings(max_examples=200, deadline=None)
@given(digits, st.data())
def test_changing_one_digit_is_detected(base: str, data: st.DataObject) -> None:
    kid = make_kid(base)
    position = data.draw(st.integers(min_value=0, max_value=len(kid) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != kid[position]]))
    assert not is_valid_kid(kid[:position] + replacement + kid[position + 1 :])
