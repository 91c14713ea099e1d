"""Permission-matrix rows for signing in with OpenID Connect (see samarbeid/tests/matrix.py):
both pages only take GETs (to the provider, and back from it); what they refuse (an
unknown provider, a wrong state or nonce) is tested in test_oidc.py."""

NAMESPACES = {"signin"}
READ_ONLY_PAGES = {"signin:start", "signin:callback"}
