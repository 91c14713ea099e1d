"""The demo's grant report lists the results recorded for the project (a clerk's trial,
fund3 point 4): 12K's «Felles velferdsteknologi», financed in part by the county governor's
project funds, has results taken from what the demo says the project and the grant are for
(the mapping of needs, the joint procurement, better services through cooperation), with no
figures the texts do not give; on the page, the PDF and the workbook."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from samarbeid.finance.models import Grant
from samarbeid.portal.demo import load_demo
from samarbeid.strategy.models import Result

pytestmark = pytest.mark.django_db


def test_the_demo_grant_report_lists_the_projects_results(client: Client, secretariat: Any) -> None:
    load_demo()
    load_demo()  # idempotent: the results are not added twice
    grant = Grant.objects.get(line__budget__arena__short_name="12K")
    project = grant.line.project
    assert project is not None
    assert project.title == "Felles velferdsteknologi"
    results = list(Result.objects.filter(project=project))
    assert len(results) >= 2
    assert all(r.is_example_data for r in results)
    assert {r.kind for r in results} == {Result.Kind.PROFESSIONAL, Result.Kind.UNQUANTIFIABLE}
    assert not any(r.indicators.exists() for r in results)  # no figures the texts do not give
    titles = [r.title for r in results]

    client.force_login(secretariat)
    page = client.get(grant.get_absolute_url()).content.decode()
    for title in titles:
        assert title in page, title
    pdf = client.get(reverse("reports:grant_as", args=[grant.pk, "pdf"]))
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    for title in titles:
        assert " ".join(title.split()) in text, title
    xlsx = client.get(reverse("reports:grant_as", args=[grant.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Resultater"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == titles
