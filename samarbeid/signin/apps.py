from django.apps import AppConfig


class SigninConfig(AppConfig):
    """Signing in with the municipality's own account (OpenID Connect)."""

    name = "samarbeid.signin"
    verbose_name = "Innlogging med OpenID Connect"
