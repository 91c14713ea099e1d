"""Statistics Norway's population file uploaded on a municipality's population page, in a
real browser: the page queues a task and shows the task's page, which follows the worker
(htmx) to the result and leads back to the population page; a bad file fails whole, naming
the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_accessibility import _scan

HEAD = '"07459: Befolkning, etter region og år"\n"1. januar"\n"region";"Personer 2025"\n'


def _upload(page: Any, tmp_path: Path, text: str) -> None:
    path = tmp_path / "07459.csv"
    path.write_text(text, encoding="utf-8")
    page.goto("/kommuner/3909/folketall/")
    page.get_by_label("Fil fra SSB (tabell 07459, semikolonseparert CSV)").set_input_files(
        str(path)
    )
    page.get_by_role("button", name="Last inn filen").click()
    page.get_by_role("heading", level=1, name="Import av folketall: 07459.csv").wait_for()


def test_the_upload_is_followed_on_its_task_page(
    page: Any, secretariat_user: Any, tmp_path: Path
) -> None:
    from samarbeid.jobs.tests.helpers import run_worker
    from samarbeid.registry.models import Population

    log_in(page, secretariat_user)
    _upload(page, tmp_path, HEAD + '"K-3909 Larvik";47512\n"K-3901 Horten";27700\n')
    assert "Venter" in page.locator("#job-status").inner_text()
    assert not Population.objects.exists()
    problems = _scan(page, page.url)

    run_worker(in_test_transaction=False)

    page.get_by_text("Ferdig", exact=True).wait_for(timeout=15_000)
    assert page.get_by_text("2 folketall er lest fra 07459.csv og lagret.").is_visible()
    problems += _scan(page, page.url)
    page.get_by_role("link", name="Tilbake til folketallene").click()
    page.wait_for_url("**/kommuner/3909/folketall/")
    assert page.get_by_role("cell", name="47 512").is_visible()
    assert Population.objects.count() == 2
    assert not problems, "\n".join(problems)


def test_a_bad_file_fails_whole_and_names_the_line(
    page: Any, secretariat_user: Any, tmp_path: Path
) -> None:
    from samarbeid.jobs.tests.helpers import run_worker
    from samarbeid.registry.models import Population

    log_in(page, secretariat_user)
    _upload(page, tmp_path, HEAD + '"K-3909 Larvik";47512\n"K-3901 Horten";mange\n')
    run_worker(in_test_transaction=False)
    page.get_by_text("Feilet", exact=True).wait_for(timeout=15_000)
    assert page.get_by_text(
        "07459.csv, linje 5: folketallet 'mange' for 3901 i 2025 er ikke et helt tall."
    ).is_visible()
    assert not Population.objects.exists()
