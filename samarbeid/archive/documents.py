"""The document a case file carries: a plain PDF summary of the case and its treatments,
generated from the records (the product keeps no case presentation file). Always in
bokmål, whatever the user's language: it is the archive's copy, not a page."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from samarbeid.core.pdf import html_to_pdf
from samarbeid.governance.models import Case


def case_summary_html(case: Case) -> str:
    with override("nb"):
        return render_to_string(
            "archive/case_summary.html",
            {"case": case, "decisions": list(case.decisions.all()), "made": timezone.now()},
        )


def case_summary_pdf(case: Case) -> bytes:
    return html_to_pdf(case_summary_html(case))
