from django.urls import path

app_name = "oparl"
urlpatterns: list = []
