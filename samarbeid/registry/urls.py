from django.urls import path

from samarbeid.registry import views

# A municipality's page ("<code>/", municipality_detail) lists its arenas: arenas serves it,
# and samarbeid/urls.py mounts it in this namespace.
app_name = "registry"
urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
]
