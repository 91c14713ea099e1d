from django.urls import path

from samarbeid.archive import views

app_name = "archive"
urlpatterns = [
    path("uttrekk/", views.extract_page, name="extract_page"),
    path("uttrekk/start/", views.extract_start, name="extract_start"),
]
