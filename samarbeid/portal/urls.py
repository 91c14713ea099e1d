from django.urls import path, re_path

from samarbeid.portal import views

# The names predate the portal app and every template links by them ("core:home").
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("apne-data/", views.open_data, name="open_data"),
    path("apne-data/popolo.json", views.open_data_popolo, name="open_data_popolo"),
    re_path(
        r"^apne-data/(?P<slug>[a-z-]+)\.(?P<fmt>json|csv)$",
        views.open_data_file,
        name="open_data_file",
    ),
]
