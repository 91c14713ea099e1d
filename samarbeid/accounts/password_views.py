"""Choosing a password by an e-mailed link (`accounts.passwords`): Django's own views with
the house's pages. «Glemt passord?» says the same whether or not the address is a user's."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from samarbeid.accounts.passwords import ChoosePasswordForm, ForgotPasswordForm

password_forgot = auth_views.PasswordResetView.as_view(
    form_class=ForgotPasswordForm,
    template_name="accounts/password_forgot.html",
    success_url=reverse_lazy("accounts:password_sent"),
)
password_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_sent.html"
)
password_set = auth_views.PasswordResetConfirmView.as_view(
    form_class=ChoosePasswordForm,
    template_name="accounts/password_set.html",
    success_url=reverse_lazy("accounts:password_saved"),
    reset_url_token="velg",  # noqa: S106 - the URL's word for "the token is in the session"
)
password_saved = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_saved.html"
)
