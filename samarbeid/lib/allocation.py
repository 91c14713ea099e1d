"""Cost allocation between the participants of an inter-municipal cooperation.

An allocation key is a weighted mix (weights in percent, adding up to exactly 100) of the
components in `DECLARATION`, each declared once here and iterated by everything else (the
key's weight columns, its form, the API, the planner and the split):

* ``equal``: everyone pays the same share,
* ``per_capita``: shares proportional to population,
* ``usage``: shares proportional to units of usage,
* ``fixed``: negotiated percentages per participant (adding up to 100).

`allocate` computes each exact share (as an integer fraction of 1, `basis`), floors it to
the øre and hands the remaining øre, one each, to the largest remainders (ties: lowest
municipality number). The shares therefore always add up to the total to the øre, and no
share is off by a whole øre or more from its exact value.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from samarbeid.lib.money import from_ore

__all__ = [
    "COMPONENTS",
    "DECLARATION",
    "PRESETS",
    "AllocationError",
    "Basis",
    "Component",
    "MissingPopulationError",
    "Participant",
    "ParticipantError",
    "Share",
    "Weights",
    "allocate",
    "basis",
    "check_weights",
    "component",
    "preset_weights",
]

_HUNDRED = Fraction(100)


def gettext_noop(message: str) -> str:
    """Marks bokmål text for translation without importing Django (`makemessages` collects
    `gettext_noop("…")`); the pages translate it with gettext."""
    return message


class AllocationError(ValueError):
    """Invalid allocation input.

    `code` is a stable machine-readable reason (for translation by the caller);
    `participant_key` names the municipality the problem is about, when there is one.
    """

    def __init__(self, message: str, *, code: str, participant_key: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.participant_key = participant_key


class ParticipantError(AllocationError):
    """A problem with one participant's data; `participant_key` is always set."""

    participant_key: str

    def __init__(self, message: str, *, code: str, participant_key: str) -> None:
        super().__init__(message, code=code, participant_key=participant_key)


class MissingPopulationError(ParticipantError):
    """Population is needed but unknown; the caller typically adds which year was looked up."""

    def __init__(self, participant_key: str) -> None:
        super().__init__(
            f"Participant {participant_key} has no population figure, "
            "which the per capita component needs.",
            code="population_missing",
            participant_key=participant_key,
        )


Figure = int | Decimal | None


@dataclass(frozen=True)
class Participant:
    """One participant of a split and its figures: one attribute for each component that
    shares by a figure (`Component.attribute`); None: not known."""

    key: str  # municipality number, e.g. "3901"
    population: int | None = None
    usage: Decimal | None = None
    fixed_percent: Decimal | None = None

    @classmethod
    def with_figures(cls, key: str, figures: Mapping[str, Figure]) -> Participant:
        """A participant from its figures by attribute name (absent: not known)."""
        return cls(key, **dict(figures))  # type: ignore[arg-type]  # names checked by the dataclass


@dataclass(frozen=True)
class Share:
    key: str
    amount: Decimal


# The components ------------------------------------------------------------------------------

# A component's shares of 1: one integer numerator per participant over one denominator
# (the numerators add up to it). The denominator need not be the smallest: scaling every
# numerator and the denominator alike changes neither the øre nor the order of remainders.
Shares = tuple[Sequence[int], int]


@dataclass(frozen=True)
class Component:
    """One way of sharing a cost, declared once in `DECLARATION`: the key's weight column,
    its form field and API field (`name`), the pages' label, the figure it shares by and
    the error codes about that figure all come from here."""

    name: str  # the weight's name: Weights, AllocationKey's column, the form and the API
    label: str  # bokmål, marked for translation; the pages translate it
    attribute: str | None  # the Participant figure it shares by; None: needs none
    figure: str  # the figure in the library's (English) messages
    code: str  # errors about the figure: f"{code}_missing", f"{code}_negative", …
    rule: Callable[[Component, Sequence[Participant]], Shares]
    # A successor (lib.succession) without a figure of its own takes the sum of its
    # predecessors' (usage, negotiated percentages); False: its own only (population).
    successor_sums: bool = False

    @property
    def missing_code(self) -> str | None:
        """The code of the error for a participant without the figure (None: needs none)."""
        return None if self.attribute is None else f"{self.code}_missing"

    def shares(self, participants: Sequence[Participant]) -> Shares:
        """Each participant's share of 1 by this component alone; raises AllocationError
        (ParticipantError naming the participant) when their figures do not allow one."""
        return self.rule(self, participants)


def _equal(_component: Component, participants: Sequence[Participant]) -> Shares:
    return [1] * len(participants), len(participants)


def _by_population(_component: Component, participants: Sequence[Participant]) -> Shares:
    return _populations(participants)


def _by_figure(component: Component, participants: Sequence[Participant]) -> Shares:
    figures = _figures(component, participants)
    total = sum(figures, Fraction(0))
    if total == 0:
        raise AllocationError(
            f"The total {component.figure} is 0, so nothing can be shared by {component.name}.",
            code=f"{component.code}_zero",
        )
    return _integers([figure / total for figure in figures])


def _by_percentage(component: Component, participants: Sequence[Participant]) -> Shares:
    figures = _figures(component, participants)
    total = sum(figures, Fraction(0))
    if total != _HUNDRED:
        raise AllocationError(
            f"The {component.figure}s must add up to exactly 100, but they add up to "
            f"{_show(total)}.",
            code=f"{component.code}_sum",
        )
    return _integers([figure / _HUNDRED for figure in figures])


DECLARATION: tuple[Component, ...] = (
    Component("equal", gettext_noop("likt"), None, "", "equal", _equal),
    Component(
        "per_capita",
        gettext_noop("per innbygger"),
        "population",
        "population figure",
        "population",
        _by_population,
    ),
    Component(
        "usage",
        gettext_noop("forbruk"),
        "usage",
        "usage figure",
        "usage",
        _by_figure,
        successor_sums=True,
    ),
    Component(
        "fixed",
        gettext_noop("faste prosenter"),
        "fixed_percent",
        "fixed percentage",
        "fixed",
        _by_percentage,
        successor_sums=True,
    ),
)
COMPONENTS: tuple[str, ...] = tuple(c.name for c in DECLARATION)
_BY_NAME = {c.name: c for c in DECLARATION}


def component(name: str) -> Component:
    """The component declared with `name` (KeyError for another)."""
    return _BY_NAME[name]


class Weights:
    """Component weights in percent, one for each declared component (not given: 0), by
    name (`Weights(equal=Decimal(50), per_capita=Decimal(50))`) or in the declaration's
    order; read as attributes (`weights.equal`). Immutable; validated by `check_weights` /
    `allocate`, not here."""

    __slots__ = ("_values",)
    _values: dict[str, Decimal]

    def __init__(self, *values: Decimal, **named: Decimal) -> None:
        if len(values) > len(COMPONENTS):
            raise TypeError(f"Weights takes at most {len(COMPONENTS)} weights in order.")
        given = dict(zip(COMPONENTS, values, strict=False))
        for name, value in named.items():
            if name not in _BY_NAME or name in given:
                raise TypeError(f"Weights got an unknown or repeated component {name!r}.")
            given[name] = value
        object.__setattr__(self, "_values", {n: given.get(n, Decimal(0)) for n in COMPONENTS})

    def __getattr__(self, name: str) -> Decimal:
        if name.startswith("_"):  # not a component (and `_values` itself before it is set)
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __reduce__(self) -> tuple[type[Weights], tuple[Decimal, ...]]:
        return Weights, tuple(self._values.values())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Weights cannot be changed.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Weights) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(self._values.items()))

    def __repr__(self) -> str:
        given = ", ".join(f"{name}={value!r}" for name, value in self._values.items() if value)
        return f"Weights({given})"

    def __iter__(self) -> Iterator[tuple[Component, Decimal]]:
        """Each declared component with its weight, in the declaration's order."""
        return ((c, self._values[c.name]) for c in DECLARATION)

    def as_dict(self) -> dict[str, Decimal]:
        return dict(self._values)


PRESETS: dict[str, Weights] = {
    "equal": Weights(equal=Decimal(100)),
    "per_capita": Weights(per_capita=Decimal(100)),
    "50/50": Weights(equal=Decimal(50), per_capita=Decimal(50)),
    "30/70": Weights(equal=Decimal(30), per_capita=Decimal(70)),
}


def preset_weights(preset: str, typed: Mapping[str, Decimal | None]) -> Weights:
    """The weights a key gets from `preset` (a name in PRESETS; "" or None: none) and the
    weights a user typed (`typed`: component → value, None or absent: left blank).

    One rule for every channel, so that what a user sees is what is stored: without a
    preset the typed weights are taken as they are (blank: 0); with one, a blank weight
    takes the preset's value, and a typed weight must equal it, otherwise AllocationError
    (code "preset_unknown" or "preset_disagrees") is raised rather than one silently
    replacing the other. The sum is not checked here (`check_weights` does).
    """
    if not preset:
        return Weights(**{name: _typed(typed.get(name)) for name in COMPONENTS})
    chosen = PRESETS.get(preset)
    if chosen is None:
        raise AllocationError(f"Unknown preset {preset!r}.", code="preset_unknown")
    wanted = chosen.as_dict()
    for name in COMPONENTS:
        value = typed.get(name)
        if value is not None and _exact(value, f"The {name} weight") != Fraction(wanted[name]):
            raise AllocationError(
                f"The preset {preset} gives the {name} weight {wanted[name]}, not {value}.",
                code="preset_disagrees",
            )
    return chosen


def _typed(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


def _exact(value: object, what: str, *, participant_key: str | None = None) -> Fraction:
    # Floats are refused: 0.1 is not one tenth, and the point of this module is exactness.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        message = f"{what} must be a Decimal or an int, got {type(value).__name__}."
        if participant_key is not None:
            raise ParticipantError(message, code="invalid_type", participant_key=participant_key)
        raise AllocationError(message, code="invalid_type")
    if isinstance(value, Decimal) and not value.is_finite():
        message = f"{what} must be a finite number, got {value}."
        if participant_key is not None:
            raise ParticipantError(message, code="not_finite", participant_key=participant_key)
        raise AllocationError(message, code="not_finite")
    return Fraction(value)


def check_weights(weights: Weights) -> dict[str, Fraction]:
    """Validate the weights and return them as exact fractions of 1 (not percent).

    Raises AllocationError if a weight is negative, above 100, or the sum is not exactly 100.
    """
    exact: dict[str, Fraction] = {}
    for name in COMPONENTS:
        value = _exact(getattr(weights, name), f"The {name} weight")
        if value < 0 or value > _HUNDRED:
            raise AllocationError(
                f"The {name} weight must be between 0 and 100, got {getattr(weights, name)}.",
                code="weight_out_of_range",
            )
        exact[name] = value
    total = sum(exact.values(), Fraction(0))
    if total != _HUNDRED:
        raise AllocationError(
            f"The weights must add up to exactly 100, but they add up to {_show(total)}.",
            code="weights_sum",
        )
    return {name: value / _HUNDRED for name, value in exact.items()}


def _show(value: Fraction) -> str:
    # Weights and percentages are entered as decimals, so show sums the same way.
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{decimal.normalize():f}"


def _check_total(total: Decimal) -> int:
    exact = _exact(total, "The total")
    if exact < 0:
        raise AllocationError(
            f"The total must not be negative, got {total}.", code="total_negative"
        )
    ore = exact * 100
    if ore.denominator != 1:
        raise AllocationError(
            f"The total must be a whole number of øre (at most 2 decimals), got {total}.",
            code="total_decimals",
        )
    return ore.numerator


def _check_participants(participants: Sequence[Participant]) -> None:
    if not participants:
        raise AllocationError("There are no participants to allocate to.", code="no_participants")
    seen: set[str] = set()
    for participant in participants:
        key = participant.key
        if not isinstance(key, str) or not key:
            raise AllocationError(
                f"Every participant needs a non-empty key, got {key!r}.", code="invalid_key"
            )
        if key in seen:
            raise ParticipantError(
                f"Participant {key} is listed more than once.",
                code="duplicate_key",
                participant_key=key,
            )
        seen.add(key)


def _populations(participants: Sequence[Participant]) -> tuple[list[int], int]:
    """Each participant's population, validated, and their sum (never 0)."""
    populations: list[int] = []
    for participant in participants:
        population = participant.population
        if population is None:
            raise MissingPopulationError(participant.key)
        if isinstance(population, bool) or not isinstance(population, int):
            raise ParticipantError(
                f"Participant {participant.key} has a population that is not a whole number: "
                f"{population!r}.",
                code="invalid_type",
                participant_key=participant.key,
            )
        if population < 0:
            raise ParticipantError(
                f"Participant {participant.key} has a negative population ({population}).",
                code="population_negative",
                participant_key=participant.key,
            )
        populations.append(population)
    total = sum(populations)
    if total == 0:
        raise AllocationError(
            "All participants have a population of 0, so nothing can be shared per capita.",
            code="population_zero",
        )
    return populations, total


def _figures(component: Component, participants: Sequence[Participant]) -> list[Fraction]:
    """Each participant's figure for `component`, exact: missing or negative is refused."""
    assert component.attribute is not None, component.name
    figures: list[Fraction] = []
    for participant in participants:
        key = participant.key
        value = getattr(participant, component.attribute)
        if value is None:
            raise ParticipantError(
                f"Participant {key} has no {component.figure}, "
                f"which the {component.name} component needs.",
                code=f"{component.code}_missing",
                participant_key=key,
            )
        figure = _exact(value, f"The {component.figure} of {key}", participant_key=key)
        if figure < 0:
            raise ParticipantError(
                f"Participant {key} has a negative {component.figure} ({value}).",
                code=f"{component.code}_negative",
                participant_key=key,
            )
        figures.append(figure)
    return figures


@dataclass(frozen=True)
class Basis:
    """Each participant's exact share of 1 as `numerators[i] / denominator` (the numerators
    add up to the denominator), in the participants' order: computed once for a key and
    participants, then any total is split with integer arithmetic only."""

    keys: tuple[str, ...]
    numerators: tuple[int, ...]
    denominator: int

    def split_ore(self, total: Decimal) -> list[int]:
        """Each participant's share of `total` in whole øre: the exact share floored, and
        the øre left over (fewer than one per participant) one each to the largest
        remainders (ties: the lowest key). Raises AllocationError for a bad total."""
        total_ore = _check_total(total)
        denominator = self.denominator
        floored: list[int] = []
        remainders: list[int] = []
        for numerator in self.numerators:
            quotient, remainder = divmod(total_ore * numerator, denominator)
            floored.append(quotient)
            remainders.append(remainder)
        leftover = total_ore - sum(floored)
        # The exact shares add up to the total, so fewer than one øre per participant is left.
        assert 0 <= leftover < len(floored), (leftover, len(floored))
        if leftover:
            keys = self.keys
            order = sorted(range(len(keys)), key=lambda i: (-remainders[i], keys[i]))
            for index in order[:leftover]:
                floored[index] += 1
        return floored

    def split(self, total: Decimal) -> list[Share]:
        """`total` split: one Share per participant, in order, with exactly two decimals,
        adding up to `total` exactly."""
        return [
            Share(key=key, amount=from_ore(ore))
            for key, ore in zip(self.keys, self.split_ore(total), strict=True)
        ]


@functools.lru_cache(maxsize=1024)
def _cached_weights(typed: tuple[tuple[type, object], ...]) -> dict[str, Fraction]:
    """`check_weights` once per distinct key (an invoice run splits many lines by a few
    keys), keyed by each weight's type and value: 100.0 (refused) is not 100. The dict is
    shared: only read it. A bad key raises each time (not cached)."""
    values: list[Any] = [value for _type, value in typed]  # a Weights' own values, in order
    return check_weights(Weights(*values))


def _fractions_of_one(weights: Weights) -> dict[str, Fraction]:
    typed = tuple((type(value), value) for value in weights.as_dict().values())
    try:
        return _cached_weights(typed)
    except TypeError:  # a weight that cannot be hashed: checked (and refused) uncached
        return check_weights(weights)


def _integers(shares: Sequence[Fraction]) -> tuple[list[int], int]:
    """Fractions as numerators over one common denominator."""
    common = math.lcm(*(share.denominator for share in shares)) if shares else 1
    return [share.numerator * (common // share.denominator) for share in shares], common


def basis(weights: Weights, participants: Sequence[Participant]) -> Basis:
    """Validate the key and the participants' data and return each participant's exact
    share of 1 by `weights`. Components with weight 0 ignore their data (population may be
    None when per_capita is 0). Raises AllocationError; ParticipantError for one
    participant's data."""
    fractions_of_one = _fractions_of_one(weights)
    _check_participants(participants)
    count = len(participants)
    # Each component weighed as (weight, numerators, denominator): share_i = numerators[i] / den.
    components: list[tuple[Fraction, Sequence[int], int]] = [
        (fractions_of_one[c.name], *c.shares(participants))
        for c in DECLARATION
        if fractions_of_one[c.name]
    ]
    denominator = 1
    for weight, _numerators, common in components:
        denominator = math.lcm(denominator, weight.denominator * common)
    # weight × share × denominator is a whole number (the denominator is a multiple of the
    # weight's times the share's), computed in integers: Fraction arithmetic costs most here.
    numerators = [0] * count
    for weight, shares, common in components:
        scale = weight.numerator * (denominator // (weight.denominator * common))
        for index, share in enumerate(shares):
            numerators[index] += share * scale
    return Basis(
        keys=tuple(p.key for p in participants),
        numerators=tuple(numerators),
        denominator=denominator,
    )


def allocate(total: Decimal, weights: Weights, participants: Sequence[Participant]) -> list[Share]:
    """Split `total` between `participants` by the allocation key `weights`.

    Returns one Share per participant, in the order given, each with exactly two decimals;
    the shares add up to `total` exactly. Components with weight 0 ignore their data, so
    e.g. population may be None when per_capita is 0. Many totals over the same
    participants and key: `basis(weights, participants).split(total)` for each.

    Raises AllocationError (a ValueError) for invalid input; participant-specific problems
    raise ParticipantError with `participant_key` set.
    """
    _check_total(total)
    return basis(weights, participants).split(total)
