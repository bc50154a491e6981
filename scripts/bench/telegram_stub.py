"""Answers one Bot API call with {"ok": true, "result": true}, then exits.

The bench's gateway has no public address, so connecting its Telegram bot calls deleteWebhook
(to long-poll it); this stands in for Telegram for that one call. Every later call (the typing
action after each accepted update) finds the port closed and is refused at once.
"""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"ok":true,"result":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print("ready", flush=True)
server.handle_request()
