#!/usr/bin/env python3
"""Repository-metadata benchmark: ingest of one branch's createrepo_c metadata
at Fedora's scale, and "what provides it" (`/api/v1/provides`) over it.

The metadata is COMPOSED by bench/provides_data.py (Debian's packages and
their real file paths in Fedora's layout: 72,000 binary packages, about 8
million paths; see that file), written once into .tools/bench/provides/ and
reused while the generator and its settings are unchanged; its generation
time is reported apart from the figures. The recorded-upstream server
serves it as dl.fedoraproject.org would, and on a fresh database:

1. `repos rawhide`, timed, peak RSS from the kernel (wait4's ru_maxrss);
   then every package must be in repo_packages.
2. The same repository with 500 packages rebuilt (new releases, so new
   pkgids; a new repomd.xml), `repos rawhide` again, timed; the 500 new
   pkgids must be there and the old ones gone. Then once more with nothing
   changed (the repomd checksum is the same: a skip).
3. VACUUM ANALYZE of the repo_* tables (what autovacuum would do anyway,
   done now so the queries do not race it); the tables' rows and sizes.
4. The web server; for each mode (path, name, capability, contains), the
   first queries checked for a 200 with at least one result, then 16 wrk
   clients rotating over 1,000 different query strings that exist in the data.

Targets: full ingest < 5 min, incremental < 30 s, ingest peak RSS < 300 MB,
p99 < 10 ms for path, name and capability, < 100 ms for contains.

Run by bench/run (which builds, installs wrk and the Python deps):
    bench/provides.py --bin target/release/fedora-packages
Prints Markdown tables on stdout, progress on stderr.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import UNLIMITED, log, wait_for, wrk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench/provides_data.py"
REPLAY = "127.0.0.1:18090"
APP = "127.0.0.1:3215"
BRANCH = "rawhide"
BINARY_REPO = "development/rawhide/Everything/x86_64/os"
TABLES = ["repo_packages", "repo_files", "repo_dirs", "repo_deps", "repo_state"]
MODES = ["path", "name", "capability", "contains"]
P99_TARGET = {"path": 10.0, "name": 10.0, "capability": 10.0, "contains": 100.0}
INGEST_TARGET_S, INCREMENTAL_TARGET_S, RSS_TARGET_MB = 300.0, 30.0, 300.0


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def data(dir, packages, changed, compression):
    """The composed metadata in `dir` (full/, incremental/, bench.json), generated unless a
    previous run left it with the same generator and settings. Returns (manifest, reused)."""
    stamp = {"generator": hashlib.sha256(GENERATOR.read_bytes()).hexdigest(), "packages": packages,
             "changed": changed, "compression": compression}
    stamp_file = dir / "stamp.json"
    if stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp and (dir / "bench.json").exists():
        log(f"reusing the composed metadata in {dir}")
        return json.loads((dir / "bench.json").read_text()), True
    if dir.exists():
        shutil.rmtree(dir)
    dir.mkdir(parents=True)
    log(f"composing the metadata into {dir} (about 2 minutes at full scale)")
    # Its own process: its ~2 GB are given back before anything is measured.
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(dir), "--packages", str(packages),
                    "--changed", str(changed), "--compression", compression], check=True, stdout=subprocess.DEVNULL)
    stamp_file.write_text(json.dumps(stamp))
    return json.loads((dir / "bench.json").read_text()), False


def replay(bin, tree, logfile):
    """The recorded-upstream server on `tree`, once it serves that tree's repomd.xml."""
    proc = subprocess.Popen([bin, "upstream-replay", "--dir", str(tree), "--addr", REPLAY], cwd=ROOT,
                            stdout=logfile, stderr=subprocess.STDOUT)
    url = f"http://{REPLAY}/dl/pub/fedora/linux/{BINARY_REPO}/repodata/repomd.xml"
    wait_for(url)
    with urllib.request.urlopen(url, timeout=10) as r:
        if r.read() != (tree / "dl/pub/fedora/linux" / BINARY_REPO / "repodata/repomd.xml").read_bytes():
            raise SystemExit(f"{url} is not {tree}'s repomd.xml (an earlier replay server still listening?)")
    return proc


def stop(proc):
    proc.terminate()
    proc.wait()


def ingest(bin, env, logpath):
    """Runs `repos rawhide`; returns (seconds, peak RSS in MB). Exits if it fails."""
    with open(logpath, "a") as logfile:
        logfile.write(f"--- repos {BRANCH} at {time.strftime('%H:%M:%S')}\n")
        logfile.flush()
        t0 = time.perf_counter()
        proc = subprocess.Popen([bin, "repos", BRANCH], env=env, cwd=ROOT, stdout=logfile, stderr=subprocess.STDOUT)
        # wait4 gives the child's peak RSS as the kernel counted it (ru_maxrss, KiB).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        log(Path(logpath).read_text()[-4000:])
        raise SystemExit(f"`repos {BRANCH}` exited with {proc.returncode} (log above, in {logpath})")
    return seconds, usage.ru_maxrss / 1024


def package_counts(conn):
    """(binary, source) packages of the branch in repo_packages."""
    rows = conn.execute("SELECT repo LIKE 'source%%', count(*) FROM repo_packages WHERE branch = %s GROUP BY 1",
                        (BRANCH,)).fetchall()
    got = dict(rows)
    return got.get(False, 0), got.get(True, 0)


def check_full(conn, manifest):
    binary, source = package_counts(conn)
    want = (manifest["binary_packages"], manifest["source_packages"])
    if (binary, source) != want:
        raise SystemExit(f"repo_packages holds {binary:,} binary and {source:,} source packages of {BRANCH}; "
                         f"the metadata has {want[0]:,} and {want[1]:,}")


def check_incremental(conn, manifest):
    changed = manifest["changed"]
    new = conn.execute("SELECT count(*) FROM repo_packages WHERE branch = %s AND pkgid = ANY(%s)",
                       (BRANCH, changed["new_pkgids"])).fetchone()[0]
    old = conn.execute("SELECT count(*) FROM repo_packages WHERE branch = %s AND pkgid = ANY(%s)",
                       (BRANCH, changed["old_pkgids"])).fetchone()[0]
    if new != len(changed["new_pkgids"]) or old:
        raise SystemExit(f"after the incremental run: {new} of the {len(changed['new_pkgids'])} new pkgids "
                         f"stored, {old} old ones left")
    check_full(conn, manifest)


def table_stats(conn):
    """[(table, rows, bytes)] of the repo_* tables (heap + indexes + TOAST)."""
    out = []
    for t in TABLES:
        rows = conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        size = conn.execute("SELECT pg_total_relation_size(%s::regclass)", (t,)).fetchone()[0]
        out.append((t, rows, size))
    return out


def provides_url(mode, q):
    return f"/api/v1/provides?q={urllib.parse.quote(q, safe='')}&mode={mode}&branch={BRANCH}"


def check_answers(mode, queries):
    """Each query answers 200 with JSON holding at least one match, or the run fails."""
    empty, slow = [], 0.0
    for q in queries:
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://{APP}{provides_url(mode, q)}", timeout=60) as r:
                body = json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise SystemExit(f"provides {mode} {q!r}: HTTP {e.code}: {e.read()[:300]!r}")
        slow = max(slow, time.perf_counter() - t0)
        # The document's matches: `hits` (ProvidesDocument), or `results`.
        found = body.get("hits", body.get("results")) if isinstance(body, dict) else None
        if not isinstance(found, list):
            raise SystemExit(f"provides {mode} {q!r}: no `hits` list in {str(body)[:300]}")
        if not found:
            empty.append(q)
    if empty:
        raise SystemExit(f"provides {mode}: no results for {len(empty)} of {len(queries)} queries that exist in "
                         f"the data, e.g. {empty[:5]}")
    log(f"{mode}: {len(queries)} queries answered, slowest {slow * 1000:.0f} ms")


def measure(mode, queries, seconds, connections):
    """wrk with 16 clients rotating over the queries; (req/s, p50 ms, p99 ms, non-2xx)."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    items = ",".join('"' + provides_url(mode, q).replace("\\", "\\\\").replace('"', '\\"') + '"' for q in queries)
    script.write_text(f"""
local paths = {{{items}}}
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
""")
    try:
        wrk(f"http://{APP}/", 2, connections, (), None, script)
        result = wrk(f"http://{APP}/", seconds, connections, (), None, script)
    finally:
        script.unlink()
    if result[3]:
        raise SystemExit(f"provides {mode}: {result[3]} answers were not 2xx")
    return result


def mb(n):
    return f"{n / 1e6:,.1f} MB"


def verdict(ok):
    return "met" if ok else "**missed**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench_provides")
    ap.add_argument("--data", default=str(ROOT / ".tools/bench/provides"), help="where the composed metadata is kept")
    ap.add_argument("--packages", type=int, default=72000)
    ap.add_argument("--changed", type=int, default=500)
    ap.add_argument("--compression", choices=["gz", "zst", "xz"], default="gz")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--check-queries", type=int, default=200, help="queries per mode checked before wrk")
    args = ap.parse_args()
    bin = str(Path(args.bin).resolve())
    dsn = args.database
    datadir = Path(args.data)
    manifest, reused = data(datadir, args.packages, args.changed, args.compression)
    work = Path(tempfile.mkdtemp(prefix="fp-bench-provides-"))
    ingest_log = work / "repos.log"

    env = dict(os.environ, DATABASE_URL=dsn, RUST_LOG="info,sqlx=warn", UPSTREAM_BASE_URL=f"http://{REPLAY}")
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", dsn.rsplit("/", 1)[1]], check=True)
    subprocess.run([bin, "migrate"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    replay_log = open(work / "replay.log", "w")

    proc = replay(bin, datadir / "full", replay_log)
    try:
        log(f"repos {BRANCH}: full ingest")
        full_s, full_rss = ingest(bin, env, ingest_log)
    finally:
        stop(proc)
    with psycopg.connect(dsn, autocommit=True) as conn:
        check_full(conn, manifest)
        full_tables = table_stats(conn)

    proc = replay(bin, datadir / "incremental", replay_log)
    try:
        log(f"repos {BRANCH}: {manifest['changed']['binary_packages']} packages rebuilt")
        inc_s, inc_rss = ingest(bin, env, ingest_log)
        log(f"repos {BRANCH}: nothing changed")
        same_s, same_rss = ingest(bin, env, ingest_log)
    finally:
        stop(proc)
    with psycopg.connect(dsn, autocommit=True) as conn:
        check_incremental(conn, manifest)
        log("VACUUM ANALYZE")
        t0 = time.perf_counter()
        for t in TABLES:
            conn.execute(f"VACUUM ANALYZE {t}")
        vacuum_s = time.perf_counter() - t0
        tables = table_stats(conn)

    queries = {m: manifest["queries"][m] for m in MODES}
    server_log = open(work / "serve.log", "w")
    server = subprocess.Popen([bin, "serve", "--no-worker"], cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT,
                              env=dict(os.environ, DATABASE_URL=dsn, RUST_LOG="warn", LEPTOS_SITE_ADDR=APP,
                                       SEARCH_INDEX="on", **UNLIMITED))
    results = {}
    try:
        wait_for(f"http://{APP}/healthz")
        for mode in MODES:
            check_answers(mode, queries[mode][: args.check_queries])
        for mode in MODES:
            log(f"wrk: provides, {mode}")
            results[mode] = measure(mode, queries[mode], args.seconds, args.connections)
    finally:
        stop(server)
    shutil.rmtree(work, ignore_errors=True)

    m = manifest
    sizes = m["sizes"]["full"]["binary"]
    gen = f"reused from an earlier run (generated in {m['generation_seconds']:.0f} s)" if reused else \
        f"generated in {m['generation_seconds']:.0f} s"
    print(f"### Repository metadata, one branch ({BRANCH}), COMPOSED at Fedora's scale\n")
    print(f"CPU: {cpu_model()}. Data (bench/provides_data.py, {gen}; not part of the figures): "
          f"{m['binary_packages']:,} binary packages ({m['i686_packages']:,} of them i686 multilib) and "
          f"{m['source_packages']:,} source packages; {m['files']:,} files and {m['dirs']:,} owned directories "
          f"({m['paths']:,} paths), {m['provides']:,} provides, {m['requires']:,} requires, "
          f"{m['build_requires']:,} BuildRequires. Binary repository: primary.xml.{m['compression']} "
          f"{mb(sizes['primary']['size'])} ({mb(sizes['primary']['open_size'])} open), "
          f"filelists.xml.{m['compression']} {mb(sizes['filelists']['size'])} "
          f"({mb(sizes['filelists']['open_size'])} open). Paths: {m['data_source']}, moved to Fedora's layout.\n")
    print("| measure | value | target | |\n|---|---:|---:|---|")
    rss = max(full_rss, inc_rss, same_rss)
    print(f"| full ingest (`repos {BRANCH}`, empty tables) | {full_s:.1f} s | < {INGEST_TARGET_S / 60:.0f} min "
          f"| {verdict(full_s < INGEST_TARGET_S)} |")
    print(f"| incremental: {m['changed']['binary_packages']} binary packages rebuilt "
          f"({m['changed']['source_packages']} source), new repomd | {inc_s:.1f} s | < {INCREMENTAL_TARGET_S:.0f} s "
          f"| {verdict(inc_s < INCREMENTAL_TARGET_S)} |")
    print(f"| nothing changed (same repomd checksums) | {same_s:.2f} s | | |")
    print(f"| peak RSS: full / incremental / unchanged | {full_rss:.0f} / {inc_rss:.0f} / {same_rss:.0f} MB "
          f"| < {RSS_TARGET_MB:.0f} MB | {verdict(rss < RSS_TARGET_MB)} |")
    print(f"| VACUUM ANALYZE of the repo_* tables afterwards | {vacuum_s:.1f} s | | |")
    print("\nChecked: every package of both repositories stored after the full run; after the incremental one the "
          "rebuilt packages' new pkgids present and the old ones gone.\n")
    print(f"### Database, one branch ({BRANCH}; repo_dirs is shared between branches)\n")
    print("| table | rows | size after full ingest | size after incremental + VACUUM |\n|---|---:|---:|---:|")
    for (t, _, full_size), (_, rows, size) in zip(full_tables, tables):
        print(f"| {t} | {rows:,} | {mb(full_size)} | {mb(size)} |")
    print(f"| **total** | {sum(r for _, r, _ in tables):,} | {mb(sum(s for _, _, s in full_tables))} "
          f"| {mb(sum(s for _, _, s in tables))} |")
    print(f"\n### `/api/v1/provides`, 16 clients (wrk -t2 -c{args.connections} -d{args.seconds}s), "
          f"{len(queries['path']):,} different queries per mode\n")
    print(f"The first {args.check_queries} queries of each mode were checked to answer 200 with at least one result "
          "(they all exist in the data: paths and base names of files, provided capabilities, 3–10 character "
          "pieces of base names).\n")
    print("| mode | example queries | req/s | p50 | p99 | p99 target | |\n|---|---|---:|---:|---:|---:|---|")
    for mode in MODES:
        r = results[mode]
        examples = ", ".join(f"`{q}`".replace("|", "\\|") for q in sorted(queries[mode][:6], key=len)[:3])
        print(f"| {mode} | {examples} | {r[0]:,.0f} | {r[1]:.2f} ms | {r[2]:.2f} ms | < {P99_TARGET[mode]:.0f} ms "
              f"| {verdict(r[2] < P99_TARGET[mode])} |")


if __name__ == "__main__":
    main()
