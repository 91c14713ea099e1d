"""The one list of the product's domain apps: each says so on its AppConfig (`domain = True`).
Export/import and the history pages iterate it, in INSTALLED_APPS order, which is the
order of the layers (the register first), so what is loaded never names what is not yet."""

from __future__ import annotations

from django.apps import apps


def domain_apps() -> list[str]:
    """The labels of the domain apps, lowest layer first."""
    return [config.label for config in apps.get_app_configs() if getattr(config, "domain", False)]
