from django.urls import path

from samarbeid.strategy.views import account, benefits, goals, overview, plans, projects

app_name = "strategy"
urlpatterns = [
    path("", overview.index, name="index"),
    path("arena/<int:arena_id>/", overview.arena_dashboard, name="arena_dashboard"),
    path("arena/<int:arena_id>/planer/ny/", plans.plan_create, name="plan_create"),
    path("arena/<int:arena_id>/mal/ny/", goals.arena_goal_create, name="arena_goal_create"),
    path(
        "arena/<int:arena_id>/maloppnaelse/ny/",
        goals.assessment_create,
        name="assessment_create",
    ),
    path("arena/<int:arena_id>/regnskap/", account.period_account, name="period_account"),
    path(
        "arena/<int:arena_id>/administrasjonskostnad/ny/",
        account.admin_cost_create,
        name="admin_cost_create",
    ),
    path("planer/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/endre/", plans.plan_edit, name="plan_edit"),
    path("planer/<int:pk>/mal/ny/", plans.goal_create, name="goal_create"),
    path("planer/<int:pk>/punkt/ny/", plans.item_create, name="item_create"),
    path("planer/<int:pk>/innsatsomrade/ny/", plans.focus_area_create, name="focus_area_create"),
    path("planer/<int:pk>/send/", plans.plan_send, name="plan_send"),
    path("planer/<int:pk>/status/", plans.plan_status, name="plan_status"),
    path("planer/<str:kind>/<int:pk>/endre/", plans.part_edit, name="part_edit"),
    path("planer/<str:kind>/<int:pk>/slett/", plans.part_delete, name="part_delete"),
    path("mal/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("prosjekt/<int:pk>/", projects.project_results, name="project_results"),
    path("prosjekt/<int:pk>/<str:what>/ny/", projects.project_add, name="project_add"),
    path("kobling/<str:kind>/<int:pk>/fjern/", projects.unlink, name="unlink"),
    path("gevinst/<int:pk>/", benefits.benefit_detail, name="benefit_detail"),
    path(
        "gevinst/<int:pk>/realisering/ny/",
        benefits.realisation_create,
        name="realisation_create",
    ),
    path("gevinst/<int:pk>/endre/", benefits.benefit_edit, name="benefit_edit"),
    path(
        "kommune/<str:code>/gevinster/",
        benefits.municipality_benefits,
        name="municipality_benefits",
    ),
]
