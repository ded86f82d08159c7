#!/usr/bin/env python3
"""Search benchmark: the in-memory index against PostgreSQL, same database,
same run. Corpus: every package Debian's lists name on this machine (with
summaries and long descriptions), plus the demo packages, loaded as rows the
way the app stores them (so the index is built from them like any other).

Two web processes serve it: one with the index (SEARCH_INDEX=on), one with
PostgreSQL alone (SEARCH_INDEX=off). For each query class, 16 wrk clients
ask the results page (`/search?q=`) and the autocomplete server function
(`/api/suggest?query=`) of each; answers are computed per request (search is
never cached). The run fails if any answer is not 2xx, or if for any query
the index's top 10 differ from PostgreSQL's. Also: a cached package page
on the same server (the throughput yardstick), the index's build time and
added memory, change → searchable latency, and the corpus at 4× (every
name again with three suffixes).

Run by bench/run (which builds, installs wrk and the Python deps):
    bench/search.py --bin target/release/fedora-packages
Prints Markdown tables on stdout, progress on stderr.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import UNLIMITED, log, rss_mb, wait_for, wrk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
INDEXED = "127.0.0.1:3213"
POSTGRES = "127.0.0.1:3214"

QUERIES = {
    "short (2–3 chars)": ["py", "vi", "gt", "ssh", "lib", "pe", "qt", "gcc", "rb", "go", "xz", "zsh"],
    "typical": ["python3-requests", "vim", "firefox", "openssl", "restorecond", "ceres solver", "bodhi-client",
                "libstdc++", "perl-Net-DNS", "gtk+", "nodejs", "Requests", "packit", "image viewer",
                "pyhton-requests", "libreofice"],
    "long": ["python library for sending http requests to web services",
             "tool to convert documents between markup formats like markdown and html",
             "x" * 200, "libreoffice-core-nogui-extension-for-something-long",
             "a command line utility that" + " does things" * 8],
}
ENDPOINTS = [("results page", "/search?q={}"), ("autocomplete", "/api/suggest?query={}")]
CACHED_PAGE = "/packages/python-requre"


def debian_packages():
    """(name, source, summary, description, version) of each package Debian
    lists, and a row for each source package listed only through binaries."""
    text = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    rows, seen = [], set()
    for record in text.split("\n\n"):
        fields, key = {}, None
        for line in record.splitlines():
            if line[:1] in (" ", "\t"):
                if key == "Description":
                    fields["Long"] = fields.get("Long", "") + ("\n" if line.strip() == "." else line.strip() + " ")
            elif ":" in line:
                key, v = line.split(":", 1)
                fields.setdefault(key, v.strip())
        name = fields.get("Package")
        if not name or name in seen:
            continue
        seen.add(name)
        source = (fields.get("Source") or name).split()[0]
        rows.append((name, source, fields.get("Description", ""), fields.get("Long", "").strip(),
                     fields.get("Version", "")))
    for name, source, summary, description, version in list(rows):
        if source not in seen:
            seen.add(source)
            rows.append((source, source, summary, description, version))
    return rows


def load(dsn, rows):
    """Inserts the rows, keeping any package already there (the demo's)."""
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE incoming (name text, source_name text, summary text, description text, "
                    "version_label text)")
        with cur.copy("COPY incoming FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute("INSERT INTO packages (name, source_name, summary, description, version_label, version) "
                    "SELECT *, 0 FROM incoming ON CONFLICT (name) DO NOTHING")


def serve(bin, dsn, addr, index, logfile):
    env = dict(os.environ, DATABASE_URL=dsn, RUST_LOG="info,sqlx=warn", LEPTOS_SITE_ADDR=addr,
               SEARCH_INDEX="on" if index else "off", **UNLIMITED)
    return subprocess.Popen([bin, "serve", "--no-worker"], env=env, cwd=ROOT, stdout=logfile,
                            stderr=subprocess.STDOUT)


def wait_built(logfile, proc, seconds=600):
    """Seconds the index took to build, from the server's log."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        for line in Path(logfile.name).read_text().splitlines():
            if "search index built" in line:
                return float(json.loads(line)["fields"]["seconds"])
        if proc.poll() is not None:
            raise SystemExit("the indexed server exited")
        time.sleep(0.1)
    raise SystemExit("the index was not built in time")


def fetch(addr, path):
    with urllib.request.urlopen(f"http://{addr}{path}", timeout=120) as r:
        if r.status != 200:
            raise SystemExit(f"{path}: {r.status}")
        return r.read().decode()


def top10(addr, label, query):
    body = fetch(addr, dict(ENDPOINTS)[label].format(urllib.parse.quote(query)))
    if label == "autocomplete":
        return [s["name"] for s in json.loads(body)][:10]
    return re.findall(r'class="hit-name"[^>]*>([^<]*)<', body)[:10]


def check_same(queries):
    """Every query's top 10 from the index equal PostgreSQL's, or the run fails."""
    for q in queries:
        for label, _ in ENDPOINTS:
            ours, theirs = top10(INDEXED, label, q), top10(POSTGRES, label, q)
            if ours != theirs:
                raise SystemExit(f"{label} {q!r}: the index answers {ours}, PostgreSQL {theirs}")
    log(f"top 10 equal for {len(queries)} queries, both endpoints")


def measure(addr, label, queries, seconds, connections):
    paths = [dict(ENDPOINTS)[label].format(urllib.parse.quote(q)) for q in queries]
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    items = ",".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(f"""
local paths = {{{items}}}
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
""")
    wrk(f"http://{addr}/", 2, connections, (), None, script)
    result = wrk(f"http://{addr}/", seconds, connections, (), None, script)
    if result[3]:
        raise SystemExit(f"{label} on {addr}: {result[3]} answers were not 2xx")
    return result


def change_to_searchable(dsn, n=40):
    """Commits a new package and polls the indexed server's autocomplete
    until it lists it; n times. Returns the latencies in ms."""
    out = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for i in range(n):
            name = f"zz-bench-new-{os.getpid()}-{i}"
            conn.execute("INSERT INTO packages (name, source_name, summary, version) VALUES (%s, %s, 'new', 0)",
                         (name, name))
            t0 = time.perf_counter()
            while name not in fetch(INDEXED, f"/api/suggest?query={name}"):
                if time.perf_counter() - t0 > 10:
                    raise SystemExit(f"{name} not searchable after 10 s")
                time.sleep(0.002)
            out.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.05)
    return out


def p99(values):
    return sorted(values)[max(0, int(round(0.99 * len(values))) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench_search")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    args = ap.parse_args()
    dsn = args.database
    env = dict(os.environ, DATABASE_URL=dsn, RUST_LOG="warn")
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", dsn.rsplit("/", 1)[1]], check=True)
    subprocess.run([args.bin, "migrate"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([args.bin, "load-demo", "--dir", "demo/upstream"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    debian = debian_packages()
    log(f"loading {len(debian):,} Debian packages")
    load(dsn, debian)
    with psycopg.connect(dsn) as conn:
        corpus = conn.execute("SELECT count(*) FROM packages").fetchone()[0]
    every_query = [q for qs in QUERIES.values() for q in qs]

    logs = [tempfile.NamedTemporaryFile("w+", suffix=".log") for _ in range(3)]
    indexed = serve(args.bin, dsn, INDEXED, True, logs[0])
    postgres = serve(args.bin, dsn, POSTGRES, False, logs[1])
    rows, baseline, quad = [], None, {}
    try:
        wait_for(f"http://{INDEXED}/healthz")
        wait_for(f"http://{POSTGRES}/healthz")
        build_s = wait_built(logs[0], indexed)
        check_same(every_query)
        added = rss_mb(indexed.pid) - rss_mb(postgres.pid)
        fetch(INDEXED, CACHED_PAGE)
        log("wrk: cached package page")
        baseline = wrk(f"http://{INDEXED}{CACHED_PAGE}", args.seconds, args.connections)
        for kind, queries in QUERIES.items():
            for label, _ in ENDPOINTS:
                log(f"wrk: {label}, {kind}")
                pg = measure(POSTGRES, label, queries, args.seconds, args.connections)
                ix = measure(INDEXED, label, queries, args.seconds, args.connections)
                rows.append((label, kind, pg, ix))
        log("change → searchable")
        latencies = change_to_searchable(dsn)
    finally:
        for p in (indexed, postgres):
            p.terminate()
            p.wait()

    # Four times the names: every package again as name-x1, -x2, -x3.
    log("loading the corpus three more times, suffixed")
    load(dsn, [(f"{n}-x{k}", f"{s}-x{k}", sm, d, v) for k in (1, 2, 3) for (n, s, sm, d, v) in debian])
    with psycopg.connect(dsn) as conn:
        quad_corpus = conn.execute("SELECT count(*) FROM packages").fetchone()[0]
    indexed = serve(args.bin, dsn, INDEXED, True, logs[2])
    postgres = serve(args.bin, dsn, POSTGRES, False, logs[1])
    try:
        wait_for(f"http://{INDEXED}/healthz")
        wait_for(f"http://{POSTGRES}/healthz")
        quad_build = wait_built(logs[2], indexed)
        check_same(every_query)
        quad_added = rss_mb(indexed.pid) - rss_mb(postgres.pid)
        for kind, queries in QUERIES.items():
            for label, _ in ENDPOINTS:
                log(f"wrk at 4×: {label}, {kind}")
                quad[(label, kind)] = measure(INDEXED, label, queries, args.seconds, args.connections)
    finally:
        for p in (indexed, postgres):
            p.terminate()
            p.wait()

    ms = lambda v: f"{v:.2f} ms"  # noqa: E731
    print(f"### Search over {corpus:,} packages, 16 clients (wrk -t2 -c{args.connections} -d{args.seconds}s)\n")
    print("Answers computed per request; the top 10 of every query were checked equal between the engines.\n")
    print("| endpoint | queries | PostgreSQL req/s | PostgreSQL p50 | PostgreSQL p99 | index req/s | index p50 | index p99 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for label, kind, pg, ix in rows:
        print(f"| {label} | {kind} | {pg[0]:,.0f} | {ms(pg[1])} | {ms(pg[2])} | {ix[0]:,.0f} | {ms(ix[1])} | {ms(ix[2])} |")
    print("\n### Yardstick and index\n")
    print("| measure | value |\n|---|---|")
    print(f"| cached package page `{CACHED_PAGE}`, same server | {baseline[0]:,.0f} req/s, p99 {ms(baseline[2])} |")
    worst = min(ix[0] for label, _, _, ix in rows if label == "autocomplete")
    print(f"| slowest autocomplete class / cached page throughput | {worst / baseline[0]:.2f} |")
    print(f"| index build, {corpus:,} packages | {build_s:.2f} s |")
    print(f"| added RSS (indexed process − PostgreSQL-only process), {corpus:,} packages | {added:.0f} MB |")
    print(f"| index build, {quad_corpus:,} packages (4×) | {quad_build:.2f} s |")
    print(f"| added RSS, {quad_corpus:,} packages (4×) | {quad_added:.0f} MB |")
    print("\n### Change → searchable (commit a new package, poll autocomplete)\n")
    print("| measure | value |\n|---|---|")
    print(f"| samples | {len(latencies)} |")
    print(f"| p50 | {ms(statistics.median(latencies))} |")
    print(f"| p99 | {ms(p99(latencies))} |")
    print(f"| max | {ms(max(latencies))} |")
    print(f"\n### The index at 4× ({quad_corpus:,} packages), same clients\n")
    print("| queries at 4× | endpoint | req/s | p50 | p99 |")
    print("|---|---|---:|---:|---:|")
    for (label, kind), r in quad.items():
        print(f"| {kind} | {label} | {r[0]:,.0f} | {ms(r[1])} | {ms(r[2])} |")


if __name__ == "__main__":
    main()
