from django.urls import path

from samarbeid.planning import views

# Mounted under a municipality (samarbeid/urls.py: kommuner/<code>/planstrategi/): every
# view takes the municipality's `code`.
app_name = "planning"
urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("ny/", views.strategy_create, name="strategy_create"),
    path("<int:pk>/", views.strategy_detail, name="strategy_detail"),
    path("<int:pk>/endre/", views.strategy_edit, name="strategy_edit"),
    path("<int:pk>/slett/", views.strategy_delete, name="strategy_delete"),
    path("<int:pk>/behov/ny/", views.need_create, name="need_create"),
    path("<int:pk>/behov/<int:need_pk>/endre/", views.need_edit, name="need_edit"),
    path("<int:pk>/behov/<int:need_pk>/slett/", views.need_delete, name="need_delete"),
]
