from django.urls import path

from samarbeid.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
