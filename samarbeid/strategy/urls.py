from django.urls import path

from samarbeid.strategy import views

app_name = "strategy"
urlpatterns = [
    path("", views.index, name="index"),
    path("arena/<int:arena_id>/", views.arena_dashboard, name="arena_dashboard"),
    path("arena/<int:arena_id>/planer/ny/", views.plan_create, name="plan_create"),
    path("arena/<int:arena_id>/mal/ny/", views.arena_goal_create, name="arena_goal_create"),
    path(
        "arena/<int:arena_id>/maloppnaelse/ny/",
        views.assessment_create,
        name="assessment_create",
    ),
    path("arena/<int:arena_id>/regnskap/", views.period_account, name="period_account"),
    path(
        "arena/<int:arena_id>/administrasjonskostnad/ny/",
        views.admin_cost_create,
        name="admin_cost_create",
    ),
    path("planer/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/endre/", views.plan_edit, name="plan_edit"),
    path("planer/<int:pk>/mal/ny/", views.goal_create, name="goal_create"),
    path("planer/<int:pk>/punkt/ny/", views.item_create, name="item_create"),
    path("planer/<int:pk>/innsatsomrade/ny/", views.focus_area_create, name="focus_area_create"),
    path("planer/<int:pk>/send/", views.plan_send, name="plan_send"),
    path("planer/<int:pk>/status/", views.plan_status, name="plan_status"),
    path("planer/<str:kind>/<int:pk>/slett/", views.part_delete, name="part_delete"),
    path("mal/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("prosjekt/<int:pk>/", views.project_results, name="project_results"),
    path("prosjekt/<int:pk>/<str:what>/ny/", views.project_add, name="project_add"),
    path("kobling/<str:kind>/<int:pk>/fjern/", views.unlink, name="unlink"),
    path("gevinst/<int:pk>/", views.benefit_detail, name="benefit_detail"),
    path(
        "gevinst/<int:pk>/realisering/ny/",
        views.realisation_create,
        name="realisation_create",
    ),
    path("gevinst/<int:pk>/endre/", views.benefit_edit, name="benefit_edit"),
    path(
        "kommune/<str:code>/gevinster/",
        views.municipality_benefits,
        name="municipality_benefits",
    ),
]
