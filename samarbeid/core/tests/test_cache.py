"""The in-process cache is bounded by size: old data versions' figures cannot make a worker
grow without end (issue 23, point 10)."""

from __future__ import annotations

import contextlib
import pickle
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from samarbeid.core.cache import SizeBoundedLocMemCache
from samarbeid.core.stamps import bump, cached_aggregate


def bounded(name: str, max_bytes: int, max_entries: int = 10_000) -> SizeBoundedLocMemCache:
    made = SizeBoundedLocMemCache(
        name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": max_entries}}
    )
    made.clear()
    return made


def held(made: SizeBoundedLocMemCache) -> int:
    """What the entries really take, counted from the store itself."""
    return sum(len(key) + len(value) for key, value in made._cache.items())


@pytest.mark.skipif(
    bool(settings.REDIS_URL),
    reason="this run uses the shared Redis cache; tests/test_shared_cache.py checks both choices",
)
def test_the_configured_cache_is_bounded_by_size() -> None:
    assert isinstance(caches["default"], SizeBoundedLocMemCache)
    options: Any = settings.CACHES["default"]["OPTIONS"]
    assert options["MAX_BYTES"] == 16 * 1024 * 1024


def test_old_entries_are_pushed_out_to_stay_under_the_bound() -> None:
    made = bounded("test-bound", 100_000)
    value = "x" * 10_000
    for number in range(50):
        made.set(f"key-{number}", value)
    assert made.total_bytes <= 100_000
    assert made.total_bytes == held(made)
    assert made.get("key-49") == value  # the newest stays
    assert made.get("key-0") is None  # the oldest went


def test_the_least_recently_read_goes_first() -> None:
    made = bounded("test-lru", 35_000)
    for number in range(3):
        made.set(f"key-{number}", "x" * 10_000)
    assert made.get("key-0") is not None  # read: now the most recently used
    made.set("key-3", "x" * 10_000)
    assert made.get("key-0") is not None
    assert made.get("key-1") is None


def test_an_entry_larger_than_the_bound_is_not_cached() -> None:
    made = bounded("test-huge", 10_000)
    made.set("small", 1)
    made.set("huge", "x" * 20_000)
    assert made.get("huge") is None
    assert made.get("small") == 1
    assert made.total_bytes == held(made)


def test_no_bound_by_size_when_max_bytes_is_zero() -> None:
    made = bounded("test-unbounded", 0)
    for number in range(20):
        made.set(f"key-{number}", "x" * 10_000)
    assert all(made.get(f"key-{number}") for number in range(20))


@pytest.mark.django_db
def test_cached_figures_of_every_data_version_stay_under_the_bound() -> None:
    """What made the workers grow: each write leaves the old version's figures behind."""
    made = bounded("test-versions", 200_000)
    import samarbeid.core.stamps as stamps

    original = stamps.cache
    stamps.cache = made  # type: ignore[assignment]
    try:
        for _ in range(40):
            bump()
            cached_aggregate("big", lambda: list(range(5_000)))
    finally:
        stamps.cache = original
    assert made.total_bytes <= 200_000
    assert made.total_bytes == held(made)


operations = st.lists(
    st.tuples(
        st.sampled_from(["set", "add", "get", "delete", "incr", "set_many", "touch"]),
        st.integers(0, 12),
        st.integers(0, 3000),
    ),
    max_size=60,
)


@hsettings(max_examples=200, deadline=None)
@given(operations, st.integers(0, 20_000), st.integers(1, 8))
def test_the_count_of_bytes_is_always_exact_and_bounded(
    ops: list[tuple[str, int, int]], max_bytes: int, max_entries: int
) -> None:
    made = bounded("test-property", max_bytes, max_entries)
    for op, number, size in ops:
        key = f"k{number}"
        value: Any = "y" * size
        if op == "set":
            made.set(key, value)
        elif op == "add":
            made.add(key, value)
        elif op == "get":
            made.get(key)
        elif op == "delete":
            made.delete(key)
        elif op == "incr":
            made.set(key, size)
            with contextlib.suppress(ValueError):  # not there when the bound left it out
                made.incr(key, 10**size)  # a bigger number: a bigger pickle
        elif op == "set_many":
            made.set_many({key: value, f"{key}b": value})
        elif op == "touch":
            made.touch(key, 0)  # expires it now: the next get removes it
        assert made.total_bytes == held(made)
        assert set(made._sizes) == set(made._cache) == set(made._expire_info)
        if max_bytes:
            assert made.total_bytes <= max_bytes
        assert len(made._cache) <= max_entries


def test_incr_counts_the_new_size() -> None:
    made = bounded("test-incr", 0)
    made.set("n", 1)
    made.incr("n", 10**100)
    key = made.make_and_validate_key("n")
    assert made.total_bytes == len(key) + len(pickle.dumps(1 + 10**100, made.pickle_protocol))
