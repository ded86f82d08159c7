#!/usr/bin/env python3
"""Live-tab benchmark.

1. Event -> DOM: one `serve` (web and bus worker) over the demo data, the
   recorded upstream answering in 5 ms. Chromium (Playwright) has a
   package's builds tab open; a Koji build message is published to
   RabbitMQ, the worker refreshes the tab's rows, the page's live stream
   names the tab, the page refetches it, and the tab's refresh time changes
   in the DOM. 100 events, one after another: p50/p99 from publish to DOM.
2. Fan-out: one web process holding 5,000 open streams of one package
   (the open-files limit raised): the RSS they add, and how long one
   committed change takes to reach all of them.

Run by bench/run (which builds and installs the client packages):
    bench/live.py --bin target/release/fedora-packages
"""
import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pika
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bus import build_message, percentile, publish  # noqa: E402
from pages import UNLIMITED, log, rss_mb, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AMQP = "amqp://guest:guest@127.0.0.1:5672/%2f"
ADDR, REPLAY = "127.0.0.1:3240", "127.0.0.1:18094"
PREFIX = "org.fedoraproject.benchlive"
PACKAGE = "python-requre"

WATCHER = r"""
const { chromium } = require(process.argv[2]);
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage();
  await page.goto(process.argv[3]);
  await page.waitForSelector('html[data-hydrated=true]', { timeout: 60000 });
  await page.waitForSelector('html[data-live=open]', { timeout: 60000 });
  const shown = () => page.evaluate(() => document.querySelector('main time')?.getAttribute('datetime'));
  console.log('ready');
  const rl = require('readline').createInterface({ input: process.stdin });
  for await (const _ of rl) {
    const before = await shown();
    // Checks every animation frame; reports the wall-clock time it saw the change.
    const waiting = page.waitForFunction((b) => {
      const now = document.querySelector('main time')?.getAttribute('datetime');
      return now && now !== b ? Date.now() : false;
    }, before, { timeout: 30000, polling: 'raf' });
    console.log('armed');
    try {
      const at = await (await waiting).jsonValue();
      console.log(`changed ${at}`);
    } catch (e) {
      console.log('timeout');
    }
  }
  await browser.close();
})();
"""


def serve(bin, database, env_extra, worker):
    env = dict(os.environ, DATABASE_URL=database, RUST_LOG="warn", LEPTOS_SITE_ADDR=ADDR, **UNLIMITED, **env_extra)
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", database.rsplit("/", 1)[1]],
                   check=True)
    subprocess.run([bin, "migrate"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([bin, "load-demo", "--dir", "demo/upstream"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cmd = [bin, "serve"] + ([] if worker else ["--no-worker"])
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def event_to_dom(bin, database, events):
    replay = subprocess.Popen([bin, "upstream-replay", "--dir", "demo/upstream", "--addr", REPLAY, "--delay-ms", "5"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    queue = f"fedora-packages-benchlive-{uuid.uuid4().hex[:8]}"
    server = serve(bin, database, {"UPSTREAM_BASE_URL": f"http://{REPLAY}", "AMQP_QUEUE": queue,
                                   "TOPIC_PREFIXES": PREFIX}, worker=True)
    browser = None
    connection = pika.BlockingConnection(pika.URLParameters(AMQP))
    channel = connection.channel()
    try:
        wait_for(f"http://{ADDR}/readyz/worker")
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "watch.js"
            script.write_text(WATCHER)
            playwright = str(ROOT / "end2end/node_modules/playwright-core")
            browser = subprocess.Popen(["node", str(script), playwright, f"http://{ADDR}/packages/{PACKAGE}/builds"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            assert browser.stdout.readline().strip() == "ready"
            latencies, missed = [], 0
            for i in range(events):
                browser.stdin.write("go\n")
                browser.stdin.flush()
                assert browser.stdout.readline().strip() == "armed"
                publish(channel, build_message(PREFIX, PACKAGE), str(uuid.uuid4()))
                published = time.time() * 1000
                line = browser.stdout.readline().strip()
                if line.startswith("changed "):
                    latencies.append(float(line.split()[1]) - published)
                else:
                    missed += 1
                # The refresh time shown has one-second precision: let the next one differ.
                time.sleep(1.05)
            return latencies, missed
    finally:
        if browser:
            browser.kill()
        channel.queue_delete(queue)
        for suffix in ("dead", "retry.0", "retry.1", "retry.2", "retry.3"):
            try:
                channel.queue_delete(f"{queue}.{suffix}")
            except Exception:
                channel = connection.channel()
        connection.close()
        server.terminate()
        server.wait()
        replay.terminate()


async def open_stream(path):
    reader, writer = await asyncio.open_connection(*ADDR.split(":"))
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {ADDR}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(status.decode().strip())
    await reader.readuntil(b"\r\n\r\n")
    return reader, writer


async def fan_out(database, server_pid, streams):
    path = f"/packages/{PACKAGE}/live"
    before = rss_mb(server_pid)
    opened = []
    for start in range(0, streams, 250):
        opened += await asyncio.gather(*(open_stream(path) for _ in range(start, min(start + 250, streams))))
    await asyncio.sleep(2)
    added = rss_mb(server_pid) - before
    arrivals = []

    async def wait_change(reader):
        await reader.readuntil(b"event: change")
        arrivals.append(time.time())

    waiters = [asyncio.create_task(wait_change(r)) for r, _ in opened]
    with psycopg.connect(database, autocommit=True) as db:
        committed = time.time()
        db.execute("UPDATE tab_rows SET version = nextval('refresh_version'), fetched_at = now() "
                   "WHERE package = %s AND tab = 'builds'", (PACKAGE,))
        db.execute("SELECT pg_notify('fedora_packages_changed', %s)", (PACKAGE,))
    await asyncio.wait_for(asyncio.gather(*waiters), timeout=30)
    for _, w in opened:
        w.close()
    spread = [(t - committed) * 1000 for t in arrivals]
    return len(opened), added, percentile(spread, 50), max(spread)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench_live")
    ap.add_argument("--events", type=int, default=100)
    ap.add_argument("--streams", type=int, default=5000)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    log(f"event -> DOM over {args.events} events")
    latencies, missed = event_to_dom(args.bin, args.database, args.events)

    log(f"fan-out to {args.streams} streams")
    server = serve(args.bin, args.database, {"LIVE_MAX_STREAMS": str(args.streams + 100)}, worker=False)
    try:
        wait_for(f"http://{ADDR}/readyz")
        opened, added, p50, slowest = asyncio.run(fan_out(args.database, server.pid, args.streams))
    finally:
        server.terminate()
        server.wait()

    print()
    print("| live tabs | figure | target |")
    print("|---|---|---|")
    print(f"| event → DOM updated, p50 (Chromium, {len(latencies)} events, upstream 5 ms) | "
          f"{percentile(latencies, 50):.0f} ms | |")
    print(f"| event → DOM updated, p99 | {percentile(latencies, 99):.0f} ms | < 250 ms |")
    print(f"| events the page did not show within 30 s | {missed} | 0 |")
    print(f"| open streams on one process | {opened} | 5,000 |")
    print(f"| RSS they add | {added:.0f} MB | < 150 MB |")
    print(f"| one change reaches every stream: p50 / slowest | {p50:.0f} / {slowest:.0f} ms | < 500 ms |")


if __name__ == "__main__":
    main()
