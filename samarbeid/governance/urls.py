from django.urls import path

from samarbeid.governance import views

app_name = "governance"
urlpatterns = [
    path("vedtak/nytt/", views.decision_create, name="decision_create"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
]
