from django.urls import path

from samarbeid.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("ny/", views.case_create, name="case_create"),
    path("vedtak/nytt/", views.decision_create, name="decision_create"),
    path("vedtak/<int:pk>/behandling/", views.treatment_edit, name="treatment_edit"),
    path("vedtak/<int:pk>/overfor/", views.treatment_transfer, name="treatment_transfer"),
    path("vedtak/<int:pk>/stemmer/", views.votes, name="votes"),
    path("vedtak/<int:pk>/stemmer/ny/", views.vote_cast, name="vote_cast"),
    path("vedtak/<int:pk>/stemmer/avslutt/", views.vote_conclude, name="vote_conclude"),
    path("planer/", views.plan_list, name="plan_list"),
    path("planer/ny/", views.plan_create, name="plan_create"),
    path("planer/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/steg/ny/", views.step_add, name="step_add"),
    path("planer/<int:pk>/kalender.ics", views.plan_ics, name="plan_ics"),
    path("planer/steg/<int:pk>/utfort/", views.step_done, name="step_done"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
]
