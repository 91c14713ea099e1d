from django.urls import path

from samarbeid.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("nokler/<int:pk>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
    path("roller/", views.role_list, name="role_list"),
    path("brukere/<int:pk>/kontakt/", views.user_contact, name="user_contact"),
    path("roller/<int:pk>/fjern/", views.role_remove, name="role_remove"),
]
