from django.urls import path

from samarbeid.signin import views

app_name = "signin"
urlpatterns = [
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/svar/", views.callback, name="callback"),
]
