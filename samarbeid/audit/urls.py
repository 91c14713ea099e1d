from django.urls import path

from samarbeid.audit import views

app_name = "audit"
urlpatterns = [
    path("<str:label>/<str:pk>/", views.record_history, name="history"),
    path(
        "<str:label>/<str:pk>/gjenopprett/<int:entry_id>/",
        views.restore,
        name="restore",
    ),
]
