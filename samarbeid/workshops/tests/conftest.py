"""Fixtures for workshops: an arena, a workshop with groups and open questions."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any, cast

import pytest
from django.core.cache import cache
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.audit.models import Channel
from samarbeid.workshops.models import Group, Question, Workshop
from samarbeid.workshops.services import answers
from samarbeid.workshops.services.groups import add_group
from samarbeid.workshops.services.workshops import create_question, create_workshop


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def still_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rate limit counts per clock minute: a test that sends a minute's worth of answers
    pins the limiter's clock, or a minute turning over mid-test resets the count (a flake)."""
    now = timezone.now()
    monkeypatch.setattr(answers, "timezone", SimpleNamespace(now=lambda: now))


@pytest.fixture
def workshop(secretariat: Any) -> Workshop:
    arena = cast(Arena, ArenaFactory(short_name="9K-T", name="9-kommunesamarbeidet (test)"))
    return create_workshop(
        Workshop(arena=arena, title="Hankø", date=date(2004, 3, 12), place="Hankø"),
        actor=secretariat,
        channel=Channel.COMMAND,
    )


@pytest.fixture
def groups(workshop: Workshop, secretariat: Any) -> list[Group]:
    return [
        add_group(workshop, f"Gruppe {n}", actor=secretariat, channel=Channel.COMMAND)
        for n in (1, 2, 3)
    ]


def make_question(workshop: Workshop, actor: Any, **fields: Any) -> Question:
    fields.setdefault("kind", Question.Kind.RANKED)
    fields.setdefault("text", "Hvilke innsatsområder er viktigst?")
    fields.setdefault("status", Question.Status.OPEN)
    return create_question(
        Question(workshop=workshop, **fields), actor=actor, channel=Channel.COMMAND
    )


@pytest.fixture
def ranked(workshop: Workshop, secretariat: Any) -> Question:
    return make_question(workshop, secretariat, label="B", min_themes=1, max_themes=3)


@pytest.fixture
def open_question(workshop: Workshop, secretariat: Any) -> Question:
    return make_question(
        workshop, secretariat, label="A", kind=Question.Kind.OPEN, text="Riktige strategier?"
    )


@pytest.fixture
def pros_cons(workshop: Workshop, secretariat: Any) -> Question:
    return make_question(
        workshop,
        secretariat,
        label="C",
        kind=Question.Kind.PROS_CONS,
        text="Fordeler og ulemper",
        alternatives="Nytt forsøk i 4 år\nVertskommune",
    )
