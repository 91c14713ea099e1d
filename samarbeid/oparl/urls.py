from django.urls import path, re_path

from samarbeid.oparl import views

# OParl 1.1 (read only). The paths follow the standard's object names (body, paper, …).
app_name = "oparl"
urlpatterns = [
    path("", views.system, name="system"),
    path("body", views.body_list, name="body_list"),
    path("body/<int:arena_id>", views.body, name="body"),
    path("body/<int:arena_id>/organization", views.organization_list, name="organization_list"),
    path("body/<int:arena_id>/paper", views.paper_list, name="paper_list"),
    path("body/<int:arena_id>/consultation", views.consultation_list, name="consultation_list"),
    path("body/<int:arena_id>/meeting", views.meeting_list, name="meeting_list"),
    path("body/<int:arena_id>/agendaItem", views.agenda_item_list, name="agenda_item_list"),
    path("body/<int:arena_id>/file", views.file_list, name="file_list"),
    path("body/<int:arena_id>/<str:part>", views.seam_list, name="seam_list"),
    path(
        "organization/body-<int:body_id>/meeting",
        views.organization_meeting_list,
        name="organization_meeting_list",
    ),
    path("organization/<str:key>", views.organization, name="organization"),
    path("membership/<int:member_id>", views.membership, name="membership"),
    path("meeting/<int:meeting_id>", views.meeting, name="meeting"),
    path(
        "meeting/<int:meeting_id>/invitation",
        views.meeting_file,
        {"kind": "invitation"},
        name="meeting_invitation",
    ),
    path(
        "meeting/<int:meeting_id>/resultsProtocol",
        views.meeting_file,
        {"kind": "resultsProtocol"},
        name="meeting_results_protocol",
    ),
    path("agendaItem/<int:item_id>", views.agenda_item, name="agenda_item"),
    path("file/<int:document_id>", views.file, name="file"),
    path("paper/<int:case_id>", views.paper, name="paper"),
    path("consultation/<int:decision_id>", views.consultation, name="consultation"),
    # last: every other address here answers OParl's JSON 404 (a non-numeric id too)
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
