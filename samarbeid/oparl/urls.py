from django.urls import path

from samarbeid.oparl import views

# OParl 1.1 (read only). The paths follow the standard's object names (body, paper, …).
app_name = "oparl"
urlpatterns = [
    path("", views.system, name="system"),
    path("body", views.body_list, name="body_list"),
    path("body/<int:arena_id>", views.body, name="body"),
    path("body/<int:arena_id>/organization", views.organization_list, name="organization_list"),
    path("body/<int:arena_id>/paper", views.paper_list, name="paper_list"),
    path("body/<int:arena_id>/consultation", views.consultation_list, name="consultation_list"),
    path("body/<int:arena_id>/<str:part>", views.seam_list, name="seam_list"),
    path("organization/<str:key>", views.organization, name="organization"),
    path("paper/<int:case_id>", views.paper, name="paper"),
    path("consultation/<int:decision_id>", views.consultation, name="consultation"),
]
