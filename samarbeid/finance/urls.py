from django.urls import path

from samarbeid.finance.views import budgets, invoices, keys, overview, references, runs

app_name = "finance"
urlpatterns = [
    path("", overview.index, name="index"),
    path("arena/<int:pk>/", overview.arena_finance, name="arena"),
    path("arena/<int:pk>/nokler/ny/", keys.key_create, name="key_create"),
    path("arena/<int:pk>/budsjett/ny/", budgets.budget_create, name="budget_create"),
    path("arena/<int:pk>/kjoring/ny/", runs.run_create, name="run_create"),
    path("nokler/<int:pk>/", keys.key_detail, name="key_detail"),
    path("nokler/<int:pk>/endre/", keys.key_edit, name="key_edit"),
    path("nokler/<int:pk>/slett/", keys.key_delete, name="key_delete"),
    path("nokler/<int:pk>/forbruk/", keys.key_usage_add, name="key_usage_add"),
    path("nokler/<int:pk>/faste-prosenter/", keys.key_fixed_add, name="key_fixed_add"),
    path("budsjett/<int:pk>/", budgets.budget_detail, name="budget_detail"),
    path("budsjett/<int:pk>/endre/", budgets.budget_edit, name="budget_edit"),
    path("budsjett/<int:pk>/slett/", budgets.budget_delete, name="budget_delete"),
    path("budsjett/<int:pk>/linjer/ny/", budgets.line_add, name="line_add"),
    path("budsjettlinje/<int:pk>/endre/", budgets.line_edit, name="line_edit"),
    path("budsjettlinje/<int:pk>/slett/", budgets.line_delete, name="line_delete"),
    path("kjoring/<int:pk>/", runs.run_detail, name="run_detail"),
    path("kjoring/<int:pk>/diagram.svg", runs.run_chart, name="run_chart"),
    path("kjoring/<int:pk>/sammendrag.csv", runs.run_csv, name="run_csv"),
    path("kjoring/<int:pk>/sammendrag.xlsx", runs.run_xlsx, name="run_xlsx"),
    path("kjoring/<int:pk>/kontonummer/", runs.run_account, name="run_account"),
    path("kjoring/<int:pk>/<str:action>/", runs.run_action, name="run_action"),
    path("fakturareferanser/", references.references, name="references"),
    path("fakturareferanser/ny/", references.reference_set, name="reference_set"),
    path("fakturareferanser/<int:pk>/slett/", references.reference_delete, name="reference_delete"),
    path("faktura/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("faktura/<int:pk>/krediter/", invoices.credit_create, name="credit_create"),
    path("faktura/<int:pk>/ny/", invoices.replacement_create, name="replacement_create"),
    path("faktura/<int:pk>/ehf.xml", invoices.invoice_xml, name="invoice_xml"),
    path("faktura/<int:pk>/faktura.pdf", invoices.invoice_pdf, name="invoice_pdf"),
    path("kommune/<str:code>/", overview.municipality_payments, name="municipality"),
]
