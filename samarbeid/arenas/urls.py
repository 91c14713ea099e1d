from django.urls import path

from samarbeid.arenas import views

app_name = "arenas"
urlpatterns = [
    path("", views.arena_list, name="arena_list"),
    path("ny/", views.arena_create, name="arena_create"),
    path("<int:pk>/", views.arena_detail, name="arena_detail"),
    path("<int:pk>/endre/", views.arena_edit, name="arena_edit"),
    path("<int:pk>/kommuneendringer/", views.successions, name="successions"),
    path("<int:pk>/medlemmer/ny/", views.membership_create, name="membership_create"),
    path("medlemskap/<int:pk>/avslutt/", views.membership_end, name="membership_end"),
    path("medlemskap/<int:pk>/gjenapne/", views.membership_reopen, name="membership_reopen"),
]
