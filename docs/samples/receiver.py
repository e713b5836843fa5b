#!/usr/bin/env python3
"""A webhook receiver for trying HiShopping out: listens on 127.0.0.1:PORT, verifies each POST with webhook.py,
prints one line per event, and answers 200 (401 when the signature is wrong). Standard library only.

    python3 receiver.py PORT SIGN_KEY

A real receiver does the same three things: verify the raw body, dedupe by the event id (a redelivery keeps it),
answer 2xx quickly (serve waits at most 10 s and tries again later on anything else).
"""
import http.server
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webhook import verify  # noqa: E402

port, sign_key = int(sys.argv[1]), sys.argv[2]
seen = set()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            event = verify(sign_key, self.headers.get("X-HiShop-Signature", ""), body)
        except ValueError as e:
            print(f"refused: {e}", flush=True)
            self.send_response(401)
            self.end_headers()
            return
        again = " (again)" if event["id"] in seen else ""
        seen.add(event["id"])
        data = event["data"]
        subject = data.get("order_no") or data.get("reference_no") or data.get("available") or ""
        print(f"ok {event['id']} {event['type']} {subject}{again}", flush=True)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


print(f"listening on http://127.0.0.1:{port}/", flush=True)
http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
