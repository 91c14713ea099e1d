from django.urls import path

from samarbeid.meetings.views import bodies, documents, meetings, minutes, notice

# Mounted at /moter/ (samarbeid/urls.py).
app_name = "meetings"
urlpatterns = [
    path("", meetings.meeting_index, name="index"),
    path("arena/<int:arena_pk>/", bodies.body_list, name="body_list"),
    path("arena/<int:arena_pk>/organ/ny/", bodies.body_create, name="body_create"),
    path("organ/<int:pk>/", bodies.body_detail, name="body_detail"),
    path("organ/<int:pk>/endre/", bodies.body_edit, name="body_edit"),
    path("organ/<int:pk>/slett/", bodies.body_delete, name="body_delete"),
    path("organ/<int:pk>/medlemmer/ny/", bodies.member_create, name="member_create"),
    path("medlem/<int:pk>/endre/", bodies.member_edit, name="member_edit"),
    path("medlem/<int:pk>/slett/", bodies.member_delete, name="member_delete"),
    path("organ/<int:pk>/moter/ny/", meetings.meeting_create, name="meeting_create"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/endre/", meetings.meeting_edit, name="meeting_edit"),
    path("<int:pk>/slett/", meetings.meeting_delete, name="meeting_delete"),
    path("<int:pk>/status/", meetings.meeting_status, name="meeting_status"),
    path("<int:pk>/saker/ny/", meetings.item_create, name="item_create"),
    path("sak/<int:pk>/endre/", meetings.item_edit, name="item_edit"),
    path("sak/<int:pk>/slett/", meetings.item_delete, name="item_delete"),
    path("<int:pk>/send-innkalling/", notice.notice_send, name="notice_send"),
    path("<int:pk>/innkalling-utenfor/", notice.notice_outside, name="notice_outside"),
    path("<int:pk>/innkalling/", notice.notice, name="notice"),
    path("<int:pk>/innkalling.pdf", notice.notice_pdf, name="notice_pdf"),
    path("<int:pk>/innkalling.ics", notice.notice_ics, name="notice_ics"),
    path("<int:pk>/dokumenter/ny/", documents.document_create, name="document_create"),
    path("dokument/<int:pk>/", documents.document_file, name="document_file"),
    path("dokument/<int:pk>/slett/", documents.document_delete, name="document_delete"),
    path("<int:pk>/protokoll/", minutes.minutes, name="minutes"),
    path("<int:pk>/protokoll.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/protokoll/tilstede/", minutes.attendance, name="attendance"),
    path("sak/<int:pk>/protokoll/", minutes.item_minutes, name="item_minutes"),
    path("sak/<int:pk>/avstemning/", minutes.item_votes, name="item_votes"),
    path("<int:pk>/protokoll/godkjenn/", minutes.minutes_approve, name="minutes_approve"),
]
