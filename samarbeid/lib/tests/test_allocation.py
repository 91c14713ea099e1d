import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.lib.allocation import (
    PRESETS,
    AllocationError,
    MissingPopulationError,
    Participant,
    ParticipantError,
    Share,
    Weights,
    allocate,
    check_weights,
)
from samarbeid.lib.money import from_ore

D = Decimal
ONE_ORE = Fraction(1, 100)


def amounts(shares: list[Share]) -> dict[str, Decimal]:
    return {share.key: share.amount for share in shares}


# ---------------------------------------------------------------- hand-computed examples


def test_three_equal_shares_give_the_extra_ore_to_the_lowest_key() -> None:
    # 100.00 / 3 = 33.333...: floors 33.33 x 3 = 99.99, one øre left, equal remainders.
    participants = [Participant("3905"), Participant("3901"), Participant("3903")]
    shares = allocate(D("100.00"), PRESETS["equal"], participants)
    assert [share.key for share in shares] == ["3905", "3901", "3903"]  # order as given
    assert amounts(shares) == {"3901": D("33.34"), "3903": D("33.33"), "3905": D("33.33")}


def test_fifty_fifty_by_hand() -> None:
    # Total 100 000.00, 50 % equal + 50 % per capita, populations 27 000 / 25 000 / 28 000
    # (sum 80 000).
    #   equal part:      50 000 / 3                     = 16 666.666...  each
    #   per capita part: 50 000 * 27 000 / 80 000       = 16 875.00      (3901)
    #                    50 000 * 25 000 / 80 000       = 15 625.00      (3903)
    #                    50 000 * 28 000 / 80 000       = 17 500.00      (3911)
    #   exact shares:    33 541.666..., 32 291.666..., 34 166.666...
    #   floored:         33 541.66 + 32 291.66 + 34 166.66 = 99 999.98 -> 2 øre left
    #   remainders are all 0.666... øre, so the two lowest keys (3901, 3903) get one each.
    participants = [
        Participant("3901", population=27_000),
        Participant("3903", population=25_000),
        Participant("3911", population=28_000),
    ]
    shares = allocate(D("100000.00"), PRESETS["50/50"], participants)
    assert amounts(shares) == {
        "3901": D("33541.67"),
        "3903": D("32291.67"),
        "3911": D("34166.66"),
    }
    assert sum(share.amount for share in shares) == D("100000.00")


def test_leftover_ore_go_to_the_largest_remainders_not_the_lowest_keys() -> None:
    # 10.00 per capita over populations 4, 2, 1 (sum 7):
    #   0301: 40/7 = 5.714285... -> 5.71, remainder 0.43 øre
    #   1103: 20/7 = 2.857142... -> 2.85, remainder 0.71 øre
    #   4601: 10/7 = 1.428571... -> 1.42, remainder 0.86 øre
    # 9.98 floored, 2 øre left: 4601 and 1103 get them although 0301 is the lowest key.
    participants = [
        Participant("0301", population=4),
        Participant("1103", population=2),
        Participant("4601", population=1),
    ]
    shares = allocate(D("10.00"), PRESETS["per_capita"], participants)
    assert amounts(shares) == {"0301": D("5.71"), "1103": D("2.86"), "4601": D("1.43")}


def test_all_four_components() -> None:
    # 1000.00 with 10 % equal, 20 % per capita, 30 % usage, 40 % fixed:
    #   3901: 100/2 + 200*3000/4000 + 300*1/4 + 400*25/100 =  50 + 150 +  75 + 100 = 375
    #   3903: 100/2 + 200*1000/4000 + 300*3/4 + 400*75/100 =  50 +  50 + 225 + 300 = 625
    weights = Weights(equal=D(10), per_capita=D(20), usage=D(30), fixed=D(40))
    participants = [
        Participant("3901", population=3000, usage=D(1), fixed_percent=D(25)),
        Participant("3903", population=1000, usage=D(3), fixed_percent=D(75)),
    ]
    assert amounts(allocate(D("1000.00"), weights, participants)) == {
        "3901": D("375.00"),
        "3903": D("625.00"),
    }


def test_fractional_weights_usage_and_fixed_percentages() -> None:
    # 33.33 + 33.33 + 33.34 = 100; usage 0.5 / 1.5; fixed 12.5 / 87.5.
    #   A: 33.33%*0.5 + 33.33%*0.25 + 33.34%*0.125 = 16.665 + 8.3325 + 4.1675 = 29.165
    #   B: 33.33%*0.5 + 33.33%*0.75 + 33.34%*0.875 = 16.665 + 24.9975 + 29.1725 = 70.835
    # of 100.00: floors 29.16 + 70.83 = 99.99, remainders 0.5 øre each -> tie -> key "A".
    weights = Weights(equal=D("33.33"), usage=D("33.33"), fixed=D("33.34"))
    participants = [
        Participant("B", usage=D("1.5"), fixed_percent=D("87.5")),
        Participant("A", usage=D("0.5"), fixed_percent=D("12.5")),
    ]
    assert amounts(allocate(D("100.00"), weights, participants)) == {
        "A": D("29.17"),
        "B": D("70.83"),
    }


def test_single_participant_pays_everything() -> None:
    shares = allocate(D("1234.56"), PRESETS["30/70"], [Participant("3901", population=1)])
    assert shares == [Share("3901", D("1234.56"))]


def test_zero_total_gives_zero_shares_with_two_decimals() -> None:
    shares = allocate(D("0"), PRESETS["equal"], [Participant("3901"), Participant("3903")])
    assert [str(share.amount) for share in shares] == ["0.00", "0.00"]


def test_total_may_be_written_with_trailing_zeros_or_as_int() -> None:
    participants = [Participant("3901"), Participant("3903")]
    expected = [Share("3901", D("50.00")), Share("3903", D("50.00"))]
    assert allocate(D("100.000"), PRESETS["equal"], participants) == expected
    assert allocate(100, PRESETS["equal"], participants) == expected  # type: ignore[arg-type]


def test_components_with_zero_weight_ignore_their_data() -> None:
    # Population, usage and fixed percentages are neither needed nor checked here.
    participants = [
        Participant("3901", population=None, usage=D(-1), fixed_percent=None),
        Participant("3903", population=-5, usage=None, fixed_percent=D(300)),
    ]
    assert amounts(allocate(D("3.00"), PRESETS["equal"], participants)) == {
        "3901": D("1.50"),
        "3903": D("1.50"),
    }


def test_weights_may_be_ints() -> None:
    weights = Weights(equal=50, per_capita=50)  # type: ignore[arg-type]
    participants = [Participant("3901", population=1), Participant("3903", population=3)]
    assert amounts(allocate(D("80.00"), weights, participants)) == {
        "3901": D("30.00"),
        "3903": D("50.00"),
    }


def test_presets() -> None:
    assert set(PRESETS) == {"equal", "per_capita", "50/50", "30/70"}
    assert PRESETS["equal"] == Weights(equal=D(100))
    assert PRESETS["per_capita"] == Weights(per_capita=D(100))
    assert PRESETS["50/50"] == Weights(equal=D(50), per_capita=D(50))
    assert PRESETS["30/70"] == Weights(equal=D(30), per_capita=D(70))
    for weights in PRESETS.values():
        assert sum(check_weights(weights).values()) == 1


# ---------------------------------------------------------------- error paths


def error_for(total: Decimal, weights: Weights, participants: list[Participant]) -> AllocationError:
    with pytest.raises(AllocationError) as info:
        allocate(total, weights, participants)
    assert isinstance(info.value, ValueError)
    return info.value


TWO = [Participant("3901", 1, D(1), D(50)), Participant("3903", 1, D(1), D(50))]


@pytest.mark.parametrize(
    ("weights", "code", "text"),
    [
        (Weights(equal=D(99)), "weights_sum", "add up to 99"),
        (Weights(equal=D(60), per_capita=D(50)), "weights_sum", "add up to 110"),
        (Weights(equal=D("33.33"), per_capita=D("66.66")), "weights_sum", "add up to 99.99"),
        (Weights(), "weights_sum", "add up to 0"),
        (Weights(equal=D(-10), per_capita=D(110)), "weight_out_of_range", "equal weight"),
        (Weights(equal=D(150), per_capita=D(-50)), "weight_out_of_range", "equal weight"),
        (Weights(usage=D(101), fixed=D(-1)), "weight_out_of_range", "usage weight"),
        (Weights(equal=D("NaN")), "not_finite", "equal weight"),
        (Weights(equal=100.0), "invalid_type", "equal weight"),  # type: ignore[arg-type]
    ],
)
def test_invalid_weights(weights: Weights, code: str, text: str) -> None:
    error = error_for(D("100.00"), weights, TWO)
    assert error.code == code
    assert text in str(error)
    assert error.participant_key is None


@pytest.mark.parametrize(
    ("total", "code"),
    [
        (D("-0.01"), "total_negative"),
        (D("100.001"), "total_decimals"),
        (D("0.005"), "total_decimals"),
        (D("NaN"), "not_finite"),
        (D("Infinity"), "not_finite"),
        (100.0, "invalid_type"),
    ],
)
def test_invalid_total(total: Decimal, code: str) -> None:
    error = error_for(total, PRESETS["equal"], TWO)
    assert error.code == code
    assert "total" in str(error)


def test_no_participants() -> None:
    error = error_for(D("100.00"), PRESETS["equal"], [])
    assert error.code == "no_participants"


def test_empty_key() -> None:
    error = error_for(D("1.00"), PRESETS["equal"], [Participant("")])
    assert error.code == "invalid_key"


def test_duplicate_keys_name_the_participant() -> None:
    participants = [Participant("3901"), Participant("3903"), Participant("3901")]
    error = error_for(D("1.00"), PRESETS["equal"], participants)
    assert isinstance(error, ParticipantError)
    assert error.code == "duplicate_key"
    assert error.participant_key == "3901"
    assert "3901" in str(error)


def participant_error(weights: Weights, participants: list[Participant]) -> ParticipantError:
    error = error_for(D("100.00"), weights, participants)
    assert isinstance(error, ParticipantError)
    assert error.participant_key is not None
    assert error.participant_key in str(error)
    return error


def test_missing_population_names_the_participant() -> None:
    participants = [Participant("3901", population=10), Participant("3903", population=None)]
    error = participant_error(PRESETS["50/50"], participants)
    assert isinstance(error, MissingPopulationError)
    assert error.code == "population_missing"
    assert error.participant_key == "3903"


def test_negative_population() -> None:
    participants = [Participant("3901", population=-1), Participant("3903", population=10)]
    error = participant_error(PRESETS["per_capita"], participants)
    assert (error.code, error.participant_key) == ("population_negative", "3901")


def test_population_must_be_an_int() -> None:
    not_an_int: int = D(10)  # type: ignore[assignment]
    participants = [Participant("3901", population=not_an_int), Participant("3903", population=10)]
    error = participant_error(PRESETS["per_capita"], participants)
    assert (error.code, error.participant_key) == ("invalid_type", "3901")


def test_all_populations_zero() -> None:
    participants = [Participant("3901", population=0), Participant("3903", population=0)]
    error = error_for(D("100.00"), PRESETS["30/70"], participants)
    assert error.code == "population_zero"
    assert error.participant_key is None


USAGE = Weights(usage=D(100))
FIXED = Weights(equal=D(20), fixed=D(80))


def test_missing_usage() -> None:
    participants = [Participant("3901", usage=D(1)), Participant("3903")]
    error = participant_error(USAGE, participants)
    assert (error.code, error.participant_key) == ("usage_missing", "3903")


def test_negative_usage() -> None:
    participants = [Participant("3901", usage=D(2)), Participant("3903", usage=D("-0.5"))]
    error = participant_error(USAGE, participants)
    assert (error.code, error.participant_key) == ("usage_negative", "3903")


def test_non_finite_usage() -> None:
    participants = [Participant("3901", usage=D("NaN")), Participant("3903", usage=D(1))]
    error = participant_error(USAGE, participants)
    assert (error.code, error.participant_key) == ("not_finite", "3901")


def test_total_usage_zero() -> None:
    participants = [Participant("3901", usage=D(0)), Participant("3903", usage=D("0.00"))]
    error = error_for(D("100.00"), USAGE, participants)
    assert error.code == "usage_zero"


def test_missing_fixed_percent() -> None:
    participants = [Participant("3901", fixed_percent=D(100)), Participant("3903")]
    error = participant_error(FIXED, participants)
    assert (error.code, error.participant_key) == ("fixed_missing", "3903")


def test_negative_fixed_percent() -> None:
    participants = [
        Participant("3901", fixed_percent=D(110)),
        Participant("3903", fixed_percent=D(-10)),
    ]
    error = participant_error(FIXED, participants)
    assert (error.code, error.participant_key) == ("fixed_negative", "3903")


@pytest.mark.parametrize(
    ("percents", "shown"),
    [(("50", "49.99"), "99.99"), (("60", "50"), "110"), (("0", "0"), "0")],
)
def test_fixed_percentages_must_add_up_to_100(percents: tuple[str, str], shown: str) -> None:
    participants = [
        Participant("3901", fixed_percent=D(percents[0])),
        Participant("3903", fixed_percent=D(percents[1])),
    ]
    error = error_for(D("100.00"), FIXED, participants)
    assert error.code == "fixed_sum"
    assert f"add up to {shown}" in str(error)


# ---------------------------------------------------------------- properties


def exact_share(
    total: Decimal, weights: Weights, participants: list[Participant], index: int
) -> Fraction:
    """Independent textbook computation of one participant's exact share."""
    n = len(participants)
    populations = sum(p.population or 0 for p in participants)
    usages = sum(Fraction(p.usage or 0) for p in participants)
    me = participants[index]
    share = Fraction(weights.equal) / 100 / n
    if weights.per_capita:
        share += Fraction(weights.per_capita) / 100 * Fraction(me.population or 0, populations)
    if weights.usage:
        share += Fraction(weights.usage) / 100 * Fraction(me.usage or 0) / usages
    if weights.fixed:
        share += Fraction(weights.fixed) / 100 * Fraction(me.fixed_percent or 0) / 100
    return Fraction(total) * share


def hundredths(total: int, parts: int) -> st.SearchStrategy[list[Decimal]]:
    """`parts` non-negative Decimals with 2 decimals adding up to `total` hundredths."""
    cuts = st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)
    return cuts.map(
        lambda c: [from_ore(b - a) for a, b in itertools.pairwise([0, *sorted(c), total])]
    )


weights_strategy = st.one_of(
    st.sampled_from(list(PRESETS.values())),
    hundredths(10_000, 4).map(lambda w: Weights(*w)),
)

# Few distinct values, so participants with equal inputs turn up often.
POOL_POPULATIONS = [0, 1, 1_000, 27_000]
POOL_USAGES = [D(0), D("0.5"), D(3)]
POOL_FIXED = [D(0), D("2.5"), D("7.5")]


@st.composite
def allocation_inputs(draw: st.DrawFn) -> tuple[Decimal, Weights, list[Participant]]:
    numbers = draw(st.lists(st.integers(101, 5699), min_size=1, max_size=12, unique=True))
    keys = [f"{number:04d}" for number in numbers]
    n = len(keys)
    weights = draw(weights_strategy)
    total = from_ore(draw(st.one_of(st.integers(0, 1_000), st.integers(0, 10**12))))
    if draw(st.booleans()):
        populations = draw(st.lists(st.sampled_from(POOL_POPULATIONS), min_size=n, max_size=n))
        usages = draw(st.lists(st.sampled_from(POOL_USAGES), min_size=n, max_size=n))
        fixed = draw(st.lists(st.sampled_from(POOL_FIXED), min_size=n - 1, max_size=n - 1))
        fixed.append(D(100) - sum(fixed, D(0)))  # at most 11 * 7.5 above, so never negative
    else:
        populations = draw(st.lists(st.integers(0, 1_500_000), min_size=n, max_size=n))
        usages = [
            D(units).scaleb(-scale)
            for units, scale in draw(
                st.lists(
                    st.tuples(st.integers(0, 10**6), st.integers(0, 3)), min_size=n, max_size=n
                )
            )
        ]
        fixed = draw(hundredths(10_000, n))
    if sum(populations) == 0:
        populations[0] = 1
    if sum(usages) == 0:
        usages[-1] = D(1)
    participants = [
        Participant(key, population, usage, percent)
        for key, population, usage, percent in zip(keys, populations, usages, fixed, strict=True)
    ]
    return total, weights, participants


fast = settings(max_examples=200, deadline=None)


@fast
@given(allocation_inputs())
def test_shares_add_up_to_the_total_with_two_decimals(
    inputs: tuple[Decimal, Weights, list[Participant]],
) -> None:
    total, weights, participants = inputs
    shares = allocate(total, weights, participants)
    assert [share.key for share in shares] == [p.key for p in participants]
    assert sum(share.amount for share in shares) == total
    for share in shares:
        assert share.amount.as_tuple().exponent == -2


@fast
@given(allocation_inputs())
def test_no_share_is_negative(inputs: tuple[Decimal, Weights, list[Participant]]) -> None:
    assert all(share.amount >= 0 for share in allocate(*inputs))


@fast
@given(allocation_inputs())
def test_shares_are_less_than_one_ore_from_the_exact_value(
    inputs: tuple[Decimal, Weights, list[Participant]],
) -> None:
    total, weights, participants = inputs
    for index, share in enumerate(allocate(total, weights, participants)):
        exact = exact_share(total, weights, participants, index)
        assert abs(Fraction(share.amount) - exact) < ONE_ORE


@fast
@given(allocation_inputs())
def test_equal_inputs_get_shares_within_one_ore(
    inputs: tuple[Decimal, Weights, list[Participant]],
) -> None:
    shares = allocate(*inputs)
    participants = inputs[2]
    for a, share_a in zip(participants, shares, strict=True):
        for b, share_b in zip(participants, shares, strict=True):
            if (a.population, a.usage, a.fixed_percent) == (b.population, b.usage, b.fixed_percent):
                assert abs(share_a.amount - share_b.amount) <= D("0.01")


@fast
@given(allocation_inputs(), st.data())
def test_participant_order_does_not_matter(
    inputs: tuple[Decimal, Weights, list[Participant]], data: st.DataObject
) -> None:
    total, weights, participants = inputs
    shuffled = data.draw(st.permutations(participants))
    assert amounts(allocate(total, weights, shuffled)) == amounts(
        allocate(total, weights, participants)
    )


@fast
@given(allocation_inputs())
def test_a_larger_population_never_pays_less_per_capita(
    inputs: tuple[Decimal, Weights, list[Participant]],
) -> None:
    total, _, participants = inputs
    shares = allocate(total, PRESETS["per_capita"], participants)
    by_population = sorted(
        zip(participants, shares, strict=True), key=lambda pair: pair[0].population or 0
    )
    for (small, small_share), (large, large_share) in itertools.pairwise(by_population):
        if (large.population or 0) > (small.population or 0):
            assert large_share.amount >= small_share.amount
