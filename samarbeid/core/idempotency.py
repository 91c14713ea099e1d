"""`Idempotency-Key` for API POSTs that make documents which must exist once (an invoice
run, a credit note, a corrected invoice): a client that did not get the answer (a timeout,
a dropped connection) sends the request again with the same key and gets the first answer
back, status and body, with nothing written twice.

- The key is the user's: the same key from another user is another key.
- The same key with another method, path or body answers 422 (problem+json), nothing done.
- Only an answer given (2xx) is kept: a refusal writes nothing, so the request may be sent
  again with the same key once the problem is fixed.
- Two requests with the same key at the same moment: the second waits at the unique
  constraint on (user, key) until the first is saved, then gets its answer (or, if the
  first was refused, goes ahead itself). Never two documents.
- Without the header a request works as it did."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from ninja.responses import NinjaJSONEncoder

from samarbeid.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

# For the OpenAPI description of an operation that honours the header.
DESCRIPTION = (
    "Send an `Idempotency-Key` header (1-255 characters, e.g. a UUID) to make a retry safe: "
    "the same key again from the same user on the same path with the same body answers the "
    "first answer (status and body) and writes nothing; the same key with another request "
    "answers 422. Only answers given are kept: after a refusal the key may be used again."
)

View = TypeVar("View", bound=Callable[..., Any])


def body_hash(body: bytes) -> str:
    """SHA-256 of the request's body; a JSON body is hashed in one canonical form (keys
    sorted, no spaces), so the same request written another way is the same request."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:  # not JSON (or not UTF-8): the bytes as sent
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def _answer(result: Any) -> tuple[int, Any]:
    """The status and the body (as JSON values) of what a view returned."""
    if isinstance(result, Status):
        status, value = result.status_code, result.value
    else:
        status, value = 200, result
    return status, json.loads(json.dumps(value, cls=NinjaJSONEncoder))


def _refuse(message: str) -> ValidationError:
    return ValidationError({HEADER: [message]}, code="idempotency_key")


def _replay(earlier: IdempotentRequest, request: HttpRequest, digest: str) -> Status[Any]:
    same = (earlier.method, earlier.path, earlier.body_hash) == (
        request.method,
        request.path,
        digest,
    )
    if not same:
        raise _refuse(
            _(
                "Idempotency-Key er alt brukt til en annen forespørsel. Bruk en ny nøkkel "
                "for en ny forespørsel."
            )
        )
    return Status(earlier.status, earlier.response_body)


def idempotent(view: View) -> View:
    """Make the API view honour `Idempotency-Key` (see the module). Put it below the
    router's decorator, on a view that needs an authenticated user."""

    @functools.wraps(view)
    def honouring(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        user = request.user
        if key is None or isinstance(user, AnonymousUser):  # no key, or no one to keep it for
            return view(request, *args, **kwargs)
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise _refuse(_("Idempotency-Key må ha 1 til 255 tegn."))
        digest = body_hash(request.body)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    kept = IdempotentRequest.objects.create(
                        user=user,
                        key=key,
                        method=request.method or "",
                        path=request.path[:500],
                        body_hash=digest,
                    )
            except IntegrityError:
                # The key is taken: by an earlier request, or by one at the same moment
                # that has now been saved (the insert waited for it).
                earlier = IdempotentRequest.objects.get(user=user, key=key)
                return _replay(earlier, request, digest)
            result = view(request, *args, **kwargs)
            kept.status, kept.response_body = _answer(result)
            kept.save(update_fields=["status", "response_body"])
        return result

    return cast(View, honouring)  # the same signature: functools.wraps
