from django.urls import path

from samarbeid.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<str:code>/", views.municipality_detail, name="municipality_detail"),
]
