"""The report as a PDF (WeasyPrint renders the page's own body template) and as an Excel
workbook (openpyxl; amounts as numbers with two decimals)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from samarbeid.core.pdf import html_to_pdf
from samarbeid.lib import spreadsheet
from samarbeid.reports.services import AnnualReport, MunicipalityStatement, PlanReport
from samarbeid.strategy.services.account import AccountRow, PeriodAccount

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def pdf_response(
    request: HttpRequest, body_template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    html = render_to_string(
        "reports/pdf.html", {**context, "body_template": body_template}, request=request
    )
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def pdf_bytes(body_template: str, context: dict[str, Any], base_url: str) -> bytes:
    """A report's PDF without a request (a background task's)."""
    html = render_to_string("reports/pdf.html", {**context, "body_template": body_template})
    return html_to_pdf(html, base_url=base_url)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, Decimal):
                    cell.number_format = MONEY_FORMAT
        for index, header in enumerate(headers, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, min(60, len(str(header)) + 4))
    return spreadsheet.workbook_bytes(book)


def xlsx_response(sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def account_sheet(
    account: PeriodAccount, title: str, named: Sequence[tuple[str, AccountRow]]
) -> Sheet:
    """The account per municipality: `named`, its rows with their names (a report's as they
    were in its year: `strategy.services.account.named_rows`), then the sum."""
    headers = [
        _("Kommune"),
        _("Innsparing, estimert"),
        _("Innsparing, realisert"),
        _("Administrasjon"),
        _("Prosjektkostnader (fakturert)"),
        _("Andre kostnader"),
        _("Kostnader i alt"),
        _("Realisert innsparing minus kostnader"),
    ]
    rows: list[list[Any]] = []
    for name, r in [*named, (_("Sum"), account.total)]:
        rows.append(
            [
                name,
                r.savings_estimated,
                r.savings_realised,
                r.administration,
                r.project_costs,
                r.other_costs,
                r.costs,
                r.net_realised,
            ]
        )
    if account.external:  # apart: taken off the lines' costs, in no municipality's costs
        rows.append([_("Medlemmenes bidrag (administrasjon og prosjekter)"), account.contributions])
        rows.append([_("Eksterne midler"), account.external_total])
    if account.is_empty:
        rows = [
            [
                _("Ingen innsparinger eller kostnader er registrert for %(p)s.")
                % {"p": account.period_label}
            ]
        ]
    return (title, headers, rows + _left_out_rows(account))


def _left_out_rows(account: PeriodAccount) -> list[list[Any]]:
    """What the account's page says it leaves out, under the sum: the results the source
    keeps outside (with the reason) and those reaching beyond the period."""
    rows: list[list[Any]] = []
    if account.kept_outside:
        rows += [
            [],
            [_("Holdt utenfor regnskapet")],
            [
                _(
                    "Disse beløpene er ikke med i radene, summene eller nettoen over, fordi "
                    "kilden holder dem utenfor."
                )
            ],
        ]
        rows.append(
            [
                _("Prosjekt"),
                _("Type"),
                _("År"),
                _("Grunnlag"),
                _("Beløp (kr)"),
                _("Begrunnelse"),
                _("Kilde"),
            ]
        )
        rows += [
            [
                f"{e.project.title} ({e.municipality.name})" if e.municipality else e.project.title,
                e.get_kind_display(),
                e.years_label,
                e.get_basis_display(),
                e.amount,
                e.kept_outside_reason,
                e.source,
            ]
            for e in account.kept_outside
        ]
    if account.excluded:
        rows += [[], [_("Ikke tatt med (går utenfor perioden):")]]
        rows += [[str(note)] for note in account.excluded]
    return rows


def annual_sheets(report: AnnualReport) -> list[Sheet]:
    yes = _("ja")
    return [
        (
            _("Oversikt"),
            [_("Felt"), _("Verdi")],
            [
                [_("Arena"), report.arena.name],
                [_("År"), report.year],
                [_("Medlemmer 31.12."), report.member_count],
                [_("Saker opprettet"), len(report.cases)],
                [_("Vedtak fattet"), report.decision_count],
                [_("Prosjekter i året"), len(report.projects)],
                [_("Tom rapport"), yes if report.is_empty else ""],
            ],
        ),
        (
            _("Prosjekter"),
            [_("Kode"), _("Tittel"), _("Status"), _("Budsjett")],
            [[p.code, p.title, p.get_status_display(), p.budget] for p in report.projects],
        ),
        account_sheet(report.account, _("Regnskap"), report.named_rows),
        (
            _("Resultater"),
            [_("Prosjekt"), _("Type"), _("Resultat"), _("Dato")],
            [
                [r.project.title, r.get_kind_display(), r.title, r.recorded_on]
                for r in report.results
            ],
        ),
        (
            _("Måloppnåelse"),
            [_("Nr."), _("Mål"), _("Vurdering"), _("Dato"), _("Begrunnelse")],
            [
                [
                    g.number,
                    g.title,
                    a.get_attainment_display() if a else _("Ikke vurdert"),
                    a.assessed_on if a else None,
                    a.evidence if a else "",
                ]
                for g, a in report.goal_rows
            ],
        ),
    ]


def statement_sheets(statement: MunicipalityStatement) -> list[Sheet]:
    return [
        (
            _("Per år"),
            [_("År"), _("Betalt"), _("Innsparing, realisert"), _("Innsparing, estimert")],
            [[y.year, y.paid, y.saved_realised, y.saved_estimated] for y in statement.years]
            + [
                [
                    _("Sum"),
                    statement.paid_total,
                    statement.saved_realised_total,
                    statement.saved_estimated_total,
                ]
            ],
        ),
        (
            _("Arenaer"),
            [_("Arena"), _("Kommune"), _("Fra"), _("Til")],
            [[m.arena.name, str(m.municipality), m.joined, m.left] for m in statement.memberships],
        ),
        (
            _("Prosjekter"),
            [_("Kode"), _("Prosjekt"), _("Arena"), _("Fra"), _("Til")],
            [
                [p.project.code, p.project.title, p.project.arena.name, p.since, p.until]
                for p in statement.participations
            ],
        ),
        (
            _("Betalinger"),
            [_("Arena"), _("År"), _("Beløp"), _("Fakturert")],
            [
                [p.arena_name, p.year, p.amount, _("ja") if p.invoiced else _("nei, planlagt")]
                for p in statement.payments
            ],
        ),
        (
            _("Innsparinger"),
            [_("Prosjekt"), _("År"), _("Grunnlag"), _("Beløp"), _("Kilde")],
            [
                [s.project.title, s.years_label, s.get_basis_display(), s.amount, s.source]
                for s in statement.savings
            ],
        ),
        (
            _("Åpne gevinster"),
            [_("Prosjekt"), _("Gevinst"), _("Eier"), _("Måldato"), _("Status")],
            [
                [b.project.title, b.description, b.owner, b.target_date, b.get_status_display()]
                for b in statement.open_benefits
            ],
        ),
    ]


def plan_sheets(report: PlanReport) -> list[Sheet]:
    plan = report.plan
    coverage = report.coverage
    return [
        (
            _("Mål"),
            [_("Nr."), _("Mål"), _("Vurdering"), _("Dato")],
            [
                [
                    g.number,
                    g.title,
                    a.get_attainment_display() if a else _("Ikke vurdert"),
                    a.assessed_on if a else None,
                ]
                for g, a in report.goal_rows
            ],
        ),
        (
            _("Punkter"),
            [_("Type"), _("Punkt"), _("Beskrivelse")],
            [[label, i.title, i.description] for label, items in report.items for i in items]
            + [[_("innsatsområde"), f.title, f.description] for f in report.focus_areas],
        ),
        (
            _("Dekning"),
            [_("Innsatsområde"), _("Prosjekter"), _("Budsjett"), _("Andel (%)")],
            [
                [
                    s.area.title if s.area else _("Utenfor innsatsområdene"),
                    len(s.projects),
                    s.budget,
                    s.share,
                ]
                for s in coverage.areas
            ]
            + [[_("Mål uten prosjekt"), len(coverage.goals_without_project), None, None]],
        ),
        (
            _("Vedtak"),
            [_("Kommune"), _("Utfall"), _("Møtedato"), _("Saksnr.")],
            [
                [
                    str(r.municipality),
                    r.decision.get_outcome_display(),
                    r.decision.meeting_date,
                    r.decision.case_number,
                ]
                for r in report.adoption
            ],
        ),
        (
            _("Plan"),
            [_("Felt"), _("Verdi")],
            [
                [_("Plan"), plan.title],
                [_("Arena"), plan.arena.name],
                [_("Periode"), plan.period_label],
                [_("Status"), plan.get_status_display()],
            ],
        ),
    ]
