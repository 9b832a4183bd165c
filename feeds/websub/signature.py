"""A delivery's `X-Hub-Signature: <method>=<hex HMAC of the body>`, keyed with the subscription's secret."""
from __future__ import annotations

import hashlib
import hmac

METHODS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    """The header value a hub sends for this body."""
    return f"{method}={hmac.new(secret.encode(), body, METHODS[method]).hexdigest()}"


def check(secret: str, body: bytes, header: str | None) -> str | None:
    """None if the signature is right, else why not: "websub.unsigned" or "websub.bad_signature"."""
    if not header or "=" not in header:
        return "websub.unsigned"
    method, _, digest = header.strip().partition("=")
    if method.lower() not in METHODS:
        return "websub.bad_signature"
    expected = hmac.new(secret.encode(), body, METHODS[method.lower()]).hexdigest()
    return None if hmac.compare_digest(expected, digest.strip().lower()) else "websub.bad_signature"
