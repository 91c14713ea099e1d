from django.apps import AppConfig


class OparlConfig(AppConfig):
    """OParl 1.1 (the open standard for council information systems), read only: the
    public cases, their treatments and the arenas. No records of its own."""

    name = "samarbeid.oparl"
    label = "oparl"
