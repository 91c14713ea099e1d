"""Phrases: texts kept as message ids and parameters, told in the reader's language. Every
phrase the code writes has its English in the catalogue (a missing one would show bokmål to
an English reader without any error)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from django.conf import settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.core.phrases import Phrase, as_json, from_json, joined, phrase, plural, shown
from samarbeid.core.tests.test_translations import PO_FILE, _parse_po

SOURCE = Path(settings.BASE_DIR) / "samarbeid"


def _in(language: str, data: object) -> str:
    with translation.override(language):
        return shown(data)


def test_a_phrase_is_told_in_the_readers_language() -> None:
    title = phrase(
        "Utkast til fakturakjøring %(year)s for %(arena)s", year=2026, arena="Vestfoldrådet"
    )
    stored = json.loads(json.dumps(as_json(title)))  # as the database keeps it
    assert _in("nb", stored) == "Utkast til fakturakjøring 2026 for Vestfoldrådet"
    assert _in("en", stored) == "Draft invoice run 2026 for Vestfoldrådet"


def test_plural_forms_and_nested_phrases_are_told_again_when_read() -> None:
    message = joined(
        phrase(
            "Uttrekket er klart: %(cases)s og %(meetings)s.",
            cases=plural("%(n)d sak", "%(n)d saker", 1, n=1),
            meetings=plural("%(n)d møte", "%(n)d møter", 3, n=3),
        ),
        plural(
            "%(n)d sak er fortsatt til behandling og er ikke med.",
            "%(n)d saker er fortsatt til behandling og er ikke med.",
            2,
            n=2,
        ),
    )
    stored = json.loads(json.dumps(as_json(message)))
    assert _in("nb", stored) == (
        "Uttrekket er klart: 1 sak og 3 møter. 2 saker er fortsatt til behandling og er ikke med."
    )
    english = _in("en", stored)
    assert english.startswith("The extract is ready: 1 case and 3 meetings.")
    assert "1 sak" not in english


def test_a_text_that_came_worded_is_shown_as_it_came() -> None:
    refusal = "Kjøringen er allerede utstedt."  # a service's refusal, in its starter's language
    assert as_json(refusal) == refusal
    assert _in("en", as_json(refusal)) == refusal
    assert from_json(None) == ""


@given(
    year=st.integers(min_value=1900, max_value=2100),
    arena=st.text(min_size=1, max_size=40),
    count=st.integers(min_value=0, max_value=10**6),
)
def test_any_phrase_reads_back_as_it_was_written(year: int, arena: str, count: int) -> None:
    """Stored and read back, a phrase is the same phrase, whatever its parameters hold
    (a name with '%' or braces included)."""
    written = phrase(
        "%(action)s: fakturakjøring %(year)s for %(arena)s",
        action=plural("%(n)s e-post sendt", "%(n)s e-poster sendt", count, n=count),
        year=year,
        arena=arena,
    )
    read = from_json(json.loads(json.dumps(as_json(written))))
    assert read == written
    assert isinstance(read, Phrase)
    with translation.override("nb"):
        assert str(read).endswith(f": fakturakjøring {year} for {arena}")


def _phrases_in_source() -> list[tuple[str, int, str, str | None]]:
    """(file, line, msgid, plural msgid) of each phrase(...)/plural(...) call with literal
    message ids, and each task kind's label (a message id too)."""
    found: list[tuple[str, int, str, str | None]] = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            literals = [
                a.value
                for a in node.args[:2]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if node.func.id == "phrase" and literals:
                found.append((str(path), node.lineno, literals[0], None))
            elif node.func.id == "plural" and len(literals) == 2:
                found.append((str(path), node.lineno, literals[0], literals[1]))
            elif node.func.id == "gettext_noop" and literals:
                found.append((str(path), node.lineno, literals[0], None))
    return found


def test_every_phrase_in_the_code_has_its_english() -> None:
    catalogue = {str(e["msgid"]): e for e in _parse_po(PO_FILE) if e["msgid"]}
    found = _phrases_in_source()
    assert len(found) > 60  # the tasks' texts, at the least
    missing = []
    for path, line, msgid, plural_id in found:
        entry = catalogue.get(msgid)
        if entry is None:
            missing.append(f"{path}:{line}: {msgid!r}")
        elif plural_id is not None and entry.get("msgid_plural") != plural_id:
            missing.append(f"{path}:{line}: {msgid!r} has no plural {plural_id!r}")
    assert not missing, "\n".join(missing)
