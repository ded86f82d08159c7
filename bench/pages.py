#!/usr/bin/env python3
"""Page benchmark: the app serving a tab page vs nginx serving the very same
bytes as a static file and a bare axum server returning them from memory,
same machine, same run, same wrk settings; the 304 path; a tab's
server-function answer; the server's memory; asset sizes.

Run by bench/run (which builds and installs wrk and nginx):
    bench/pages.py --bin target/release/fedora-packages
Prints a Markdown table on stdout, progress on stderr.
"""
import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "127.0.0.1:3210"
NGINX = "127.0.0.1:3211"
BARE = "127.0.0.1:3212"

# Benchmarks measure the server, not its limits: none of them may apply.
UNLIMITED = {"RATE_LIMIT": "1000000", "RATE_LIMIT_BURST": "1000000", "MAX_CONCURRENT_RENDERS": "100000",
             "METRICS_ADDR": "off"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.headers, r.read()


def wait_for(url):
    for _ in range(200):
        try:
            get(url)
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"nothing answers at {url}")


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def wrk(url, seconds, connections, headers=(), on_sample=None, script=None):
    """Runs wrk; returns (req/s, p50 ms, p99 ms, non-2xx/3xx count)."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    for h in headers:
        cmd += ["-H", h]
    proc = subprocess.Popen(cmd + [url], stdout=subprocess.PIPE, text=True)
    while proc.poll() is None:
        if on_sample:
            on_sample()
        time.sleep(0.5)
    out = proc.stdout.read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, to_ms(lat.get("50", "nan")), to_ms(lat.get("99", "nan")), int(errors.group(1)) if errors else 0


ROUNDS = 3


def median_run(runs):
    """The run with the median req/s (None when there were none)."""
    return sorted(runs, key=lambda r: r[0])[len(runs) // 2] if runs else None


def start_app(bin, database, addr, what="the demo data"):
    """Migrates `database`, loads the demo data into it and serves it on
    `addr` (web only, no bus worker). Returns the server process."""
    env = dict(os.environ, DATABASE_URL=database, RUST_LOG="warn", LEPTOS_SITE_ADDR=addr, **UNLIMITED)
    # A database reused from an earlier run starts afresh.
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", database.rsplit("/", 1)[1]],
                   check=True)
    subprocess.run([bin, "migrate"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    log(f"loading {what}")
    subprocess.run([bin, "load-demo", "--dir", "demo/upstream"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.Popen([bin, "serve", "--no-worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def nginx_conf(dir, docroot):
    conf = dir / "nginx.conf"
    conf.write_text(f"""
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  server {{ listen {NGINX}; root {docroot}; }}
}}
""")
    return conf


def asset_rows(site, html):
    """The assets the page loads (as named in its HTML), raw and compressed."""
    rows, first_visit = [], 0
    names = sorted(set(re.findall(rb"/pkg/([\w.-]+)", html)))
    for name in (n.decode() for n in names):
        path = site / "pkg" / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        gz_path, br_path = path.with_name(name + ".gz"), path.with_name(name + ".br")
        gz = gz_path.stat().st_size if gz_path.exists() else len(gzip.compress(data))
        br = br_path.stat().st_size if br_path.exists() else gz
        first_visit += br
        rows.append((name, len(data), gz, br))
    return rows, first_visit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench_pages")
    ap.add_argument("--package", default="packit")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fp-bench-pages-"))
    tmp.chmod(0o755)  # nginx's workers run as an unprivileged user
    server = start_app(args.bin, args.database, APP)
    nginx = bare = None
    try:
        page = f"/packages/{args.package}/builds"
        wait_for(f"http://{APP}/healthz")
        _, headers, html = get(f"http://{APP}{page}")
        etag = headers["ETag"]
        # urllib does not decode, so this is the size a browser downloads.
        _, _, html_br = get(f"http://{APP}{page}", {"Accept-Encoding": "br"})
        api = f"/api/tab/builds?name={args.package}"
        docroot = tmp / "www"
        (docroot / "packages" / args.package).mkdir(parents=True)
        (docroot / "packages" / args.package / "builds").write_bytes(html)
        nginx = subprocess.Popen(["nginx", "-c", str(nginx_conf(tmp, docroot))], stderr=subprocess.DEVNULL)
        bare = subprocess.Popen([args.bin, "bare-serve", "--file", str(docroot / "packages" / args.package / "builds"),
                                 "--addr", BARE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(f"http://{NGINX}{page}")
        wait_for(f"http://{BARE}{page}")
        _, nheaders, nbody = get(f"http://{NGINX}{page}")
        assert nbody == html, "nginx must serve the byte-identical page"
        nginx_etag = nheaders["ETag"]
        idle_rss = rss_mb(server.pid)

        peak = [idle_rss]
        sample = lambda: peak.append(rss_mb(server.pid))  # noqa: E731
        rows = []
        for label, target, hdrs in [
            ("tab page (200)", page, ()),
            ("tab page, If-None-Match (304)", page, None),
        ]:
            app_hdrs = hdrs if hdrs is not None else (f"If-None-Match: {etag}",)
            ngx_hdrs = hdrs if hdrs is not None else (f"If-None-Match: {nginx_etag}",)
            log(f"wrk: {label}")
            wrk(f"http://{APP}{target}", 2, args.connections, app_hdrs)  # warm-up
            # The servers take turns, ROUNDS times, and each keeps its median
            # run: one run's figure moves by 10% with what else the machine does.
            runs = {"app": [], "nginx": [], "bare": []}
            for _ in range(ROUNDS):
                runs["app"].append(wrk(f"http://{APP}{target}", args.seconds, args.connections, app_hdrs, sample))
                runs["nginx"].append(wrk(f"http://{NGINX}{target}", args.seconds, args.connections, ngx_hdrs))
                if hdrs is not None:
                    runs["bare"].append(wrk(f"http://{BARE}{target}", args.seconds, args.connections, ()))
            a, n, b = (median_run(runs[k]) for k in ("app", "nginx", "bare"))
            rows.append((label, a, n, b))
        log("wrk: server-function answer")
        wrk(f"http://{APP}{api}", 2, args.connections)
        fn = wrk(f"http://{APP}{api}", args.seconds, args.connections, (), sample)
        load_rss = max(peak)
    finally:
        server.terminate()
        for p in (nginx, bare):
            if p:
                p.terminate()
        for p in (server, nginx, bare):
            if p:
                p.wait()

    site = ROOT / "target/site"
    assets, first_assets = asset_rows(site, html)

    print(f"### Tab page `{page}` ({len(html):,} bytes of HTML), wrk -t2 -c{args.connections} -d{args.seconds}s,"
          f" the servers taking turns {ROUNDS} times (median run of each)\n")
    print("| case | app req/s | app p50 | app p99 | nginx req/s | nginx p99 | app/nginx | bare axum req/s | bare p99 |"
          " app/bare |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, a, n, b in rows:
        bad = f" ({a[3]} non-2xx/3xx)" if a[3] else ""
        bare_cols = f"{b[0]:,.0f} | {b[2]:.2f} ms | {a[0] / b[0]:.2f}×" if b else " | | "
        print(f"| {label}{bad} | {a[0]:,.0f} | {a[1]:.2f} ms | {a[2]:.2f} ms | {n[0]:,.0f} | {n[2]:.2f} ms"
              f" | {a[0] / n[0]:.2f}× | {bare_cols} |")
    print(f"| server function `{api}` | {fn[0]:,.0f} | {fn[1]:.2f} ms | {fn[2]:.2f} ms | | | | | | |")
    print("\nThe app's answers carry the security headers (per-page CSP by hash, nosniff, referrer policy, HSTS)"
          " and go through the request metrics; the bare server's carry neither.")
    print(f"\n### Memory\n\n| server RSS idle | server RSS under load (peak) |\n|---:|---:|\n"
          f"| {idle_rss:.1f} MB | {load_rss:.1f} MB |")
    print("\n### Assets\n\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|")
    for name, raw, gz, br in assets:
        print(f"| {name} | {raw:,} | {gz:,} | {br:,} |")
    print(f"\nFirst visit to `{page}` (brotli): HTML {len(html_br):,} + assets {first_assets:,} = "
          f"**{len(html_br) + first_assets:,} bytes**")

if __name__ == "__main__":
    main()
