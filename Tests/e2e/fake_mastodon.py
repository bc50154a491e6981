#!/usr/bin/env python3
"""A local Mastodon instance for the browser test: the few REST endpoints Leopost's Mastodon
plugin calls, answering with Mastodon's Status and Account entities (docs.joinmastodon.org).

Usage: python3 fake_mastodon.py --port-file PATH --token TOKEN
Listens on a free 127.0.0.1 port (written to PATH), stops on SIGTERM.

- POST /api/v1/statuses (form or JSON; `status`, `visibility`; Idempotency-Key honoured) -> Status
- GET  /api/v1/statuses/:id, /api/v1/accounts/verify_credentials, /api/v1/accounts/:id/statuses
- GET  /_ledger -> the accepted statuses' ids and texts, for the test to check
A wrong token is 401 {"error": "The access token is invalid"}; a blank status 422; over 500 characters 422.
"""
import argparse
import html
import json
import threading
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT_ID = "109302436954721982"
USERNAME = "leopost"
lock = threading.Lock()
statuses = []          # dicts: id, text, visibility, created_at
by_key = {}            # Idempotency-Key -> status dict


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


class Handler(BaseHTTPRequestHandler):
    token = ""

    def log_message(self, *args):
        pass

    def origin(self):
        return "http://" + (self.headers.get("Host") or "127.0.0.1")

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-RateLimit-Limit", "300")
        self.send_header("X-RateLimit-Remaining", "299")
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        return self.headers.get("Authorization") == "Bearer " + self.token

    def account(self):
        o = self.origin()
        return {"id": ACCOUNT_ID, "username": USERNAME, "acct": USERNAME, "display_name": "Leopost", "locked": False,
                "bot": False, "created_at": "2022-11-01T00:00:00.000Z", "note": "", "url": f"{o}/@{USERNAME}",
                "uri": f"{o}/users/{USERNAME}", "followers_count": 0, "following_count": 0,
                "statuses_count": len(statuses), "emojis": [], "fields": []}

    def status_json(self, s):
        o = self.origin()
        paragraphs = [p for p in s["text"].split("\n\n") if p.strip()]
        content = "".join("<p>" + html.escape(p).replace("\n", "<br />") + "</p>" for p in paragraphs)
        return {"id": s["id"], "created_at": s["created_at"], "in_reply_to_id": None, "in_reply_to_account_id": None,
                "sensitive": False, "spoiler_text": "", "visibility": s["visibility"], "language": "en",
                "uri": f"{o}/users/{USERNAME}/statuses/{s['id']}", "url": f"{o}/@{USERNAME}/{s['id']}",
                "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": None, "content": content,
                "reblog": None, "application": {"name": "Leopost", "website": None}, "account": self.account(),
                "media_attachments": [], "mentions": [], "tags": [], "emojis": [], "card": None, "poll": None}

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if path == "/_ledger":
            with lock:
                return self.answer(200, [{"id": s["id"], "text": s["text"]} for s in statuses])
        if self.headers.get("Authorization") and not self.authorized():
            return self.answer(401, {"error": "The access token is invalid"})
        if path == "/api/v1/accounts/verify_credentials":
            if not self.authorized():
                return self.answer(401, {"error": "The access token is invalid"})
            return self.answer(200, self.account())
        if path.startswith("/api/v1/statuses/"):
            with lock:
                found = [s for s in statuses if s["id"] == path.rsplit("/", 1)[1]]
            return self.answer(200, self.status_json(found[0])) if found else self.answer(404, {"error": "Record not found"})
        if path == f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
            with lock:
                listed = [self.status_json(s) for s in reversed(statuses)][:40]
            return self.answer(200, listed)
        return self.answer(404, {"error": "Record not found"})

    def do_POST(self):
        if urllib.parse.urlparse(self.path).path != "/api/v1/statuses":
            return self.answer(404, {"error": "Record not found"})
        if not self.authorized():
            return self.answer(401, {"error": "The access token is invalid"})
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if (self.headers.get("Content-Type") or "").startswith("application/json"):
            fields = json.loads(raw or "{}")
        else:
            fields = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
        text = fields.get("status") or ""
        if not text.strip():
            return self.answer(422, {"error": "Validation failed: Text can't be blank"})
        if len(text) > 500:
            return self.answer(422, {"error": "Validation failed: Text character limit of 500 exceeded"})
        key = self.headers.get("Idempotency-Key")
        with lock:
            if key and key in by_key:
                return self.answer(200, self.status_json(by_key[key]))
            s = {"id": str(109400000000000000 + len(statuses) + 1), "text": text,
                 "visibility": fields.get("visibility") or "public", "created_at": now()}
            statuses.append(s)
            if key:
                by_key[key] = s
        return self.answer(200, self.status_json(s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--token", required=True)
    args = ap.parse_args()
    Handler.token = args.token
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
