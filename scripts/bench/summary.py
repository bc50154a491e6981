#!/usr/bin/env python3
"""Prints the summary table of a `make bench` run from its log (the lines scripts/bench.sh and
leopost-bench printed): each figure beside its same-run reference, the ratio, and the goal of
issue 15, so two runs on this noisy machine are compared by their ratios, not raw figures."""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()


def find(pattern, group=1, after=None):
    """The first match of `pattern` (after the text `after`, when given) as a float, or None."""
    body = text
    if after is not None:
        at = body.find(after)
        if at < 0:
            return None
        body = body[at:]
    match = re.search(pattern, body)
    return float(match.group(group)) if match else None


def wrk(section):
    """Requests/s and p50 ms of the wrk run printed after the heading `section`."""
    at = text.find(section)
    if at < 0:
        return None, None
    body = text[at:]
    rate = re.search(r"Requests/sec:\s+([\d.]+)", body)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", body)
    return (float(rate.group(1)) if rate else None,
            float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)] if p50 else None)


def fmt(value, unit=""):
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:.2f}{unit}" if abs(value) < 10 else f"{value:.1f}{unit}"


def ratio(value, reference):
    if value is None or reference in (None, 0):
        return "n/a"
    return f"{100 * value / reference:.0f}%"


rows = []
xadd = find(r"XADD [^\n]*?: ([\d.]+) requests per second", after="== redis-benchmark XADD (the same")

webhook, webhook_p50 = wrk("== Telegram webhooks accepted")
healthz, _ = wrk("== the same gateway's trivial route")
rows.append(("Telegram webhook accepted (wrk, 32 conn)", f"{fmt(webhook, ' req/s')}, p50 {fmt(webhook_p50, ' ms')}",
             f"/healthz {fmt(healthz, ' req/s')}", ratio(webhook, healthz), ">= 50%, p50 <= 2 ms"))
intake = find(r"intake: \d+ messages stored in 10 s \((\d+)/s")
rows.append(("intake stage, one worker, stored", fmt(intake, " msg/s"), "-", "-", "report"))

ping1 = find(r"1 clients: PING_MBULK: [\d.]+ requests per second, p50=([\d.]+) msec")
ping64 = find(r"64 clients: PING_MBULK: ([\d.]+) requests per second")
client50 = find(r"redis client, one caller: \d+ PINGs p50 ([\d.]+) ms")
client64 = find(r"redis client, 64 concurrent callers: ([\d.]+) PINGs/s")
rows.append(("Redis client alone, one caller, PING", f"p50 {fmt(client50, ' ms')}", f"redis-benchmark 1 client p50 {fmt(ping1, ' ms')}",
             ratio(client50, ping1), "report"))
rows.append(("Redis client alone, 64 callers, PING", fmt(client64, " /s"), f"redis-benchmark 64 clients {fmt(ping64, '/s')}",
             ratio(client64, ping64), "report"))

overhead50 = find(r"chain overhead per call.*?p50 ([\d.-]+) ms")
overhead99 = find(r"chain overhead per call.*?p99 ([\d.-]+) ms")
direct50 = find(r"direct HTTP p50 ([\d.]+) ms")
rows.append(("chain overhead per streamed call", f"p50 {fmt(overhead50, ' ms')}, p99 {fmt(overhead99, ' ms')}",
             f"direct call p50 {fmt(direct50, ' ms')}", ratio(overhead50, direct50), "p50 <= 0.1 ms"))
chain_rate = find(r"through the chain, 16 concurrent: ([\d.]+) calls/s")
http_rate = find(r"http client GET \(operator endpoint\), \d+ requests, \d+ concurrent: ([\d.]+) req/s")
rows.append(("calls through the chain, 16 concurrent", fmt(chain_rate, " calls/s"), f"HTTP client {fmt(http_rate, ' req/s')}",
             ratio(chain_rate, http_rate), ">= 3,000 calls/s"))

for label, pattern, goal in [
    ("stage no-op, unordered, 1 worker", r"stage no-op unordered, 1 worker\(s\).*?= ([\d.]+) jobs/s", ">= 50% of XADD"),
    ("stage no-op, unordered, 2 workers", r"stage no-op unordered, 2 worker\(s\).*?= ([\d.]+) jobs/s", ">= 50% of XADD"),
    ("stage no-op, ordered (64 keys), 2 workers", r"stage no-op ordered \(64 keys\), 2 worker\(s\).*?= ([\d.]+) jobs/s", ">= 25% of XADD"),
]:
    value = find(pattern)
    rows.append((label, fmt(value, " jobs/s"), f"XADD 50 clients {fmt(xadd, '/s')}", ratio(value, xadd), goal))

chat50 = find(r"POST to message.completed.*?p50 ([\d.]+) ms")
chat99 = find(r"POST to message.completed.*?p99 ([\d.]+) ms")
rows.append(("chat POST -> message.completed, 50 msg/s", f"p50 {fmt(chat50, ' ms')}, p99 {fmt(chat99, ' ms')}", "-", "-",
             "p50 <= 3 ms, p99 <= 8 ms"))

sse = None
for match in re.finditer(r"idle SSE streams: (\d+) of .*? ([\d.]+) KiB per stream", text):
    sse = float(match.group(2))  # the largest count, printed last
keepalive = find(r"idle keep-alive connections .*? ([\d.]+) KiB per stream")
rows.append(("idle SSE stream, per stream", fmt(sse, " KiB"), f"idle keep-alive connection {fmt(keepalive, ' KiB')}", ratio(sse, keepalive),
             "<= 12 KiB"))

late99 = find(r"schedule \(waits for the next due time\).*?p99 ([\d.]+) ms")
poll99 = find(r"schedule \(reference: a look every 100 ms\).*?p99 ([\d.]+) ms")
rows.append(("scheduler lateness, 100,000 jobs, p99", fmt(late99, " ms"), f"polling every 100 ms {fmt(poll99, ' ms')}",
             ratio(late99, poll99), "p99 <= 30 ms"))
publish = find(r"publish: \d+ posts .*?: ([\d.]+) posts/s")
noop = find(r"publish no-op plugin: .*?: ([\d.]+) jobs/s")
rows.append(("publish jobs, Mastodon plugin + fake", fmt(publish, " posts/s"), "-", "-", "report"))
pg_alone = find(r"publish reference: PostgreSQL alone \(pgbench, 16 clients, prepared, planned per execution.*?: ([\d.]+) jobs/s")
rows.append(("publish jobs, no-op plugin", fmt(noop, " jobs/s"), f"PostgreSQL alone, same SQL {fmt(pg_alone, ' jobs/s')}",
             ratio(noop, pg_alone), ">= 5,000 jobs/s"))

for match in re.finditer(r"callgrind: unavailable: (.*)", text):
    rows.append(("callgrind", "unavailable (see above)", "-", "-", "compare runs"))
for match in re.finditer(r"callgrind: (.+?): ([\d,]+) instructions per (\w+)", text):
    rows.append((f"callgrind, {match.group(1)}", f"{match.group(2)} Ir per {match.group(3)}", "-", "-", "compare runs"))

widths = [max(len(str(row[i])) for row in rows + [("path", "figure", "same-run reference", "ratio", "goal")]) for i in range(5)]
print("== summary (figure, same-run reference, ratio of the two, issue 15's goal)")
for row in [("path", "figure", "same-run reference", "ratio", "goal")] + rows:
    print(" | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)))
