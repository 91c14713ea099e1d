"""export_all / import_all: a round trip of the demo data, and an import that refuses a file
with one bad record among many, writing nothing and naming the record."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from samarbeid.accounts.models import ApiToken
from samarbeid.accounts.services import create_token
from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import AuditEntry
from samarbeid.portal.demo import load_demo
from samarbeid.portal.transfer import ImportRefused, exported_models, import_from
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _wipe() -> None:
    """Empty every exported table, as a fresh database after `migrate`."""
    ApiToken.objects.all().delete()
    with connection.constraint_checks_disabled():
        for model in reversed(exported_models()):
            queryset = model._default_manager.all()
            queryset._raw_delete(queryset.db)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in exported_models()}


@pytest.fixture
def demo(db: None) -> Any:
    load_demo()


def test_round_trip_of_the_demo_data(demo: None, tmp_path: Path) -> None:
    secretariat = get_user_model().objects.get(username="sekretariat")
    create_token(secretariat, "integrasjon")
    first = tmp_path / "first.json"
    call_command("export_all", str(first))
    before = _counts()
    assert before["arenas.Arena"] > 0
    assert before["audit.AuditEntry"] > 0
    data = json.loads(first.read_text())
    labels = {r["model"] for r in data["records"]}
    assert "accounts.apitoken" not in labels
    passwords = [r["fields"]["password"] for r in data["records"] if r["model"] == "auth.user"]
    hashed = ("pbkdf2_", "argon2", "bcrypt", "md5$", "!")  # md5: the tests' fast hasher
    assert passwords
    assert all(p.startswith(hashed) for p in passwords)

    _wipe()
    assert Arena.objects.count() == 0
    assert Municipality.objects.count() == 0
    call_command("import_all", str(first))
    assert _counts() == before
    assert ApiToken.objects.count() == 0  # tokens are not part of the export
    second = tmp_path / "second.json"
    call_command("export_all", str(second))
    # Lossless: times keep their microseconds, and the second export is byte-identical.
    assert re.search(r'"at": "[0-9T:-]+\.[0-9]{6}Z"', first.read_text())
    if first.read_bytes() != second.read_bytes():
        again = json.loads(second.read_text())["records"]
        original = json.loads(first.read_text())["records"]
        differing = [(a, b) for a, b in zip(original, again, strict=True) if a != b]
        assert differing[:3] == []
    assert first.read_bytes() == second.read_bytes()
    # The imported users can still sign in with their passwords.
    assert get_user_model().objects.get(username="sekretariat").check_password("demo-passord-12k")


@pytest.fixture
def many(secretariat: Any) -> None:
    """The register plus twenty arenas with members and their decisions."""
    from samarbeid.arenas.tests.factories import arena_with_members

    for _ in range(20):
        arena_with_members(["3909", "3901", "3907"])


def test_one_bad_record_among_many_writes_nothing_and_is_named(many: None, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    call_command("export_all", str(path))
    data = json.loads(path.read_text())
    memberships = [r for r in data["records"] if r["model"] == "arenas.membership"]
    arenas = [r for r in data["records"] if r["model"] == "arenas.arena"]
    assert len(data["records"]) > 1000
    bad_arena = arenas[len(arenas) // 2]
    bad_arena["fields"]["kind"] = "ikke-en-type"
    path.write_text(json.dumps(data))
    _wipe()

    with pytest.raises(ImportRefused) as refused:
        import_from(path)
    named = [str(p) for p in refused.value.problems]
    assert len(named) == 1
    assert named[0].startswith(f"arenas.arena pk={bad_arena['pk']}, field kind: ")
    assert all(count == 0 for count in _counts().values())

    # A dangling reference is named too, and the command says nothing was imported.
    bad_arena["fields"]["kind"] = "other"
    memberships[0]["fields"]["decision"] = 987654
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="Nothing was imported") as failed:
        call_command("import_all", str(path))
    assert f"arenas.membership pk={memberships[0]['pk']}, field decision" in str(failed.value)
    assert "987654" in str(failed.value)
    assert Membership.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_import_refuses_a_database_that_already_holds_the_records(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    call_command("export_all", str(path))
    with pytest.raises(ImportRefused, match="already in the database"):
        import_from(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "other"}', "not a samarbeid-export file"),
        (
            '{"format": "samarbeid-export", "records": [{"model": "accounts.apitoken", "pk": 1}]}',
            "accounts.apitoken, field model: not importable",
        ),
    ],
)
def test_import_refuses_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ImportRefused, match=message):
        import_from(path)


def test_import_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_all", str(tmp_path / "nothing.json"))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        # PostgreSQL cannot store NUL; SQLite could: refused on both, before anything is written
        ({"name": "Null\u0000arena"}, "field name: contains the NUL character"),
        # a unique clash within the file, which full_clean cannot see
        ({"short_name": "CLASH"}, "short_name"),
        # the page's rule is the model's: a wrong check digit (a clerk's trial imported it)
        ({"organisation_number": "123456789"}, "organisation_number"),
    ],
)
def test_a_record_the_database_would_refuse_is_named(
    many: None, tmp_path: Path, change: dict[str, str], problem: str
) -> None:
    path = tmp_path / "export.json"
    call_command("export_all", str(path))
    data = json.loads(path.read_text())
    arenas = [r for r in data["records"] if r["model"] == "arenas.arena"]
    arenas[0]["fields"].update({k: v for k, v in change.items() if k != "short_name"})
    if "short_name" in change:
        arenas[0]["fields"]["short_name"] = arenas[1]["fields"]["short_name"]
        bad = arenas[1]
    else:
        bad = arenas[0]
    path.write_text(json.dumps(data))
    _wipe()
    with pytest.raises(CommandError, match="Nothing was imported") as failed:
        call_command("import_all", str(path))
    message = str(failed.value)
    assert f"arenas.arena pk={bad['pk']}" in message, message
    assert problem in message, message
    assert all(count == 0 for count in _counts().values())
