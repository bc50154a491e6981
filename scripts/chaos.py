#!/usr/bin/env python3
"""make chaos: N chat messages at a fixed rate while Leopost's processes and servers fail.

Starts its own redis-server (append-only file, fsync on every write) and PostgreSQL on free
loopback ports, a `leopost gateway` and two `leopost worker` processes on them, then sends N
messages over M conversations at a fixed rate, each with its own Idempotency-Key, retrying a
503 or a lost connection with the same key as the chat page does. Meanwhile it kills -9 each
worker once, the gateway once, and restarts Redis and PostgreSQL once each. When every message
is accepted it waits for the answers, counts them in PostgreSQL and prints:

  accepted   messages the gateway answered 202 (each key once)
  stored     people's messages in PostgreSQL
  answered   of those, with a completed answer
  failed     of those, with a failed answer (the person was told why)
  duplicated messages stored twice, or answered twice
  unanswered stored messages with no answer at all

and exits 0 only when accepted = stored = answered + failed, and duplicated = unanswered = 0.
Loopback only, bounded in time (about 2 minutes at the defaults), stops what it started by PID.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Deployment:
    """The servers and Leopost processes, each restartable, each stopped by its PID."""

    def __init__(self, leopost, pg_bin, work):
        self.leopost = leopost
        self.pg_bin = pg_bin
        self.work = work
        self.redis_port = free_port()
        self.pg_port = free_port()
        self.http_port = free_port()
        self.processes = {}
        self.as_pg = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] if os.getuid() == 0 else []
        self.env = dict(os.environ)
        self.env.update({
            "LEOPOST_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "LEOPOST_DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/postgres",
            "LEOPOST_MASTER_KEY": secrets.token_hex(32),
            "LEOPOST_JWT_SECRET": secrets.token_hex(32),
            "LEOPOST_DATA_DIR": os.path.join(work, "data"),
            "LEOPOST_HTTP_ADDR": f"127.0.0.1:{self.http_port}",
            "LEOPOST_STAGE_VISIBILITY_TIMEOUT": "5",
            "LEOPOST_LOG_LEVEL": "error",
        })

    def log(self, name):
        return open(os.path.join(self.work, f"{name}.log"), "ab")

    def start_redis(self):
        os.makedirs(os.path.join(self.work, "redis"), exist_ok=True)
        self.processes["redis"] = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", os.path.join(self.work, "redis"),
             "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--maxmemory-policy", "noeviction"],
            stdout=self.log("redis"), stderr=subprocess.STDOUT)
        self.wait_for(lambda: self.redis_ready(), "redis-server")

    def redis_ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def init_postgres(self):
        data = os.path.join(self.work, "pg")
        os.makedirs(data, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(data, "postgres", "postgres")
            os.chmod(self.work, 0o755)
        subprocess.run(self.as_pg + [os.path.join(self.pg_bin, "initdb"), "-D", os.path.join(data, "data"), "-U", "postgres",
                                     "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_postgres(self):
        data = os.path.join(self.work, "pg")
        self.processes["postgres"] = subprocess.Popen(
            self.as_pg + [os.path.join(self.pg_bin, "postgres"), "-D", os.path.join(data, "data"), "-p", str(self.pg_port),
                          "-k", data, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
            stdout=self.log("postgres"), stderr=subprocess.STDOUT)
        self.wait_for(lambda: subprocess.run([os.path.join(self.pg_bin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                                              str(self.pg_port)]).returncode == 0, "PostgreSQL")

    def start(self, name, *arguments):
        self.processes[name] = subprocess.Popen([self.leopost, *arguments], env=self.env, stdout=self.log(name),
                                                stderr=subprocess.STDOUT)

    def kill(self, name, sig=signal.SIGKILL):
        process = self.processes.get(name)
        if process and process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def cli(self, *arguments):
        return subprocess.run([self.leopost, *arguments], env=self.env, check=True, capture_output=True, text=True).stdout

    def psql(self, sql):
        out = subprocess.run(["psql", "-qAt", self.env["LEOPOST_DATABASE_URL"], "-c", sql], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    @staticmethod
    def wait_for(condition, what, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise RuntimeError(f"{what} did not start")

    def stop_all(self):
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM if name in ("redis", "postgres") else signal.SIGKILL)


class Sender:
    """Sends the messages at a fixed rate; retries 503s and lost connections with the same key."""

    def __init__(self, base, token, conversations, give_up_after):
        self.base = base
        self.token = token
        self.conversations = conversations
        self.give_up_after = give_up_after
        self.lock = threading.Lock()
        self.accepted = set()
        self.statuses = {}
        self.retries = 0

    def request(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def send(self, index):
        conversation = self.conversations[index % len(self.conversations)]
        key = f"chaos-{index}"
        deadline = time.time() + self.give_up_after
        while time.time() < deadline:
            try:
                status, _, headers = self.request("POST", f"/v1/conversations/{conversation}/messages",
                                                  {"text": f"Message {index}: write about tulips"}, {"Idempotency-Key": key})
            except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
                status, headers = None, {}
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 202:
                with self.lock:
                    self.accepted.add(key)
                return
            with self.lock:
                self.retries += 1
            time.sleep(float(headers.get("Retry-After", "0.5")) if status == 503 else 0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leopost", required=True)
    parser.add_argument("--pg-bin", required=True)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=40)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--answer-timeout", type=float, default=180)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="leopost-chaos.")
    deployment = Deployment(args.leopost, args.pg_bin, work)
    faults = []
    try:
        deployment.start_redis()
        deployment.init_postgres()
        deployment.start_postgres()
        deployment.cli("migrate")
        tenant = json.loads(deployment.cli("tenant", "create", "Chaos", "--json"))["tenant_id"]
        token = deployment.cli("token", "--tenant", tenant, "--user", "chaos").strip()
        deployment.start("gateway", "gateway")
        deployment.start("worker-a", "worker")
        deployment.start("worker-b", "worker")
        base = f"http://127.0.0.1:{deployment.http_port}"

        def ready():
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        Deployment.wait_for(ready, "leopost gateway")
        sender = Sender(base, token, [], give_up_after=90)
        for _ in range(args.conversations):
            status, body, _ = sender.request("POST", "/v1/conversations", {"title": "chaos"})
            assert status == 201, body
            sender.conversations.append(json.loads(body)["id"])

        duration = args.messages / args.rate
        started = time.time()

        def at(fraction, label, action):
            def run():
                time.sleep(max(0, started + duration * fraction - time.time()))
                began = time.time()
                action()
                faults.append(f"{began - started:5.1f} s  {label} ({time.time() - began:.1f} s)")
            thread = threading.Thread(target=run, daemon=True)
            thread.start()
            return thread

        def restart(name, *arguments, pause=1.0, sig=signal.SIGKILL):
            def action():
                deployment.kill(name, sig)
                time.sleep(pause)
                if name == "redis":
                    deployment.start_redis()
                elif name == "postgres":
                    deployment.start_postgres()
                else:
                    deployment.start(name, *arguments)
            return action

        chaos = [
            at(0.15, "worker A killed -9, started again", restart("worker-a", "worker")),
            at(0.30, "gateway killed -9, started again", restart("gateway", "gateway", pause=0.5)),
            at(0.45, "Redis killed -9, started again on its AOF", restart("redis", pause=2.0)),
            at(0.62, "PostgreSQL stopped (fast), started again", restart("postgres", pause=2.0, sig=signal.SIGINT)),
            at(0.80, "worker B killed -9, started again", restart("worker-b", "worker")),
        ]
        with ThreadPoolExecutor(max_workers=128) as pool:
            for index in range(args.messages):
                time.sleep(max(0, started + index / args.rate - time.time()))
                pool.submit(sender.send, index)
        for thread in chaos:
            thread.join()
        sent = time.time() - started

        def counts():
            stored = int(deployment.psql("SELECT count(*) FROM messages WHERE direction = 'inbound'"))
            answered = int(deployment.psql(
                "SELECT count(*) FROM messages q WHERE q.direction = 'inbound' AND EXISTS (SELECT 1 FROM messages a "
                "WHERE a.reply_to = q.id AND a.status IN ('completed', 'delivered'))"))
            failed = int(deployment.psql(
                "SELECT count(*) FROM messages q WHERE q.direction = 'inbound' AND EXISTS (SELECT 1 FROM messages a "
                "WHERE a.reply_to = q.id AND a.status = 'failed')"))
            duplicated = int(deployment.psql(
                "SELECT (SELECT count(*) FROM (SELECT external_id FROM messages WHERE direction = 'inbound' "
                "GROUP BY conversation_id, external_id HAVING count(*) > 1) d) + "
                "(SELECT count(*) FROM (SELECT reply_to FROM messages WHERE direction = 'outbound' GROUP BY reply_to HAVING count(*) > 1) e)"))
            return stored, answered, failed, duplicated

        deadline = time.time() + args.answer_timeout
        while True:
            try:
                stored, answered, failed, duplicated = counts()
            except subprocess.CalledProcessError:
                stored, answered, failed, duplicated = -1, 0, 0, 0
            if stored >= 0 and answered + failed >= stored and stored >= len(sender.accepted):
                break
            if time.time() > deadline:
                break
            time.sleep(2)
        waited = time.time() - started - sent
        unanswered = stored - answered - failed
        print(f"messages: {args.messages} at {args.rate:g}/s over {args.conversations} conversations; "
              f"sent in {sent:.1f} s, answers settled {waited:.1f} s later")
        for line in faults:
            print(f"fault at {line}")
        print(f"HTTP answers: " + ", ".join(f"{status or 'no connection'}: {count}"
                                            for status, count in sorted(sender.statuses.items(), key=lambda x: str(x[0]))))
        print(f"retries with the same key: {sender.retries}")
        print(f"accepted   {len(sender.accepted)}")
        print(f"stored     {stored}")
        print(f"answered   {answered}")
        print(f"failed     {failed}")
        print(f"duplicated {duplicated}")
        print(f"unanswered {unanswered}")
        ok = (len(sender.accepted) == args.messages == stored == answered + failed and duplicated == 0 and unanswered == 0
              and 500 not in sender.statuses)
        print("chaos: OK" if ok else "chaos: FAILED")
        return 0 if ok else 1
    finally:
        deployment.stop_all()
        if os.environ.get("LEOPOST_CHAOS_KEEP"):
            print(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
