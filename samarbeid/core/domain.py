"""The one list of the product's domain apps: each says so on its AppConfig (`domain = True`).
Export/import and the history pages iterate it, in INSTALLED_APPS order, which is the
order of the layers (the register first), so what is loaded never names what is not yet."""

from __future__ import annotations

from django.apps import AppConfig, apps

from samarbeid.core.stamps import register_feeds


class DomainConfig(AppConfig):
    """The AppConfig of a domain app whose records feed the cached figures (core.stamps).
    An app's apps.py names it through the module (`domain.DomainConfig`), so that Django,
    looking for the app's one AppConfig there, does not also find this one."""

    domain = True  # its records are the product's data (domain_apps)

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)


def domain_apps() -> list[str]:
    """The labels of the domain apps, lowest layer first."""
    return [config.label for config in apps.get_app_configs() if getattr(config, "domain", False)]
