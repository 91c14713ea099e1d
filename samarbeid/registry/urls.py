from django.urls import path

from samarbeid.registry import population_views, views

# A municipality's page ("<code>/", municipality_detail) lists its arenas: arenas serves it,
# and samarbeid/urls.py mounts it in this namespace.
app_name = "registry"
urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<str:code>/folketall/", population_views.population_page, name="population"),
    path("<str:code>/folketall/lagre/", population_views.population_save, name="population_save"),
    path(
        "<str:code>/folketall/fil/",
        population_views.population_import,
        name="population_import",
    ),
]
