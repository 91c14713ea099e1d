from django.urls import path

from samarbeid.meetings import views

# Mounted at /moter/ (samarbeid/urls.py).
app_name = "meetings"
urlpatterns = [
    path("arena/<int:arena_pk>/", views.body_list, name="body_list"),
    path("arena/<int:arena_pk>/organ/ny/", views.body_create, name="body_create"),
    path("organ/<int:pk>/", views.body_detail, name="body_detail"),
    path("organ/<int:pk>/endre/", views.body_edit, name="body_edit"),
    path("organ/<int:pk>/slett/", views.body_delete, name="body_delete"),
    path("organ/<int:pk>/medlemmer/ny/", views.member_create, name="member_create"),
    path("medlem/<int:pk>/endre/", views.member_edit, name="member_edit"),
    path("medlem/<int:pk>/slett/", views.member_delete, name="member_delete"),
    path("organ/<int:pk>/moter/ny/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/endre/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/slett/", views.meeting_delete, name="meeting_delete"),
    path("<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("<int:pk>/saker/ny/", views.item_create, name="item_create"),
    path("sak/<int:pk>/endre/", views.item_edit, name="item_edit"),
    path("sak/<int:pk>/slett/", views.item_delete, name="item_delete"),
    path("<int:pk>/send-innkalling/", views.notice_send, name="notice_send"),
    path("<int:pk>/innkalling-utenfor/", views.notice_outside, name="notice_outside"),
    path("<int:pk>/innkalling/", views.notice, name="notice"),
    path("<int:pk>/innkalling.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/innkalling.ics", views.notice_ics, name="notice_ics"),
    path("<int:pk>/dokumenter/ny/", views.document_create, name="document_create"),
    path("dokument/<int:pk>/", views.document_file, name="document_file"),
    path("dokument/<int:pk>/slett/", views.document_delete, name="document_delete"),
    path("<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("<int:pk>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/protokoll/tilstede/", views.attendance, name="attendance"),
    path("sak/<int:pk>/protokoll/", views.item_minutes, name="item_minutes"),
    path("sak/<int:pk>/avstemning/", views.item_votes, name="item_votes"),
    path("<int:pk>/protokoll/godkjenn/", views.minutes_approve, name="minutes_approve"),
]
