#!/usr/bin/env python3
"""HiShopping Open API request signing (signature v1), standard library only.

    python3 sign.py VECTORS.json   prints the signature of each vector in the file, one per line
"""
import hashlib
import hmac
import json
import sys
from urllib.parse import quote, unquote_plus


def canonical_query(raw_query: str) -> str:
    pairs = []
    for part in raw_query.lstrip("?").split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        # Form-decode ('+' is a space), then re-encode with RFC 3986: only A-Z a-z 0-9 - . _ ~ stay as they are.
        pairs.append((quote(unquote_plus(name), safe="-._~"), quote(unquote_plus(value), safe="-._~")))
    pairs.sort()
    return "&".join(f"{n}={v}" for n, v in pairs)


def canonical_string(method, path, raw_query, app_id, timestamp, nonce, body: bytes) -> str:
    body_sha256 = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, canonical_query(raw_query), app_id, str(timestamp), nonce, body_sha256])


def sign(sign_key: str, canonical: str) -> str:
    return hmac.new(sign_key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_headers(app_id, api_key, sign_key, method, path, raw_query, timestamp, nonce, body: bytes) -> dict:
    canonical = canonical_string(method, path, raw_query, app_id, timestamp, nonce, body)
    return {
        "X-App-Id": app_id,
        "X-Api-Key": api_key,
        "X-Timestamp": str(timestamp),
        "X-Nonce": nonce,
        "X-Signature": sign(sign_key, canonical),
    }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        vectors = json.load(f)
    for v in vectors["vectors"]:
        canonical = canonical_string(v["method"], v["path"], v["query"], vectors["app_id"], v["timestamp"], v["nonce"], v["body"].encode("utf-8"))
        print(sign(vectors["sign_key"], canonical))
