#!/usr/bin/env python3
"""Opens N idle Server-Sent Events streams to a Leopost gateway and reports its memory.

Usage: sse_idle.py --port P --path /v1/conversations/ID/events --token JWT --pid GATEWAY_PID --count N

Every stream is a real HTTP/1.1 request with `Accept: text/event-stream`; a stream counts as held
once the gateway has answered 200 and sent its first bytes. The gateway's resident memory is read
from /proc before and after (a benchmark helper, not part of the product).
"""
import argparse
import asyncio
import sys
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def open_stream(port, path, token, held, failures):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Accept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            failures.append(head.split(b"\r\n", 1)[0].decode())
            writer.close()
            return None
        await asyncio.wait_for(reader.read(64), 30)  # the first bytes of the stream
        held.append(writer)
        return writer
    except Exception as error:  # noqa: BLE001 - reported below
        failures.append(repr(error))
        return None


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--count", type=int, default=1000)
    # The same measurement on another path (GET /healthz: an idle keep-alive connection, the floor
    # the HTTP server itself sets under every stream).
    parser.add_argument("--label", default="idle SSE streams")
    args = parser.parse_args()
    before = rss_kib(args.pid)
    held, failures = [], []
    started = time.monotonic()
    for batch in range(0, args.count, 200):
        await asyncio.gather(*(open_stream(args.port, args.path, args.token, held, failures)
                               for _ in range(batch, min(args.count, batch + 200))))
    opened = time.monotonic() - started
    await asyncio.sleep(2)
    after = rss_kib(args.pid)
    per_stream = (after - before) / max(1, len(held))
    print(f"{args.label}: {len(held)} of {args.count} held (opened in {opened:.1f} s, {len(failures)} failed"
          f"{': ' + failures[0] if failures else ''}); gateway RSS {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after:"
          f" {per_stream:.1f} KiB per stream, {per_stream * 1000 / 1024:.1f} MiB per 1,000")
    for writer in held:
        writer.close()
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
