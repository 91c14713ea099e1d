from django.urls import path

from samarbeid.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("nokler/<int:pk>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
    path("roller/", views.role_list, name="role_list"),
    path("roller/<int:pk>/fjern/", views.role_remove, name="role_remove"),
]
