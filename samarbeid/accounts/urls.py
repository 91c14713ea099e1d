from django.urls import path

from samarbeid.accounts import password_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("nokler/<int:pk>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
    path("roller/", views.role_list, name="role_list"),
    path("brukere/ny/", views.user_create, name="user_create"),
    path("brukere/<int:pk>/kontakt/", views.user_contact, name="user_contact"),
    path("brukere/<int:pk>/inviter-igjen/", views.invitation_resend, name="invitation_resend"),
    path("roller/<int:pk>/fjern/", views.role_remove, name="role_remove"),
    # choosing a password by an e-mailed link (an invitation, or «Glemt passord?»)
    path("passord/glemt/", password_views.password_forgot, name="password_forgot"),
    path("passord/sendt/", password_views.password_sent, name="password_sent"),
    path("passord/velg/<uidb64>/<token>/", password_views.password_set, name="password_set"),
    path("passord/lagret/", password_views.password_saved, name="password_saved"),
]
