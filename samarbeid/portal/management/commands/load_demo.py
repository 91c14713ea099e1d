from typing import Any

from django.core.management.base import BaseCommand

from samarbeid.portal.demo import load_demo


class Command(BaseCommand):
    help = "Load the register and the demo data from the source documents (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo()
        self.stdout.write("Demo data loaded.")
