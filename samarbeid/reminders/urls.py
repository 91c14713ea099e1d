from django.urls import path

from samarbeid.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("avmeld-varsler/<str:token>/", views.contact_unsubscribe, name="contact_unsubscribe"),
]
