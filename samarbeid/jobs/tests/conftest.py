"""The test kinds (tests/kinds.py) registered for every test of the tasks, the failing one
set to fail, and what they noted cleared."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from samarbeid.jobs.tests import kinds


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    kinds.ensure()
    kinds.SEEN.clear()
    kinds.FAIL["on"] = True
    yield
    kinds.FAIL["on"] = True
