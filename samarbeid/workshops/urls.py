from django.urls import path

from samarbeid.workshops import views

app_name = "workshops"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.workshop_create, name="create"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/endre/", views.workshop_edit, name="edit"),
    path("<int:pk>/grupper/ny/", views.group_create, name="group_create"),
    path("<int:pk>/lenker/", views.links, name="links"),
    path("<int:pk>/deltakere/ny/", views.participant_create, name="participant_create"),
    path("<int:pk>/sporsmal/ny/", views.question_create, name="question_create"),
    path("<int:pk>/oppsummering/", views.summary, name="summary"),
    path("<int:pk>/oppsummering.pdf", views.summary_pdf, name="summary_pdf"),
    path("grupper/<int:pk>/ny-lenke/", views.group_renew, name="group_renew"),
    path("grupper/<int:pk>/slett/", views.group_delete, name="group_delete"),
    path("grupper/<int:pk>/qr.svg", views.group_qr, name="group_qr"),
    path("deltakere/<int:pk>/fjern/", views.participant_delete, name="participant_delete"),
    path("sporsmal/<int:pk>/endre/", views.question_edit, name="question_edit"),
    path("sporsmal/<int:pk>/status/", views.question_status, name="question_status"),
    path("sporsmal/<int:pk>/plenum/", views.plenary, name="plenary"),
    path("sporsmal/<int:pk>/plenum/resultater/", views.plenary_results, name="plenary_results"),
    path("sporsmal/<int:pk>/temaer/", views.themes, name="themes"),
    path("g/<str:token>/", views.group_page, name="group_page"),
]
