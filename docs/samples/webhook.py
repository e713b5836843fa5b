#!/usr/bin/env python3
"""Verify a HiShopping webhook (X-HiShop-Signature v1), standard library only.

    python3 webhook.py SIGN_KEY SIGNATURE_HEADER BODY_FILE [NOW]
        prints "ok <event id> <type>" and exits 0 when the signature is good, else prints why and exits 1

In a receiver: call verify() with the raw body bytes (before any JSON parsing), then dedupe by the event id.
"""
import hashlib
import hmac
import json
import sys
import time

TOLERANCE_SECONDS = 300


def verify(sign_key: str, header: str, body: bytes, now: float | None = None) -> dict:
    """Returns the event when the header signs this body within the tolerance; raises ValueError otherwise."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    timestamp, signature = fields.get("t"), fields.get("v1")
    if not timestamp or not signature or not timestamp.isdigit():
        raise ValueError("the header is not t=<unix seconds>,v1=<hex>")
    if abs((now if now is not None else time.time()) - int(timestamp)) > TOLERANCE_SECONDS:
        raise ValueError("the timestamp is more than 300 s away: a replay, or a clock that is off")
    expected = hmac.new(sign_key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise ValueError("the signature does not match this body and sign key")
    return json.loads(body)


if __name__ == "__main__":
    key, header, path = sys.argv[1], sys.argv[2], sys.argv[3]
    now = float(sys.argv[4]) if len(sys.argv) > 4 else None
    with open(path, "rb") as f:
        body = f.read()
    try:
        event = verify(key, header, body, now)
    except ValueError as e:
        print(f"refused: {e}")
        sys.exit(1)
    print(f"ok {event['id']} {event['type']}")
