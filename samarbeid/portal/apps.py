from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top of the house: what reads across every domain (the dashboard, open data,
    export and import of everything, the demo and scale seeding). Nothing imports it but
    the mounting layer (samarbeid/urls.py)."""

    name = "samarbeid.portal"
    label = "portal"
    verbose_name = "Samarbeid"

    def ready(self) -> None:
        # It imports every domain's models and services, loaded only now.
        from samarbeid.portal.jobs import register_kinds
        from samarbeid.portal.restore import register_edit_services

        register_edit_services()

        register_kinds()  # export and import of everything as background tasks
