from django.urls import path

from samarbeid.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("arsrapport/<int:arena_id>/<int:year>/", views.annual, name="annual"),
    path("arsrapport/<int:arena_id>/<int:year>/<str:fmt>/", views.annual, name="annual_as"),
    path(
        "arsrapport/<int:arena_id>/<int:year>/<str:fmt>/i-bakgrunnen/",
        views.annual_task,
        name="annual_task",
    ),
    path("kommune/", views.municipality_lookup, name="municipality_lookup"),
    path("kommune/<str:code>/", views.municipality, name="municipality"),
    path("kommune/<str:code>/<str:fmt>/", views.municipality, name="municipality_as"),
    path("tilskudd/<int:pk>/", views.grant, name="grant_report"),
    path("tilskudd/<int:pk>/<str:fmt>/", views.grant, name="grant_as"),
    path("plan/<int:pk>/", views.plan, name="plan"),
    path("plan/<int:pk>/<str:fmt>/", views.plan, name="plan_as"),
]
