from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from samarbeid.finance.run_steps import approve_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026
from samarbeid.lib.ehf import validate_ehf

pytestmark = pytest.mark.django_db


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")


def test_writes_files_for_approved_run(arena: Any, secretariat: Any, tmp_path: Path) -> None:
    run = run_2026(arena, secretariat)
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    out = StringIO()
    call_command("invoice_run", "VF", "2026", "--out", str(tmp_path), stdout=out)
    names = sorted(p.name for p in tmp_path.iterdir())
    buyers = [n for n in VESTFOLD_NOW if n != "3905"]  # the host does not invoice itself
    assert names == sorted(
        [f"{n}.xml" for n in buyers] + [f"{n}.pdf" for n in buyers] + ["summary.csv"]
    )
    for number in buyers:
        assert validate_ehf((tmp_path / f"{number}.xml").read_bytes()) == []
        assert (tmp_path / f"{number}.pdf").read_bytes().startswith(b"%PDF")
    lines = (tmp_path / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "municipality;name;amount;kind;gross"
    assert lines[1] == "3901;Horten;100000.00;invoiced;"
    assert lines[-1] == "3905;Tønsberg;100000.00;own_share;"
    # by id too
    call_command("invoice_run", str(arena.pk), "2026", "--out", str(tmp_path / "b"), stdout=out)
    assert (tmp_path / "b" / "summary.csv").exists()


def test_preview_writes_nothing(arena: Any, secretariat: Any, tmp_path: Path) -> None:
    h.equal_budget(arena, 2026, "1000.00")
    out = StringIO()
    target = tmp_path / "none"
    call_command("invoice_run", "vf", "2026", "--out", str(target), "--preview", stdout=out)
    call_command("invoice_run", "vf", "2026", "--preview", stdout=out)  # --out not needed
    text = out.getvalue()
    assert "3909;Larvik;250.00" in text
    assert "nothing was written" in text
    assert not target.exists()


def test_refusals(arena: Any, secretariat: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--out DIR is required"):
        call_command("invoice_run", "VF", "2026")
    with pytest.raises(CommandError, match="No arena"):
        call_command("invoice_run", "NOPE", "2026", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="no invoice run"):
        call_command("invoice_run", "VF", "2026", "--out", str(tmp_path))
    run_2026(arena, secretariat)
    with pytest.raises(CommandError, match="draft"):
        call_command("invoice_run", "VF", "2026", "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()
    with pytest.raises(CommandError, match="no budget"):
        call_command("invoice_run", "VF", "2027", "--out", str(tmp_path), "--preview")
