from django.urls import path

from samarbeid.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.index, name="index"),
    path("liste/", views.project_list, name="project_list"),
    path("liste/excel/", views.project_export, name="project_export"),
    path("ny/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/endre/", views.project_edit, name="project_edit"),
    path("<int:pk>/status/", views.project_status, name="project_status"),
    path("<int:pk>/deltakelse/", views.participation_change, name="participation_change"),
    path("kommune/<str:code>/", views.municipality_portfolio, name="municipality"),
]
