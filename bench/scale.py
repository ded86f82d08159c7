#!/usr/bin/env python3
"""Scale-out benchmark: nginx in front of two `serve --no-worker` processes,
two `worker` processes on one durable queue, PostgreSQL and RabbitMQ, on
this machine. A 60 s wrk load through the proxy (cached pages, pages just
invalidated, search) while build events are published with the
`fedora-messaging` client; meanwhile one web process is SIGKILLed and
restarted, and one worker is SIGKILLed with messages in flight and
restarted. Then: every event applied, every row at its newest version, both
replicas serving it a second later.

Then an overload run against one web process at 10× its measured capacity
(`hey -q`, a fixed offered rate): it sheds with 503s, the requests it
accepts stay fast, its memory stays bounded, and it recovers.

Run by bench/run (which builds and installs wrk, nginx, hey and the client):
    bench/scale.py --bin target/release/fedora-packages
"""
import argparse
import csv
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import UNLIMITED, log, rss_mb, wait_for, wrk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AMQP = "amqp://guest:guest@127.0.0.1:5672/%2f"
FRONT, WEBS, REPLAY = "127.0.0.1:3220", ["127.0.0.1:3221", "127.0.0.1:3222"], "127.0.0.1:18090"
DEMO = ["colin", "packit", "python-bugzilla", "python-ogr", "python-requre", "python-specfile"]


def nginx(dir):
    """nginx as the proxy: a GET whose replica fails is tried on the other;
    the access log keeps each answer's time and status."""
    conf = dir / "nginx.conf"
    conf.write_text(f"""
worker_processes 1; pid {dir}/nginx.pid; error_log {dir}/error.log; daemon off;
events {{ worker_connections 4096; }}
http {{
  log_format t '$msec $status';
  access_log {dir}/access.log t;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  upstream web {{ server {WEBS[0]}; server {WEBS[1]}; keepalive 32; }}
  server {{
    listen {FRONT};
    location / {{
      proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503; proxy_next_upstream_tries 2;
      proxy_connect_timeout 1s; proxy_buffering off;
    }}
  }}
}}
""")
    return subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)


def web(bin, env, addr, logf):
    return subprocess.Popen([bin, "serve", "--no-worker"], env=dict(env, LEPTOS_SITE_ADDR=addr, **UNLIMITED),
                            cwd=ROOT, stdout=logf, stderr=logf)


def worker(bin, env, logf):
    return subprocess.Popen([bin, "worker"], env=env, cwd=ROOT, stdout=logf, stderr=logf)


def build_message(prefix, package, msg_id):
    m = json.loads((ROOT / "tests/fixtures/messages/koji.build.state.change.complete.json").read_text())
    m["topic"] = prefix + ".buildsys.build.state.change"
    m["body"]["name"] = package
    m["id"] = msg_id
    return m


def publish(dir, messages):
    """Publishes with the real fedora-messaging command-line client."""
    conf = dir / "fedora-messaging.toml"
    conf.write_text(f'amqp_url = "{AMQP}"\npublish_exchange = "amq.topic"\n')
    file = dir / f"messages-{uuid.uuid4().hex[:6]}.jsonl"
    file.write_text("".join(json.dumps(m) + "\n" for m in messages))
    cli = os.environ.get("FEDORA_MESSAGING_CLI", str(ROOT / ".tools/venv/bin/fedora-messaging"))
    subprocess.run([cli, "--conf", str(conf), "publish", "--exchange", "amq.topic", str(file)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def shown_time(html):
    m = re.search(r"<main.*?<time datetime=\"([^\"]+)\"", html, re.S)
    return m.group(1) if m else None


def scale_out(args, bin, env, dir):
    names = DEMO + [f"bench-pkg-{i:03d}" for i in range(1, args.packages + 1)]
    with open(dir / "sync.log", "w") as logf:
        subprocess.run([bin, "sync", "--concurrency", "16", *names], env=env, check=True, stdout=logf, stderr=logf)
    queue, prefix = f"fp-scale-{uuid.uuid4().hex[:8]}", f"org.fedoraproject.scale{uuid.uuid4().hex[:6]}"
    wenv = dict(env, AMQP_QUEUE=queue, TOPIC_PREFIXES=prefix, SWEEP_EVERY="86400", DATABASE_MAX_CONNECTIONS="8")
    logf = open(dir / "processes.log", "w")
    webs = [web(bin, env, a, logf) for a in WEBS]
    proxy = nginx(dir)
    workers = [worker(bin, wenv, logf), worker(bin, wenv, logf)]
    for a in WEBS + [FRONT]:
        wait_for(f"http://{a}/healthz")
    time.sleep(2)  # the workers declare and bind the queue

    paths = []
    for i, n in enumerate(names):
        paths += [f"/packages/{n}/builds", f"/packages/{n}", f"/search?q={n[:4 + i % 6]}"]
    script = dir / "mix.lua"
    script.write_text("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n" + """
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
""")
    result = {}
    load = threading.Thread(target=lambda: result.update(
        wrk=subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script),
                            f"http://{FRONT}/"], capture_output=True, text=True).stdout))
    load.start()
    started = time.time()
    ids, last = [], {}
    kill_web = kill_worker = None
    step = 0
    while time.time() - started < args.seconds - 5:
        batch = []
        for _ in range(10):
            n = names[step % len(names)]
            msg_id = f"scale-{uuid.uuid4().hex}"
            batch.append(build_message(prefix, n, msg_id))
            ids.append(msg_id)
            last[n] = time.time()
            step += 1
        publish(dir, batch)
        t = time.time() - started
        if kill_web is None and t > args.seconds * 0.25:
            webs[0].kill()
            kill_web = time.time()
            log(f"SIGKILL web process at {t:.0f} s")
        if kill_web and webs[0].poll() is not None and time.time() - kill_web > 3:
            webs[0] = web(bin, env, WEBS[0], logf)
            log(f"web process restarted at {time.time() - started:.0f} s")
        if kill_worker is None and t > args.seconds * 0.5:
            # A burst first, so that the worker has messages in flight.
            burst = [build_message(prefix, names[i % len(names)], f"scale-{uuid.uuid4().hex}") for i in range(200)]
            ids += [m["id"] for m in burst]
            for m in burst:
                last[m["body"]["name"]] = time.time()
            publish(dir, burst)
            workers[0].kill()
            kill_worker = time.time()
            log(f"SIGKILL worker with messages in flight at {time.time() - started:.0f} s")
        if kill_worker and workers[0].poll() is not None and time.time() - kill_worker > 3:
            workers[0] = worker(bin, wenv, logf)
            kill_worker = float("inf")
            log(f"worker restarted at {time.time() - started:.0f} s")
        time.sleep(0.25)
    load.join()
    out = result.get("wrk", "")

    db = psycopg.connect(args.database, autocommit=True)
    deadline = time.time() + 300
    while True:
        applied = db.execute("SELECT count(*) FROM bus_seen WHERE message_id = ANY(%s)", (ids,)).fetchone()[0]
        if applied == len(ids) or time.time() > deadline:
            break
        time.sleep(0.5)
    time.sleep(1)
    stale_rows = stale_pages = 0
    for n, at in last.items():
        row = db.execute("SELECT fetched_at FROM tab_rows WHERE package = %s AND tab = 'builds' AND branch = ''",
                         (n,)).fetchone()
        if not row or row[0].timestamp() < at - 0.5:
            stale_rows += 1
            continue
        shown = set()
        for a in WEBS:
            with urllib.request.urlopen(f"http://{a}/packages/{n}/builds", timeout=10) as r:
                shown.add(shown_time(r.read().decode()))
        if len(shown) != 1 or None in shown:
            stale_pages += 1
    db.close()

    kill_at = kill_web or 0
    cut = bad = 0
    for line in (dir / "access.log").read_text().splitlines():
        at, status = line.split()
        if not status.startswith(("2", "3")):
            if abs(float(at) - kill_at) < 1.0:
                cut += 1
            else:
                bad += 1
    for p in webs + workers + [proxy]:
        p.kill()
        p.wait()
    requests = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {
        f"requests served through nginx in {args.seconds} s (wrk -c{args.connections})":
            f"{int(requests.group(1)):,}" if requests else "?",
        "req/s": f"{float(rps.group(1)):,.0f}" if rps else "?",
        "non-2xx/3xx answers seen by clients": non2xx.group(1) if non2xx else "0",
        "socket errors seen by clients (connect, read, write, timeout)":
            ", ".join(errors.groups()) if errors else "0, 0, 0, 0",
        "failed answers at the proxy within 1 s of the SIGKILL (cut by it)": str(cut),
        "failed answers at the proxy otherwise": str(bad),
        "events published (fedora-messaging)": f"{len(ids):,}",
        "events applied": f"{applied:,}",
        "packages whose row predates their last event": str(stale_rows),
        "packages shown differently by the replicas a second later": str(stale_pages),
    }


def overload(args, bin, env, dir):
    """One web process (default limits, no rate limit) at 10× its capacity."""
    addr = "127.0.0.1:3225"
    penv = dict(env, LEPTOS_SITE_ADDR=addr, RATE_LIMIT="1000000", RATE_LIMIT_BURST="1000000", METRICS_ADDR="off")
    proc = subprocess.Popen([bin, "serve", "--no-worker"], env=penv, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://{addr}/healthz")
        # Uncached work: a results page is computed for every request.
        url = f"http://{addr}/search?q=python"
        capacity = wrk(url, 10, 32)[0]
        idle = rss_mb(proc.pid)
        rate = int(capacity * 10)
        workers = 200
        peak = [idle]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], rss_mb(proc.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        out = subprocess.run(["hey", "-z", f"{args.overload_seconds}s", "-c", str(workers),
                              "-q", str(max(1, rate // workers)), "-o", "csv", url],
                             capture_output=True, text=True).stdout
        done.set()
        sampler.join()
        rows = list(csv.DictReader(io.StringIO(out)))
        codes = {}
        for r in rows:
            codes[r["status-code"]] = codes.get(r["status-code"], 0) + 1
        accepted = sorted(float(r["response-time"]) * 1000 for r in rows if r["status-code"] == "200")
        shed = sorted(float(r["response-time"]) * 1000 for r in rows if r["status-code"] == "503")
        # Recovery: once the load stops, answers are normal again.
        time.sleep(1)
        recovered = wrk(url, 5, 8)
        p99 = lambda v: v[max(0, int(round(0.99 * len(v))) - 1)] if v else float("nan")  # noqa: E731
        return {
            "capacity (`/search?q=python`, wrk -c32)": f"{capacity:,.0f} req/s",
            f"offered rate (hey -c{workers} -q, {args.overload_seconds} s)": f"{rate:,} req/s",
            "answered per second": f"{len(rows) / args.overload_seconds:,.0f}",
            "answers by status": ", ".join(f"{k}: {v:,}" for k, v in sorted(codes.items())),
            "accepted (200) p50 / p99": f"{statistics.median(accepted) if accepted else float('nan'):.1f} ms / "
                                        f"{p99(accepted):.1f} ms",
            "shed (503) p99": f"{p99(shed):.1f} ms",
            "RSS idle → peak under overload": f"{idle:.0f} MB → {peak[0]:.0f} MB",
            "after the load: req/s, p99, non-2xx": f"{recovered[0]:,.0f}, {recovered[2]:.1f} ms, {recovered[3]}",
        }
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench_scale")
    ap.add_argument("--packages", type=int, default=60)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--overload-seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()
    bin = str(Path(args.bin).resolve())
    dir = Path(tempfile.mkdtemp(prefix="fp-scale-"))
    rec = dir / "recordings"
    subprocess.run([sys.executable, str(ROOT / "bench/make_recordings.py"), str(rec), str(args.packages)],
                   check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, DATABASE_URL=args.database, RUST_LOG="warn", UPSTREAM_BASE_URL=f"http://{REPLAY}",
               DATABASE_MAX_CONNECTIONS="16")
    replay = subprocess.Popen([bin, "upstream-replay", "--dir", str(rec), "--addr", REPLAY, "--delay-ms", "5"],
                              env=env, stdout=subprocess.DEVNULL)
    try:
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres",
                        args.database.rsplit("/", 1)[1]], check=True)
        subprocess.run([bin, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        log("scale-out run")
        scale = scale_out(args, bin, env, dir)
        log("overload run")
        over = overload(args, bin, env, dir)
    finally:
        replay.terminate()
        replay.wait()
    cpu = "2 web + 2 workers + nginx + PostgreSQL + RabbitMQ + wrk on one machine"
    print(f"### Scale-out: {cpu}\n")
    print("| measure | value |\n|---|---|")
    for k, v in scale.items():
        print(f"| {k} | {v} |")
    print("\n### Overload: one web process at 10× its capacity\n")
    print("| measure | value |\n|---|---|")
    for k, v in over.items():
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
