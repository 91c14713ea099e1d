"""The address a request came from, for the log-in lock-out (django-axes).

Behind a reverse proxy every request comes from the proxy's address (REMOTE_ADDR), so a
lock-out by address would lock a user out for everyone. The proxy appends the address it
was reached from to X-Forwarded-For; what stands to the left of that was written by the
client and proves nothing. With TRUSTED_PROXY_COUNT proxies in front of the app (0: none,
the default), the client's address is the one the outermost proxy appended: the
TRUSTED_PROXY_COUNT-th from the right. A request with fewer entries than that did not come
through the proxies, and counts by REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
