#!/usr/bin/env python3
"""Bus benchmark: event-to-fresh latency (publish -> row committed, seen via
the NOTIFY the refresh sends at commit) with the recorded upstream answering
in 5 ms, the drain rate of a burst of build messages over many packages, and
one mdapi.repo.update naming 5,000 packages with one failing (time to apply
all others, the worker's peak RSS, redeliveries).

Run by bench/run (which builds, installs the Python deps and sets PATH):
    bench/bus.py --bin target/release/fedora-packages
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pika
import psycopg

ROOT = Path(__file__).resolve().parent.parent
AMQP = "amqp://guest:guest@127.0.0.1:5672/%2f"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def build_message(prefix, package):
    path = ROOT / "tests/fixtures/messages/koji.build.state.change.complete.json"
    m = json.loads(path.read_text())
    m["topic"] = prefix + ".buildsys.build.state.change"
    m["body"]["name"] = package
    return m


def publish(channel, m, msg_id):
    headers = {k: v for k, v in m["headers"].items() if v is not None}
    props = pika.BasicProperties(
        content_type="application/json", content_encoding="utf-8", message_id=msg_id, delivery_mode=2, headers=headers
    )
    channel.basic_publish("amq.topic", m["topic"], json.dumps(m["body"]).encode(), props)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench")
    ap.add_argument("--packages", type=int, default=200)
    ap.add_argument("--burst", type=int, default=10_000)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--delay-ms", type=int, default=5)
    ap.add_argument("--fan-out", type=int, default=5000)
    args = ap.parse_args()

    rec = Path(tempfile.mkdtemp(prefix="fp-bench-rec-"))
    composed = max(args.packages, args.fan_out)
    run([sys.executable, str(ROOT / "bench/make_recordings.py"), str(rec), str(composed)], stdout=subprocess.DEVNULL)
    env = dict(os.environ, DATABASE_URL=args.database, RUST_LOG="warn")
    replay = subprocess.Popen([args.bin, "upstream-replay", "--dir", str(rec), "--addr", "127.0.0.1:18089",
                               "--delay-ms", str(args.delay_ms)], env=env, stdout=subprocess.DEVNULL)
    worker = None
    try:
        time.sleep(0.5)
        env["UPSTREAM_BASE_URL"] = "http://127.0.0.1:18089"
        run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", args.database.rsplit("/", 1)[1]])
        run([args.bin, "migrate"], env=env, stdout=subprocess.DEVNULL)
        names = [f"bench-pkg-{i:03d}" for i in range(1, args.packages + 1)]
        demo = ["colin", "packit", "python-bugzilla", "python-ogr", "python-requre", "python-specfile"]
        t = time.time()
        with open(rec / "sync.log", "w") as log:
            run([args.bin, "sync", "--concurrency", "16", *demo, *names], env=env, stdout=log, stderr=log)
        sync_s = time.time() - t

        queue = f"fp-bench-{uuid.uuid4().hex[:8]}"
        prefix = f"org.fedoraproject.bench{uuid.uuid4().hex[:8]}"
        wenv = dict(env, AMQP_QUEUE=queue, TOPIC_PREFIXES=prefix, SWEEP_EVERY="86400", RUST_LOG=os.environ.get("WORKER_LOG", "warn"))
        conn = pika.BlockingConnection(pika.URLParameters(AMQP))
        ch = conn.channel()

        # The worker declares and binds its queue on start.
        log = open(rec / "worker.log", "w")
        worker = subprocess.Popen([args.bin, "worker"], env=wenv, stdout=log, stderr=log)
        time.sleep(2.0)

        # Latency: one event at a time, idle worker.
        db = psycopg.connect(args.database.replace("postgres://", "postgresql://"), autocommit=True)
        db.execute("LISTEN fedora_packages_changed")
        latencies = []
        for i in range(args.samples):
            pkg = random.choice(names)
            for _ in db.notifies(timeout=0):
                pass
            t0 = time.perf_counter()
            publish(ch, build_message(prefix, pkg), f"lat-{i}-{uuid.uuid4().hex}")
            deadline = t0 + 10
            got = False
            while not got and time.perf_counter() < deadline:
                for n in db.notifies(timeout=deadline - time.perf_counter(), stop_after=1):
                    if n.payload == pkg:
                        got = True
                        break
            if got:
                latencies.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.02)

        # Burst: queue it while no worker runs, then time the drain.
        worker.terminate()
        worker.wait(timeout=30)
        t = time.time()
        for i in range(args.burst):
            publish(ch, build_message(prefix, names[i % len(names)]), f"burst-{i}-{uuid.uuid4().hex[:6]}")
        publish_s = time.time() - t
        before = db.execute("SELECT count(*) FROM bus_seen").fetchone()[0]
        t0 = time.perf_counter()
        worker = subprocess.Popen([args.bin, "worker"], env=wenv, stdout=log, stderr=log)
        while True:
            depth = ch.queue_declare(queue, passive=True).method.message_count
            seen = db.execute("SELECT count(*) FROM bus_seen").fetchone()[0] - before
            if depth == 0 and seen >= args.burst:
                break
            if worker.poll() is not None:
                print(f"worker exited with {worker.returncode}; see {rec / 'worker.log'}", file=sys.stderr)
                break
            if time.perf_counter() - t0 > 600:
                print("burst did not drain in 10 minutes", file=sys.stderr)
                break
            time.sleep(0.025)
        drain_s = time.perf_counter() - t0
        worker.terminate()
        worker.wait(timeout=60)

        fan = fan_out(args, ch, db, wenv, rec, prefix, queue)

        print()
        print(f"### Bus benchmark ({args.packages} composed packages, recorded upstream answering in {args.delay_ms} ms)")
        print()
        print("| measure | value |")
        print("|---|---|")
        print(f"| initial `sync` of {args.packages + 6} packages, all tabs, concurrency 16 | {sync_s:.1f} s |")
        if latencies:
            print(f"| event-to-fresh p50 (idle, n={len(latencies)}) | {percentile(latencies, 50):.1f} ms |")
            print(f"| event-to-fresh p99 | {percentile(latencies, 99):.1f} ms |")
            print(f"| event-to-fresh max | {max(latencies):.1f} ms |")
        print(f"| burst publish ({args.burst} messages, pika) | {publish_s:.1f} s |")
        print(f"| burst drain (worker start to all applied) | {drain_s:.2f} s |")
        print(f"| drain rate | {args.burst / drain_s:,.0f} events/s |")
        print()
        print(f"### One `mdapi.repo.update` naming {args.fan_out:,} packages, one of them failing")
        print()
        print("| measure | value |")
        print("|---|---|")
        for k, v in fan.items():
            print(f"| {k} | {v} |")
        ch.queue_delete(queue)
        for q in [f"{queue}.dead"] + [f"{queue}.retry.{i}" for i in range(5)]:
            ch.queue_delete(q)
        conn.close()
    finally:
        if worker:
            worker.terminate()
        replay.terminate()


def peak_rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def fan_out(args, ch, db, wenv, rec, prefix, queue):
    """One message naming `args.fan_out` packages; one package's mdapi answers 500."""
    names = [f"bench-pkg-{i:03d}" for i in range(1, args.fan_out + 1)]
    db.execute("INSERT INTO packages (name, source_name, version) SELECT n, n, 0 FROM unnest(%s::text[]) n "
               "ON CONFLICT (name) DO NOTHING", (names,))
    failing = "bench-pkg-042"
    fault = json.dumps({"service": "mdapi", "path": f"/{failing}", "count": 1_000_000}).encode()
    import urllib.request
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:18089/_replay/faults", data=fault, method="PUT",
                                                  headers={"Content-Type": "application/json"}))
    m = json.loads((ROOT / "tests/fixtures/messages/mdapi.repo.update.json").read_text())
    m["topic"] = prefix + ".mdapi.repo.update"
    m["body"]["packages"] = names
    log = open(rec / "worker-fanout.log", "w")
    started = db.execute("SELECT now()").fetchone()[0]
    # Its own queue: retry queues are declared with their delays, which differ here.
    queue = f"{queue}-fanout"
    worker = subprocess.Popen([args.bin, "worker"], env=dict(wenv, AMQP_QUEUE=queue, RETRY_DELAYS="1,1", RUST_LOG="info"),
                              stdout=log, stderr=log)
    time.sleep(1.0)
    t0 = time.perf_counter()
    publish(ch, m, f"fanout-{uuid.uuid4().hex}")
    applied, peak = 0, 0.0
    while time.perf_counter() - t0 < 900:
        applied = db.execute("SELECT count(DISTINCT package) FROM tab_rows WHERE tab = 'contents' AND fetched_at > %s "
                             "AND package LIKE 'bench-pkg-%%'", (started,)).fetchone()[0]
        peak = max(peak, peak_rss_mb(worker.pid))
        if applied >= len(names) - 1:
            break
        # Waiting on the connection, not in time.sleep: the broker drops a
        # connection whose heartbeats go unanswered during a long apply.
        ch.connection.process_data_events(time_limit=0.5)
    took = time.perf_counter() - t0
    dead = 0
    while time.perf_counter() - t0 < took + 30:
        dead = ch.queue_declare(f"{queue}.dead", passive=True).method.message_count
        if dead >= 1:
            break
        ch.connection.process_data_events(time_limit=0.5)
    peak = max(peak, peak_rss_mb(worker.pid))
    worker.terminate()
    worker.wait(timeout=60)
    log.close()
    text = (rec / "worker-fanout.log").read_text()
    returned = text.count("handed back to the queue") + text.count("reconnecting")
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:18089/_replay/faults", method="DELETE"))
    for q in [queue, f"{queue}.dead", f"{queue}.retry.0", f"{queue}.retry.1"]:
        ch.queue_delete(q)
    return {
        "packages applied (all but the failing one)": f"{applied:,} of {len(names) - 1:,}",
        "time to apply them": f"{took:.1f} s",
        "worker peak RSS": f"{peak:.0f} MB",
        "failing package dead-lettered alone (after its retries)": "yes" if dead == 1 else f"no ({dead} dead letters)",
        "deliveries handed back or channels lost (redeliveries)": str(returned),
    }


if __name__ == "__main__":
    main()
