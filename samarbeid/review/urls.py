from django.urls import path

from samarbeid.review.views import advisor, comparisons, exits, overlap, proposals, rounds

app_name = "review"
urlpatterns = [
    path("", rounds.index, name="index"),
    path("runder/ny/", rounds.round_create, name="round_create"),
    path("runder/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("runder/<int:pk>/endre/", rounds.round_edit, name="round_edit"),
    path("runder/<int:pk>/slett/", rounds.round_delete, name="round_delete"),
    path("runder/<int:pk>/legg-til/", rounds.item_add, name="item_add"),
    path("runder/<int:pk>/vedta/", rounds.round_confirm, name="round_confirm"),
    path("runder/<int:pk>/gjennomfor/", rounds.round_apply, name="round_apply"),
    path("runder/<int:pk>/anbefal/", rounds.round_recommend, name="round_recommend"),
    path("punkter/<int:pk>/endre/", rounds.item_edit, name="item_edit"),
    path("punkter/<int:pk>/ta-ut/", rounds.item_remove, name="item_remove"),
    path("overlapp/", overlap.overlap, name="overlap"),
    path("forslag/", proposals.proposal_list, name="proposal_list"),
    path("forslag/ny/", proposals.proposal_create, name="proposal_create"),
    path("forslag/fra-behov/", proposals.proposal_from_needs, name="proposal_from_needs"),
    path("forslag/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("forslag/<int:pk>/endre/", proposals.proposal_edit, name="proposal_edit"),
    path("forslag/<int:pk>/klar/", proposals.proposal_ready, name="proposal_ready"),
    path("forslag/<int:pk>/gjenapne/", proposals.proposal_reopen, name="proposal_reopen"),
    path("forslag/kriterier/<int:pk>/endre/", proposals.criterion_edit, name="criterion_edit"),
    path("organisasjonsform/", advisor.advisor, name="advisor"),
    path("sammenligninger/", comparisons.comparison_list, name="comparison_list"),
    path("sammenligninger/ny/", comparisons.comparison_create, name="comparison_create"),
    path("sammenligninger/<int:pk>/", comparisons.comparison_detail, name="comparison_detail"),
    path("sammenligninger/<int:pk>/endre/", comparisons.comparison_edit, name="comparison_edit"),
    path(
        "sammenligninger/<int:pk>/slett/", comparisons.comparison_delete, name="comparison_delete"
    ),
    path(
        "sammenligninger/<int:pk>/alternativ/ny/",
        comparisons.alternative_create,
        name="alternative_create",
    ),
    path(
        "sammenligninger/<int:pk>/kriterium/ny/",
        comparisons.criterion_create,
        name="criterion_create",
    ),
    path(
        "sammenligninger/<int:pk>/deltaker/ny/",
        comparisons.participant_create,
        name="participant_create",
    ),
    path("sammenligninger/<int:pk>/poeng/", comparisons.scores_edit, name="scores_edit"),
    path("sammenligninger/kriterier/<int:pk>/vekt/", comparisons.weight_edit, name="weight_edit"),
    path("uttreden/", exits.exit_index, name="exit_index"),
    path("medlemskap/<int:pk>/uttreden/", exits.exit_analysis, name="exit_analysis"),
]
