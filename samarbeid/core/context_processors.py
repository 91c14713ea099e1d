from typing import Any

from django.conf import settings
from django.http import HttpRequest

from samarbeid.accounts.permissions import is_any_secretariat, is_internal


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        # not "site_name": the log-in view sets that to the host name (django.contrib.sites)
        "product_name": settings.SITE_NAME,
        "user_is_internal": is_internal(user),
        "user_is_secretariat": is_any_secretariat(user),
    }
