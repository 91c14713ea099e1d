"""Successors in splits (lib.succession), and the property the split rests on: for any
register of changes and any key, every line sums to its amount to the øre and each
municipality existing on the line's date appears at most once on it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samarbeid.lib.allocation import AllocationError, Participant, Weights, allocate
from samarbeid.lib.succession import carry_over, holders_on

D2018 = date(2018, 1, 1)
FAERDER_CHAIN = {
    "0722": [(D2018, "0729")],
    "0723": [(D2018, "0729")],
    "0729": [(date(2020, 1, 1), "3811")],
    "3811": [(date(2024, 1, 1), "3911")],
}


def test_holders_follow_the_chain_from_the_day_of_each_change() -> None:
    assert holders_on(FAERDER_CHAIN, "0722", date(2017, 12, 31)) == ["0722"]
    assert holders_on(FAERDER_CHAIN, "0722", D2018) == ["0729"]
    assert holders_on(FAERDER_CHAIN, "0723", date(2026, 12, 31)) == ["3911"]
    split = {"5012": [(date(2020, 1, 1), "5055"), (date(2020, 1, 1), "5056")]}
    assert holders_on(split, "5012", date(2020, 1, 1)) == ["5055", "5056"]


def test_carry_over_makes_one_participant_with_its_own_population() -> None:
    figures = {
        "0722": Participant("0722", population=21000, usage=Decimal(3), fixed_percent=Decimal(10)),
        "0723": Participant("0723", population=5000, usage=Decimal(2), fixed_percent=Decimal(5)),
        "3911": Participant("3911", population=27000),
        "3901": Participant("3901", population=28000, usage=Decimal(5), fixed_percent=Decimal(85)),
    }
    merged = carry_over({"0722": "3911", "0723": "3911", "3901": "3901"}, figures)
    assert merged == [
        Participant("3901", population=28000, usage=Decimal(5), fixed_percent=Decimal(85)),
        Participant("3911", population=27000, usage=Decimal(5), fixed_percent=Decimal(15)),
    ]
    # its own figures, once it has them, are its figures
    figures["3911"] = Participant(
        "3911", population=27000, usage=Decimal(7), fixed_percent=Decimal(1)
    )
    merged = carry_over({"0722": "3911", "0723": "3911", "3911": "3911"}, figures)
    assert merged == [Participant("3911", 27000, Decimal(7), Decimal(1))]
    # nothing known: missing (the split then names what is missing)
    assert carry_over({"0722": "3911"}, {}) == [Participant("3911")]


KEYS = [f"{n:04d}" for n in range(8)]


@st.composite
def registers(draw: st.DrawFn) -> dict[str, list[tuple[date, str]]]:
    """Any register of changes: mergers, renumberings, chains and splits (a municipality
    with several successors), always to a later number so that there are no cycles."""
    result: dict[str, list[tuple[date, str]]] = {}
    for index, key in enumerate(KEYS[:-1]):
        later = KEYS[index + 1 :]
        successors = draw(st.lists(st.sampled_from(later), max_size=2, unique=True))
        if successors:
            year = draw(st.integers(1995, 2030))
            result[key] = [(date(year, 1, 1), s) for s in successors]
    return result


def _figure(draw: st.DrawFn, key: str) -> Participant:
    return Participant(
        key=key,
        population=draw(st.integers(1, 10**6)),
        usage=draw(st.one_of(st.none(), st.integers(1, 10**4).map(Decimal))),
        fixed_percent=draw(st.one_of(st.none(), st.integers(0, 100).map(Decimal))),
    )


@given(
    register=registers(),
    recorded=st.lists(st.sampled_from(KEYS), min_size=1, unique=True),
    year=st.integers(1994, 2031),
    weights=st.tuples(*[st.integers(0, 100)] * 3).filter(lambda w: sum(w) <= 100),
    total=st.integers(0, 10**9).map(lambda ore: Decimal(ore) / 100),
    data=st.data(),
)
def test_every_line_sums_and_each_municipality_appears_once(
    register: dict[str, list[tuple[date, str]]],
    recorded: list[str],
    year: int,
    weights: tuple[int, int, int],
    total: Decimal,
    data: st.DataObject,
) -> None:
    """The planner's path: who holds each recorded participant on the split day (the lowest
    of several after a split), their figures carried over, then `allocate`."""
    day = date(year, 12, 31)
    heirs = {key: min(holders_on(register, key, day)) for key in recorded}
    figures = {key: _figure(data.draw, key) for key in KEYS}
    equal, per_capita, usage = weights
    key = Weights(
        equal=Decimal(equal),
        per_capita=Decimal(per_capita),
        usage=Decimal(usage),
        fixed=Decimal(100 - equal - per_capita - usage),
    )
    participants = carry_over(heirs, figures)
    try:
        shares = allocate(total, key, participants)
    except AllocationError as exc:
        # only a refusal naming missing or inconsistent figures, never a wrong split
        assert exc.code in {"usage_missing", "fixed_missing", "fixed_sum", "usage_zero"}, exc  # noqa: PT017 - a property test: refusal is one allowed outcome
        return
    assert sum((s.amount for s in shares), Decimal(0)) == total
    keys = [s.key for s in shares]
    assert len(keys) == len(set(keys))
    for share_key in keys:
        # everyone on the line exists on its date (no change of theirs in effect)
        assert holders_on(register, share_key, day) == [share_key]
    # and everyone recorded is carried by someone on the line
    assert set(heirs.values()) == set(keys)
