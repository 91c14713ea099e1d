from django.urls import path

from samarbeid.review import views

app_name = "review"
urlpatterns = [
    path("", views.index, name="index"),
    path("runder/ny/", views.round_create, name="round_create"),
    path("runder/<int:pk>/", views.round_detail, name="round_detail"),
    path("runder/<int:pk>/legg-til/", views.item_add, name="item_add"),
    path("runder/<int:pk>/vedta/", views.round_confirm, name="round_confirm"),
    path("runder/<int:pk>/gjennomfor/", views.round_apply, name="round_apply"),
    path("punkter/<int:pk>/endre/", views.item_edit, name="item_edit"),
    path("overlapp/", views.overlap, name="overlap"),
    path("forslag/", views.proposal_list, name="proposal_list"),
    path("forslag/ny/", views.proposal_create, name="proposal_create"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("forslag/<int:pk>/endre/", views.proposal_edit, name="proposal_edit"),
    path("forslag/<int:pk>/klar/", views.proposal_ready, name="proposal_ready"),
    path("forslag/<int:pk>/gjenapne/", views.proposal_reopen, name="proposal_reopen"),
    path("forslag/kriterier/<int:pk>/endre/", views.criterion_edit, name="criterion_edit"),
    path("organisasjonsform/", views.advisor, name="advisor"),
    path("sammenligninger/", views.comparison_list, name="comparison_list"),
    path("sammenligninger/ny/", views.comparison_create, name="comparison_create"),
    path("sammenligninger/<int:pk>/", views.comparison_detail, name="comparison_detail"),
    path(
        "sammenligninger/<int:pk>/alternativ/ny/",
        views.alternative_create,
        name="alternative_create",
    ),
    path("sammenligninger/<int:pk>/kriterium/ny/", views.criterion_create, name="criterion_create"),
    path(
        "sammenligninger/<int:pk>/deltaker/ny/",
        views.participant_create,
        name="participant_create",
    ),
    path("sammenligninger/<int:pk>/poeng/", views.scores_edit, name="scores_edit"),
    path("sammenligninger/kriterier/<int:pk>/vekt/", views.weight_edit, name="weight_edit"),
    path("uttreden/", views.exit_index, name="exit_index"),
    path("medlemskap/<int:pk>/uttreden/", views.exit_analysis, name="exit_analysis"),
]
