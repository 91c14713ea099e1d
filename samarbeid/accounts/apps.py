from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "samarbeid.accounts"
    label = "accounts"
