from django.urls import path

from samarbeid.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("arena/<int:pk>/", views.arena_finance, name="arena"),
    path("arena/<int:pk>/nokler/ny/", views.key_create, name="key_create"),
    path("arena/<int:pk>/budsjett/ny/", views.budget_create, name="budget_create"),
    path("arena/<int:pk>/kjoring/ny/", views.run_create, name="run_create"),
    path("nokler/<int:pk>/", views.key_detail, name="key_detail"),
    path("nokler/<int:pk>/endre/", views.key_edit, name="key_edit"),
    path("nokler/<int:pk>/slett/", views.key_delete, name="key_delete"),
    path("nokler/<int:pk>/forbruk/", views.key_usage_add, name="key_usage_add"),
    path("nokler/<int:pk>/faste-prosenter/", views.key_fixed_add, name="key_fixed_add"),
    path("budsjett/<int:pk>/", views.budget_detail, name="budget_detail"),
    path("budsjett/<int:pk>/endre/", views.budget_edit, name="budget_edit"),
    path("budsjett/<int:pk>/slett/", views.budget_delete, name="budget_delete"),
    path("budsjett/<int:pk>/linjer/ny/", views.line_add, name="line_add"),
    path("budsjettlinje/<int:pk>/endre/", views.line_edit, name="line_edit"),
    path("budsjettlinje/<int:pk>/slett/", views.line_delete, name="line_delete"),
    path("kjoring/<int:pk>/", views.run_detail, name="run_detail"),
    path("kjoring/<int:pk>/diagram.svg", views.run_chart, name="run_chart"),
    path("kjoring/<int:pk>/sammendrag.csv", views.run_csv, name="run_csv"),
    path("kjoring/<int:pk>/sammendrag.xlsx", views.run_xlsx, name="run_xlsx"),
    path("kjoring/<int:pk>/kontonummer/", views.run_account, name="run_account"),
    path("kjoring/<int:pk>/<str:action>/", views.run_action, name="run_action"),
    path("fakturareferanser/", views.references, name="references"),
    path("fakturareferanser/ny/", views.reference_set, name="reference_set"),
    path("fakturareferanser/<int:pk>/slett/", views.reference_delete, name="reference_delete"),
    path("faktura/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("faktura/<int:pk>/krediter/", views.credit_create, name="credit_create"),
    path("faktura/<int:pk>/ny/", views.replacement_create, name="replacement_create"),
    path("faktura/<int:pk>/ehf.xml", views.invoice_xml, name="invoice_xml"),
    path("faktura/<int:pk>/faktura.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("kommune/<str:code>/", views.municipality_payments, name="municipality"),
]
