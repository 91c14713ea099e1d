from django.urls import URLPattern

app_name = "strategy"
urlpatterns: list[URLPattern] = []
