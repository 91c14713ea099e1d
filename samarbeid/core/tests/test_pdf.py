"""Every printed document goes through one HTML-to-PDF function; the background worker loads
the PDF engine as it starts, so its first PDF task does not wait for it."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from samarbeid.core import pdf
from samarbeid.jobs.apps import started_as_worker


def _text(document: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_html_becomes_a_pdf_with_the_added_stylesheet() -> None:
    plain = pdf.html_to_pdf("<p>Kostnadsfordeling 2026: 1 234,50 kr, Tønsberg</p>")
    assert plain.startswith(b"%PDF")
    assert "Kostnadsfordeling 2026: 1 234,50 kr, Tønsberg" in _text(plain)
    # the added stylesheet applies: A5 pages make two pages of what fits on one A4
    long = "".join(f"<p>Linje {n}</p>" for n in range(40))
    a4 = PdfReader(io.BytesIO(pdf.html_to_pdf(long)))
    a5 = PdfReader(io.BytesIO(pdf.html_to_pdf(long, css="@page { size: A5; }")))
    assert len(a5.pages) > len(a4.pages)


def test_only_the_worker_warms_the_pdf_engine_as_it_starts() -> None:
    assert started_as_worker(["manage.py", "db_worker"])
    assert started_as_worker(["/srv/samarbeid/manage.py", "db_worker", "--batch"])
    assert not started_as_worker(["manage.py", "runserver"])
    assert not started_as_worker(["gunicorn", "samarbeid.wsgi"])
    assert not started_as_worker(["manage.py"])


def test_a_warm_up_that_fails_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(html: str, **_: object) -> bytes:
        raise OSError("no fonts")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    with caplog.at_level(logging.WARNING, logger="samarbeid.core.pdf"):
        pdf.warm_up()
    assert "could not be warmed up" in caplog.text


def test_a_started_worker_has_the_pdf_engine_loaded() -> None:
    """In a real process: Django set up as the worker is (its argv) has WeasyPrint loaded;
    set up as any other command, it has not."""
    probe = (
        "import sys, django; sys.argv = ['manage.py', {command!r}]; django.setup(); "
        "print('weasyprint' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[3]

    def loaded(command: str) -> str:
        return subprocess.run(  # noqa: S603 — this Python, a fixed probe
            [sys.executable, "-c", probe.format(command=command)],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "samarbeid.settings"},
        ).stdout.strip()

    assert loaded("db_worker") == "True"
    assert loaded("migrate") == "False"
