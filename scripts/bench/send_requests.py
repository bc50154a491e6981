#!/usr/bin/env python3
"""Sends COUNT requests one after another on one keep-alive connection, for instruction counts
under callgrind: `webhook` posts Telegram updates (update ids from FIRST, chats in turn), `get`
fetches a path. Exits non-zero when any answer is not 2xx."""
import argparse
import http.client
import json

parser = argparse.ArgumentParser()
parser.add_argument("mode", choices=["webhook", "get"])
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--path", required=True)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--secret", default="")
parser.add_argument("--first", type=int, default=1)
parser.add_argument("--first-chat", type=int, default=5001)
parser.add_argument("--chats", type=int, default=64)
args = parser.parse_args()

connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
bad = 0
for n in range(args.count):
    if args.mode == "get":
        connection.request("GET", args.path)
    else:
        update = args.first + n
        chat = args.first_chat + n % args.chats
        body = json.dumps({"update_id": update, "message": {
            "message_id": update, "from": {"id": chat, "is_bot": False, "first_name": "Bench"},
            "chat": {"id": chat, "type": "private"}, "date": 1709659500, "text": f"bench message {update}"}})
        connection.request("POST", args.path, body=body, headers={
            "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": args.secret})
    response = connection.getresponse()
    response.read()
    bad += response.status // 100 != 2
raise SystemExit(1 if bad else 0)
